#pragma once

#include <QDateTime>
#include <QTimeZone>

#include <atomic>
#include <memory>

namespace tollgate {

// Every time-dependent decision (rate windows, credit periods, negative-cache expiry) reads this,
// so tests can drive time by hand instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    // Unix epoch, milliseconds, UTC.
    virtual qint64 nowMs() const = 0;

    QDateTime nowUtc() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), QTimeZone::utc()); }

    static std::shared_ptr<const Clock> system();
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 0) : m_ms(startMs) {}
    qint64 nowMs() const override { return m_ms.load(std::memory_order_relaxed); }
    void setMs(qint64 ms) { m_ms.store(ms, std::memory_order_relaxed); }
    void advanceMs(qint64 deltaMs) { m_ms.fetch_add(deltaMs, std::memory_order_relaxed); }

private:
    std::atomic<qint64> m_ms;
};

inline std::shared_ptr<const Clock> Clock::system()
{
    static const auto clock = std::make_shared<SystemClock>();
    return clock;
}

} // namespace tollgate
