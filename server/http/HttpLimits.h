#pragma once

#include <QtGlobal>

namespace tollgate::http {

// Everything a client can make the front hold on to is bounded by one of these.
struct HttpLimits
{
    qsizetype maxHeaderBytes = 16 * 1024; // request line + headers → 431
    int maxHeaderFields = 100;            // → 431
    int headerTimeoutMs = 10000;          // headers not complete → close
    int bodyStallTimeoutMs = 30000;       // no body bytes (or no response progress) for this long → close
    // A body must average this many bytes per second: its deadline is bodyStallTimeoutMs after it began,
    // plus one second per bodyMinRate bytes received (Apache mod_reqtimeout's MinRate).
    qint64 bodyMinRate = 1024;
    int idleTimeoutMs = 60000;            // idle keep-alive → close
    int maxPipelined = 32;                // queued requests per connection before we stop reading
    int listenBacklog = 1024;
};

} // namespace tollgate::http
