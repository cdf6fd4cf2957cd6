#pragma once

#include <QString>

#include <cstdio>

namespace tollgate {

// Structured logs: LOG_FORMAT json (one object a line) or text; LOG_LEVEL filters every tollgate.* category.
// Daemons log to stdout; CLI commands to stderr so their stdout stays a clean document.
class Logging
{
public:
    static void install(const QString &format, const QString &level, FILE *stream);
};

} // namespace tollgate
