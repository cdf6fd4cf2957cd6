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
    // LOG_LEVEL again, e.g. on SIGHUP: every tollgate.* category at or above it.
    static void setLevel(const QString &level);
    // stream is the journal systemd connected us to ($JOURNAL_STREAM): lines then start with <priority>.
    static bool isJournal(FILE *stream);
};

} // namespace tollgate
