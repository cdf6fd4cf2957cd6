#include "server/proxy/UpstreamInstanceStates.h"

#include "server/proxy/ProxyLogging.h"

namespace tollgate::proxy {

// The fields the request path writes (inFlight) apart from those it mostly reads, each instance on
// cache lines of its own: threads picking and counting do not bounce each other's lines.
struct UpstreamInstanceStates::Instance
{
    alignas(64) std::atomic<int> inFlight{0};
    alignas(64) std::atomic<int> probe{int(Probe::Unknown)};
    std::atomic<int> breaker{int(Breaker::Closed)};
    std::atomic<int> failures{0};
    // Monotonic ms: when the breaker opened, or when the running half-open trial started.
    std::atomic<qint64> openedAtMs{0};
    std::atomic<qint64> connectFailedUntilMs{0};
    std::atomic<qint64> latencyMs{-1};
    std::atomic<qint64> checkedAtMs{0};
};

QString UpstreamInstanceStates::Snapshot::state() const
{
    if (breaker == Breaker::Open)
        return QStringLiteral("open");
    if (breaker == Breaker::HalfOpen)
        return QStringLiteral("half-open");
    if (probe == Probe::Down || connectFailing)
        return QStringLiteral("down");
    return probe == Probe::Up ? QStringLiteral("up") : QStringLiteral("unknown");
}

QString UpstreamInstanceStates::Snapshot::status() const
{
    const QString routing = state();
    return routing == QLatin1String("up") || routing == QLatin1String("unknown") ? routing : QStringLiteral("down");
}

UpstreamInstanceStates::UpstreamInstanceStates(QString upstream, QList<QUrl> urls, Options options)
    : m_upstream(std::move(upstream))
    , m_urls(std::move(urls))
    , m_options(options)
    , m_instances(std::make_unique<Instance[]>(size_t(m_urls.size())))
{
    m_options.failuresToOpen = qMax(1, m_options.failuresToOpen);
    m_options.openMs = qMax(1, m_options.openMs);
}

UpstreamInstanceStates::UpstreamInstanceStates(QString upstream, QList<QUrl> urls)
    : UpstreamInstanceStates(std::move(upstream), std::move(urls), Options{})
{
}

UpstreamInstanceStates::~UpstreamInstanceStates() = default;

QLatin1StringView UpstreamInstanceStates::breakerName(Breaker breaker)
{
    switch (breaker) {
    case Breaker::Closed:
        return QLatin1StringView("closed");
    case Breaker::Open:
        return QLatin1StringView("open");
    case Breaker::HalfOpen:
        return QLatin1StringView("half-open");
    }
    return QLatin1StringView("closed");
}

UpstreamInstanceStates::Probe UpstreamInstanceStates::probe(int instance) const
{
    return Probe(m_instances[size_t(instance)].probe.load(std::memory_order_relaxed));
}

UpstreamInstanceStates::Breaker UpstreamInstanceStates::breaker(int instance) const
{
    return Breaker(m_instances[size_t(instance)].breaker.load(std::memory_order_acquire));
}

bool UpstreamInstanceStates::breakerAdmits(int instance, qint64 nowMs) const
{
    const Instance &state = m_instances[size_t(instance)];
    if (Breaker(state.breaker.load(std::memory_order_acquire)) == Breaker::Closed)
        return true;
    return nowMs - state.openedAtMs.load(std::memory_order_acquire) >= m_options.openMs;
}

bool UpstreamInstanceStates::claimTrial(int instance, qint64 nowMs)
{
    Instance &state = m_instances[size_t(instance)];
    qint64 since = state.openedAtMs.load(std::memory_order_acquire);
    if (Breaker(state.breaker.load(std::memory_order_acquire)) == Breaker::Closed || nowMs - since < m_options.openMs)
        return false;
    // The clock of the open period restarts for the trial: whoever swaps it first is the trial.
    if (!state.openedAtMs.compare_exchange_strong(since, nowMs, std::memory_order_acq_rel))
        return false;
    int open = int(Breaker::Open);
    if (state.breaker.compare_exchange_strong(open, int(Breaker::HalfOpen), std::memory_order_acq_rel)) {
        qCInfo(lcTollgateProxy).noquote() << "upstream" << m_upstream << "instance" << m_urls.at(instance).toString()
                                          << "breaker half-open: one trial call";
    }
    return true;
}

bool UpstreamInstanceStates::connectFailing(int instance, qint64 nowMs) const
{
    return m_instances[size_t(instance)].connectFailedUntilMs.load(std::memory_order_relaxed) > nowMs;
}

int UpstreamInstanceStates::inFlight(int instance) const
{
    return m_instances[size_t(instance)].inFlight.load(std::memory_order_relaxed);
}

void UpstreamInstanceStates::callStarted(int instance)
{
    m_instances[size_t(instance)].inFlight.fetch_add(1, std::memory_order_relaxed);
}

void UpstreamInstanceStates::callEnded(int instance)
{
    m_instances[size_t(instance)].inFlight.fetch_sub(1, std::memory_order_relaxed);
}

void UpstreamInstanceStates::recordSuccess(int instance)
{
    Instance &state = m_instances[size_t(instance)];
    // Loads first: the common case (closed, no failures) writes nothing to the shared line.
    if (state.failures.load(std::memory_order_relaxed) != 0)
        state.failures.store(0, std::memory_order_relaxed);
    // Half-open: the trial (or a call that went with it) got an answer. An open breaker stays open:
    // a call that started before it opened says nothing about the instance now.
    if (Breaker(state.breaker.load(std::memory_order_acquire)) == Breaker::HalfOpen)
        close(instance, "the trial call was answered");
}

void UpstreamInstanceStates::close(int instance, const char *why)
{
    Instance &state = m_instances[size_t(instance)];
    state.failures.store(0, std::memory_order_relaxed);
    const int was = state.breaker.exchange(int(Breaker::Closed), std::memory_order_acq_rel);
    if (was != int(Breaker::Closed)) {
        qCInfo(lcTollgateProxy).noquote() << "upstream" << m_upstream << "instance" << m_urls.at(instance).toString()
                                          << "breaker closed:" << why;
    }
}

void UpstreamInstanceStates::recordFailure(int instance, qint64 nowMs, const QString &why)
{
    Instance &state = m_instances[size_t(instance)];
    const int failures = state.failures.fetch_add(1, std::memory_order_relaxed) + 1;
    int current = state.breaker.load(std::memory_order_acquire);
    if (current == int(Breaker::HalfOpen)) {
        // The trial failed (or a call that was already running when the breaker opened): open again.
        state.openedAtMs.store(nowMs, std::memory_order_release);
        if (state.breaker.compare_exchange_strong(current, int(Breaker::Open), std::memory_order_acq_rel)) {
            qCWarning(lcTollgateProxy).noquote() << "upstream" << m_upstream << "instance" << m_urls.at(instance).toString()
                                                 << "breaker open again for" << m_options.openMs << "ms:" << why;
        }
        return;
    }
    if (current != int(Breaker::Closed) || failures < m_options.failuresToOpen)
        return;
    // The time first, then the state: a reader that sees Open must not pair it with an old time.
    state.openedAtMs.store(nowMs, std::memory_order_release);
    if (state.breaker.compare_exchange_strong(current, int(Breaker::Open), std::memory_order_acq_rel)) {
        qCWarning(lcTollgateProxy).noquote() << "upstream" << m_upstream << "instance" << m_urls.at(instance).toString()
                                             << "breaker open for" << m_options.openMs << "ms after" << failures
                                             << "consecutive failures, the last:" << why;
    }
}

void UpstreamInstanceStates::connectFailed(int instance, qint64 nowMs)
{
    m_instances[size_t(instance)].connectFailedUntilMs.store(nowMs + m_options.markDownMs, std::memory_order_relaxed);
}

void UpstreamInstanceStates::connectSucceeded(int instance)
{
    Instance &state = m_instances[size_t(instance)];
    if (state.connectFailedUntilMs.load(std::memory_order_relaxed) != 0)
        state.connectFailedUntilMs.store(0, std::memory_order_relaxed);
}

void UpstreamInstanceStates::trialAbandoned(int instance, qint64 nowMs)
{
    Instance &state = m_instances[size_t(instance)];
    if (Breaker(state.breaker.load(std::memory_order_acquire)) == Breaker::HalfOpen)
        state.openedAtMs.store(nowMs - m_options.openMs, std::memory_order_release);
}

void UpstreamInstanceStates::recordProbe(int instance, bool up, qint64 latencyMs, qint64 wallClockMs, qint64 nowMs)
{
    Instance &state = m_instances[size_t(instance)];
    state.latencyMs.store(up ? latencyMs : -1, std::memory_order_relaxed);
    state.checkedAtMs.store(wallClockMs, std::memory_order_relaxed);
    const int was = state.probe.exchange(int(up ? Probe::Up : Probe::Down), std::memory_order_relaxed);
    // One line per change (and for an instance found down by its first probe); a first "up" is quiet.
    if (!up && was != int(Probe::Down)) {
        qCWarning(lcTollgateProxy).noquote() << "upstream" << m_upstream << "instance" << m_urls.at(instance).toString()
                                             << "failed its health probe: no calls while another instance answers";
    } else if (was == int(Probe::Down) && up) {
        qCInfo(lcTollgateProxy).noquote() << "upstream" << m_upstream << "instance" << m_urls.at(instance).toString()
                                          << "answers its health probe again";
    }
    if (!up)
        return;
    state.connectFailedUntilMs.store(0, std::memory_order_relaxed);
    // The probe may stand in for the half-open trial, but only once the open period is over: a
    // /health that answers says little about calls that just failed five times in a row.
    if (Breaker(state.breaker.load(std::memory_order_acquire)) != Breaker::Closed
        && nowMs - state.openedAtMs.load(std::memory_order_acquire) >= m_options.openMs)
        close(instance, "the health probe answered after the open period");
}

UpstreamInstanceStates::Snapshot UpstreamInstanceStates::snapshot(int instance, qint64 nowMs) const
{
    const Instance &state = m_instances[size_t(instance)];
    Snapshot out;
    out.url = m_urls.at(instance);
    out.probe = Probe(state.probe.load(std::memory_order_relaxed));
    out.latencyMs = state.latencyMs.load(std::memory_order_relaxed);
    out.checkedAtMs = state.checkedAtMs.load(std::memory_order_relaxed);
    out.breaker = Breaker(state.breaker.load(std::memory_order_acquire));
    out.consecutiveFailures = state.failures.load(std::memory_order_relaxed);
    out.inFlight = state.inFlight.load(std::memory_order_relaxed);
    out.connectFailing = state.connectFailedUntilMs.load(std::memory_order_relaxed) > nowMs;
    return out;
}

QList<UpstreamInstanceStates::Snapshot> UpstreamInstanceStates::snapshots(qint64 nowMs) const
{
    QList<Snapshot> out;
    out.reserve(m_urls.size());
    for (int i = 0; i < count(); ++i)
        out.append(snapshot(i, nowMs));
    return out;
}

} // namespace tollgate::proxy
