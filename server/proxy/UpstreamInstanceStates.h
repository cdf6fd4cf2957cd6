#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include <atomic>
#include <memory>

namespace tollgate::proxy {

// What every event-loop thread's pool and the main thread's health probes know about the instances
// of one upstream, shared between them: the active probe's verdict, the circuit breaker, the calls
// in flight (for fewest-in-flight balancing across threads) and a short mark after a failed connect.
//
// Lock-free: every field is an atomic of its own and each instance sits on its own cache lines, so
// the request path pays two relaxed increments per call and a few loads per pick. Transitions of
// the breaker are compare-and-swap; the thread that wins one logs it.
//
// Breaker (per instance): UPSTREAM_FAILURES_TO_OPEN consecutive failures open it; while open the
// instance gets no call as long as another is usable. After UPSTREAM_OPEN_MS one call may go as
// the half-open trial (or the probe, if it answers first): success closes the breaker, failure
// opens it again for another UPSTREAM_OPEN_MS. A trial that never reports (its client left, its
// pool went away) does not block the instance for ever: after another UPSTREAM_OPEN_MS a new trial
// may go.
class UpstreamInstanceStates
{
public:
    enum class Probe { Unknown, Up, Down };
    enum class Breaker { Closed, Open, HalfOpen };

    struct Options
    {
        int failuresToOpen = 5;
        int openMs = 10000;
        int markDownMs = 1000; // after a refused or timed-out connect: skipped this long
    };

    // What /health, /admin/status and the metrics show for one instance.
    struct Snapshot
    {
        QUrl url;
        Probe probe = Probe::Unknown;
        qint64 latencyMs = -1;
        qint64 checkedAtMs = 0; // wall clock of the last probe answer; 0: not probed yet
        Breaker breaker = Breaker::Closed;
        int consecutiveFailures = 0;
        int inFlight = 0;
        bool connectFailing = false; // a connect failed within the last markDownMs
        // "up", "down", "open", "half-open" or "unknown": what routing sees, most telling first.
        QString state() const;
        // "up", "down" or "unknown": the state in the words the console's status light knows
        // (an open breaker is down for traffic).
        QString status() const;
        bool routable() const { return state() == QLatin1String("up") || state() == QLatin1String("unknown"); }
    };

    UpstreamInstanceStates(QString upstream, QList<QUrl> urls, Options options);
    UpstreamInstanceStates(QString upstream, QList<QUrl> urls);
    ~UpstreamInstanceStates();
    UpstreamInstanceStates(const UpstreamInstanceStates &) = delete;
    UpstreamInstanceStates &operator=(const UpstreamInstanceStates &) = delete;

    const QString &upstream() const { return m_upstream; }
    const QList<QUrl> &urls() const { return m_urls; }
    int count() const { return int(m_urls.size()); }
    const Options &options() const { return m_options; }

    // Routing (any thread). nowMs is the monotonic clock (upstreamNowMs()).
    Probe probe(int instance) const;
    Breaker breaker(int instance) const;
    // Closed, or open long enough that a trial may go (claimTrial() decides which call).
    bool breakerAdmits(int instance, qint64 nowMs) const;
    bool breakerClosed(int instance) const { return breaker(instance) == Breaker::Closed; }
    // True for exactly one caller per UPSTREAM_OPEN_MS while the breaker is not closed.
    bool claimTrial(int instance, qint64 nowMs);
    bool connectFailing(int instance, qint64 nowMs) const;
    int inFlight(int instance) const;

    // Outcomes, from the pools (any thread).
    void callStarted(int instance);
    void callEnded(int instance);
    void recordSuccess(int instance);
    void recordFailure(int instance, qint64 nowMs, const QString &why);
    void connectFailed(int instance, qint64 nowMs);
    void connectSucceeded(int instance);
    // A trial call that ended with no verdict: another may go at once.
    void trialAbandoned(int instance, qint64 nowMs);

    // From the active probe (main thread). up: any answer but a 5xx.
    void recordProbe(int instance, bool up, qint64 latencyMs, qint64 wallClockMs, qint64 nowMs);

    Snapshot snapshot(int instance, qint64 nowMs) const;
    QList<Snapshot> snapshots(qint64 nowMs) const;

    static QLatin1StringView breakerName(Breaker breaker);

private:
    struct Instance;

    void close(int instance, const char *why);

    QString m_upstream;
    QList<QUrl> m_urls;
    Options m_options;
    std::unique_ptr<Instance[]> m_instances;
};

} // namespace tollgate::proxy
