#pragma once

#include "core/config/Settings.h"

#include <functional>
#include <optional>

namespace tollgate::cli {

// Reads the settings again from where they came from (flags, environment, --config file), for SIGHUP.
using SettingsReader = std::function<std::optional<Settings>(QString *error)>;

// `tollgated serve` and `tollgate --headless`: runs the gateway until SIGTERM/SIGINT, then writes
// pending usage and exits 0; SIGHUP applies LOG_LEVEL and ACCESS_LOG anew from reread (others need a
// restart, and the log says which changed). Needs a running QCoreApplication.
int serve(const Settings &settings, const SettingsReader &reread = {});

} // namespace tollgate::cli
