#pragma once

#include <QtGlobal>

#include <ctime>

namespace tollgate::proxy {

// Milliseconds on the monotonic clock: deadlines must not move with the wall clock. CLOCK_MONOTONIC
// (not _COARSE) because a 4 ms step would make a timer look early and re-arm for nothing.
inline qint64 upstreamNowMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // namespace tollgate::proxy
