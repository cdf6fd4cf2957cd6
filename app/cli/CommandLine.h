#pragma once

#include "core/config/Settings.h"

#include <QStringList>

namespace tollgate::cli {

// The tollgated command line of the contract: serve (default), keys, tiers, admin-token, migrate.
// Exit codes: 0 ok, 1 failure (database, not found), 2 bad usage or input.
class CommandLine
{
public:
    static int run(const QStringList &arguments);
};

} // namespace tollgate::cli
