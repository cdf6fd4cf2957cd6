#pragma once

#include <QtGlobal>

namespace tollgate::http {

// The minimum average rate a request body must keep (HttpLimits::bodyMinRate, Apache mod_reqtimeout's
// MinRate): its deadline is graceMs after reading began plus one second per minRate bytes received, so a
// client cannot hold a connection by trickling a byte now and then, which a stall timer alone allows.
// Time during which we did not read (the handler held the body back, a judged head waiting for the
// handler to ask, a 100 Continue not sent yet) is not the client's: it moves the start later.
class BodyRateClock
{
public:
    void start(qint64 nowMs)
    {
        m_startMs = nowMs;
        m_pausedSinceMs = -1;
    }
    void setPaused(bool paused, qint64 nowMs)
    {
        if (paused && m_pausedSinceMs < 0) {
            m_pausedSinceMs = nowMs;
        } else if (!paused && m_pausedSinceMs >= 0) {
            m_startMs += nowMs - m_pausedSinceMs;
            m_pausedSinceMs = -1;
        }
    }
    bool isPaused() const { return m_pausedSinceMs >= 0; }
    // -1 when no rate is required (minRate <= 0). Meaningless while paused.
    qint64 deadline(qint64 received, qint64 graceMs, qint64 minRate) const
    {
        if (minRate <= 0)
            return -1;
        return m_startMs + graceMs + received * 1000 / minRate;
    }

private:
    qint64 m_startMs = 0;
    qint64 m_pausedSinceMs = -1;
};

} // namespace tollgate::http
