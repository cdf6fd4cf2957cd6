#include "server/proxy/UpstreamPool.h"

#include "server/proxy/ProxyLogging.h"
#include "server/proxy/UpstreamClock.h"
#include "server/proxy/UpstreamConnection.h"
#include "server/proxy/UpstreamRequestEncoder.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QMetaObject>

#include <algorithm>
#include <climits>

namespace tollgate::proxy {

namespace {

UpstreamInstance makeInstance(const QUrl &url)
{
    UpstreamInstance instance;
    instance.url = url;
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty()) {
        // An invalid QUrl forgets its text; errorString() still quotes it. A comma-separated list
        // given as one URL lands here: parseInstances() splits those.
        instance.rejectReason = QStringLiteral("invalid upstream URL (%1); several instances must be split, "
                                               "see UpstreamPool::parseInstances()")
                                    .arg(url.isValid() ? url.toString() : url.errorString());
        return instance;
    }
    if (scheme == QLatin1String("https")) {
        instance.rejectReason =
            QStringLiteral("https upstreams are not supported (%1): use http").arg(url.toString());
        return instance;
    }
    if (scheme != QLatin1String("http")) {
        instance.rejectReason = QStringLiteral("unsupported upstream URL scheme '%1' (%2)").arg(scheme, url.toString());
        return instance;
    }
    instance.host = url.host();
    instance.port = quint16(url.port(80));
    const QHostAddress literal(instance.host);
    instance.literal = !literal.isNull();
    if (instance.literal)
        instance.addresses = {literal};
    const bool ipv6 = literal.protocol() == QAbstractSocket::IPv6Protocol;
    const QString bracketed = ipv6 ? QLatin1Char('[') + instance.host + QLatin1Char(']') : instance.host;
    instance.peer = bracketed + QLatin1Char(':') + QString::number(instance.port);
    instance.hostHeader = (instance.port == 80 ? bracketed : instance.peer).toUtf8();
    return instance;
}

bool isIdempotent(const QByteArray &method)
{
    return method == "GET" || method == "HEAD";
}

// The answers that say the instance, not the request, is the problem: a proxy in front of a dead
// process (502), overload or maintenance (503), its own upstream too slow (504).
bool isInstanceFailure(int status)
{
    return status == 502 || status == 503 || status == 504;
}

} // namespace

UpstreamPool::UpstreamPool(QString name, QList<QUrl> instances, Options options,
                           std::shared_ptr<UpstreamInstanceStates> states)
    : m_name(std::move(name))
    , m_options(options)
    , m_states(std::move(states))
{
    if (m_states && m_states->urls() != instances) {
        qCWarning(lcTollgateProxy).noquote() << "upstream" << m_name
                                             << ": shared instance state is for other URLs; using a private one";
        m_states.reset();
    }
    if (!m_states) {
        m_states = std::make_shared<UpstreamInstanceStates>(
            m_name, instances,
            UpstreamInstanceStates::Options{m_options.failuresToOpen, m_options.openMs, m_options.markDownMs});
    }
    m_instances.reserve(instances.size());
    for (const QUrl &url : std::as_const(instances)) {
        m_instances.push_back(makeInstance(url));
        const UpstreamInstance &instance = m_instances.back();
        if (!instance.rejectReason.isEmpty())
            qCWarning(lcTollgateProxy).noquote() << "upstream" << m_name << ":" << instance.rejectReason;
        else if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
            qCWarning(lcTollgateProxy).noquote() << "upstream" << m_name << ": path of" << url.toString()
                                                 << "ignored; callers send full targets";
    }
    const int sweepMs = m_options.idleTimeoutMs > 0 ? qBound(10, m_options.idleTimeoutMs / 4, 1000) : 1000;
    m_sweepTimer.setInterval(sweepMs);
    QObject::connect(&m_sweepTimer, &QTimer::timeout, &m_context, [this] { sweepIdle(); });
}

UpstreamPool::~UpstreamPool()
{
    m_destroying = true;
    m_sweepTimer.stop();
    const QSet<UpstreamConnection *> connections = std::exchange(m_connections, {});
    for (UpstreamConnection *connection : connections)
        connection->shutdown();
    for (UpstreamInstance &instance : m_instances) {
        instance.idle.clear();
        instance.awaitingAddresses.clear();
    }
    m_idleCount = 0;
    // m_context deletes every connection object, closed ones awaiting deleteLater() included, and
    // drops the result of any lookup still running.
}

QList<QUrl> UpstreamPool::parseInstances(QStringView commaSeparated)
{
    QList<QUrl> urls;
    for (QStringView part : commaSeparated.split(QLatin1Char(','))) {
        const QString text = part.trimmed().toString();
        if (text.isEmpty())
            continue;
        urls.append(QUrl(text.contains(QLatin1String("://")) ? text : QLatin1String("http://") + text,
                         QUrl::StrictMode));
    }
    return urls;
}

std::shared_ptr<UpstreamCall> UpstreamPool::start(UpstreamRequest request)
{
    const qint64 now = upstreamNowMs();
    const qint64 deadline = request.totalTimeoutMs > 0 ? now + request.totalTimeoutMs : LLONG_MAX;
    auto call = std::make_shared<UpstreamCall>(UpstreamCall::Key{}, std::move(request), deadline);

    const QString invalid = UpstreamRequestEncoder::validate(call->m_request);
    if (!invalid.isEmpty()) {
        call->fail(UpstreamError::Protocol, invalid);
    } else {
        bool trial = false;
        const int instance = pickInstance(now, -1, &trial);
        if (instance < 0)
            call->fail(UpstreamError::Unavailable, noInstanceReason());
        else
            dispatch(call, instance, false, trial);
    }

    call->m_armed = true;
    if (call->m_deferredError != UpstreamError::None) {
        // The caller sets onError only after we return. The event holds the call, so the error is
        // delivered even if the caller keeps no handle; it dies unsent with the pool.
        QMetaObject::invokeMethod(&m_context, [call] { call->deliverDeferredError(); }, Qt::QueuedConnection);
    }
    return call;
}

bool UpstreamPool::healthy(int index, qint64 nowMs) const
{
    return m_instances[size_t(index)].rejectReason.isEmpty() && m_states->breakerClosed(index)
        && m_states->probe(index) != UpstreamInstanceStates::Probe::Down && !m_states->connectFailing(index, nowMs);
}

int UpstreamPool::pickInstance(qint64 nowMs, int exclude, bool *trial)
{
    *trial = false;
    const int count = int(m_instances.size());
    auto candidate = [&](int i) { return i != exclude && m_instances[size_t(i)].rejectReason.isEmpty(); };
    // An open breaker whose time is up gets its one trial call (one over all threads), unless the
    // probe says the instance is down: then the probe's next answer decides.
    for (int i = 0; i < count; ++i) {
        if (candidate(i) && !m_states->breakerClosed(i) && m_states->probe(i) != UpstreamInstanceStates::Probe::Down
            && m_states->breakerAdmits(i, nowMs) && m_states->claimTrial(i, nowMs)) {
            *trial = true;
            return i;
        }
    }
    // Fewest calls in flight; from m_next on, so that ties go in turn.
    auto fewest = [&](bool healthyOnly) {
        int best = -1;
        int bestLoad = 0;
        for (int step = 0; step < count; ++step) {
            const int i = (m_next + step) % count;
            if (!candidate(i) || (healthyOnly && !healthy(i, nowMs)))
                continue;
            const int load = m_states->inFlight(i);
            if (best < 0 || load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    };
    int picked = fewest(true);
    // Every other instance is down, open or failing: try one anyway rather than fail without trying
    // (with a single instance, marking it down must not turn a blip into seconds of errors).
    if (picked < 0)
        picked = fewest(false);
    if (picked >= 0)
        m_next = (picked + 1) % count;
    return picked;
}

QString UpstreamPool::noInstanceReason() const
{
    if (m_instances.empty())
        return QStringLiteral("no instance configured for upstream %1").arg(m_name);
    return m_instances.front().rejectReason;
}

void UpstreamPool::dispatch(const std::shared_ptr<UpstreamCall> &call, int index, bool fresh, bool trial)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    ++m_inFlight;
    m_states->callStarted(index);
    call->m_instance = index;
    call->m_trial = trial;
    call->m_judged = false;
    call->m_answeredWell = false;
    if (!fresh) {
        const qint64 now = upstreamNowMs();
        // A streamed upload cannot be retried once its first bytes went out: always check for it.
        const int checkIdleMs = call->m_request.streamedBody ? 0 : m_options.staleCheckIdleMs;
        while (!instance.idle.empty()) {
            UpstreamConnection *connection = instance.idle.back();
            instance.idle.pop_back();
            --m_idleCount;
            if (connection->isUsable(now, checkIdleMs)) {
                connection->start(call);
                return;
            }
            connection->close();
        }
    }
    auto *connection =
        new UpstreamConnection(this, index, instance.peer, instance.port, instance.hostHeader, &m_context);
    m_connections.insert(connection);
    connection->connectAndStart(call, instance.addresses, call->m_request.connectTimeoutMs);
    if (instance.addresses.isEmpty()) {
        instance.awaitingAddresses.push_back(connection);
        resolve(index);
    }
}

void UpstreamPool::resolve(int index)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    if (instance.resolving)
        return; // one lookup serves every connection waiting for it
    instance.resolving = true;
    // Asynchronous (getaddrinfo on Qt's thread pool): a slow resolver must not stall the event loop.
    QHostInfo::lookupHost(instance.host, &m_context, [this, index](const QHostInfo &info) { resolved(index, info); });
}

void UpstreamPool::resolved(int index, const QHostInfo &info)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    instance.resolving = false;
    // Taken first: failing a call runs its callback, which may start another one here.
    const std::vector<UpstreamConnection *> waiting = std::exchange(instance.awaitingAddresses, {});
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        const QString detail = QStringLiteral("cannot resolve %1: %2").arg(instance.host, info.errorString());
        markDown(index, detail);
        for (UpstreamConnection *connection : waiting)
            connection->resolveFailed(detail);
        return;
    }
    instance.addresses = info.addresses();
    const QList<QHostAddress> addresses = instance.addresses; // a failed connect may clear the cache
    for (UpstreamConnection *connection : waiting)
        connection->addressesResolved(addresses);
}

void UpstreamPool::retry(std::shared_ptr<UpstreamCall> call, int instance)
{
    dispatch(call, instance, true, call->m_trial);
}

void UpstreamPool::callDetached(int instance)
{
    --m_inFlight;
    m_states->callEnded(instance);
}

void UpstreamPool::headReceived(UpstreamCall &call, int instance, int status)
{
    if (call.m_judged)
        return;
    call.m_judged = true;
    call.m_answeredWell = !isInstanceFailure(status);
    if (call.m_answeredWell)
        m_states->recordSuccess(instance);
    else
        m_states->recordFailure(instance, upstreamNowMs(), QStringLiteral("answered %1").arg(status));
}

void UpstreamPool::attemptFailed(std::shared_ptr<UpstreamCall> call, int instance, UpstreamError error,
                                 const QString &detail, Attempt attempt)
{
    const qint64 now = upstreamNowMs();
    // Counted once per attempt: a 502 head that then broke off is one failure, a 200 head that broke
    // off mid-body is one too (an instance that always dies mid-body must open).
    if (!call->m_judged || call->m_answeredWell) {
        call->m_judged = true;
        call->m_answeredWell = false;
        m_states->recordFailure(instance, now, detail);
    }
    const bool movable = attempt == Attempt::NotSent
        || (attempt == Attempt::NoResponse && isIdempotent(call->m_request.method) && !call->m_bodySent);
    if (movable && !call->m_moved && !m_destroying && now < call->m_deadlineMs) {
        bool trial = false;
        const int other = pickInstance(now, instance, &trial);
        if (other >= 0) {
            qCDebug(lcTollgateProxy).noquote() << "upstream" << m_name << ": call moves from"
                                               << m_instances[size_t(instance)].peer << "to"
                                               << m_instances[size_t(other)].peer << "after:" << detail;
            call->m_moved = true;
            ++m_moved;
            dispatch(call, other, false, trial);
            return;
        }
    }
    call->fail(error, detail);
}

void UpstreamPool::attemptAbandoned(UpstreamCall &call, int instance)
{
    // A cancelled trial gave no verdict: let the next call be the trial rather than wait a period.
    if (call.m_trial && !call.m_judged)
        m_states->trialAbandoned(instance, upstreamNowMs());
}

bool UpstreamPool::release(UpstreamConnection *connection)
{
    if (m_destroying)
        return false;
    UpstreamInstance &instance = m_instances[size_t(connection->instance())];
    if (int(instance.idle.size()) >= m_options.maxIdlePerInstance)
        return false;
    instance.idle.push_back(connection);
    ++m_idleCount;
    if (m_options.idleTimeoutMs > 0 && !m_sweepTimer.isActive())
        m_sweepTimer.start();
    return true;
}

void UpstreamPool::connectionClosed(UpstreamConnection *connection, bool wasIdle)
{
    m_connections.remove(connection);
    auto &waiting = m_instances[size_t(connection->instance())].awaitingAddresses;
    waiting.erase(std::remove(waiting.begin(), waiting.end(), connection), waiting.end());
    if (!wasIdle)
        return;
    auto &idle = m_instances[size_t(connection->instance())].idle;
    const auto it = std::find(idle.begin(), idle.end(), connection);
    if (it != idle.end()) {
        idle.erase(it);
        --m_idleCount;
    }
}

void UpstreamPool::markDown(int index, const QString &why)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    const qint64 now = upstreamNowMs();
    if (!m_states->connectFailing(index, now)) {
        qCWarning(lcTollgateProxy).noquote() << "upstream" << m_name << "instance" << instance.peer << "marked down for"
                                             << m_states->options().markDownMs << "ms:" << why;
    }
    m_states->connectFailed(index, now);
    // A name is looked up again for the next connect: the instance may have moved.
    if (!instance.literal)
        instance.addresses.clear();
}

void UpstreamPool::connected(int index, const QHostAddress &address)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    m_states->connectSucceeded(index);
    // The address that answered goes first, so later connects skip those that did not.
    const qsizetype at = instance.addresses.indexOf(address);
    if (at > 0)
        instance.addresses.move(at, 0);
}

void UpstreamPool::sweepIdle()
{
    const qint64 now = upstreamNowMs();
    for (UpstreamInstance &instance : m_instances) {
        // Oldest at the front: stop at the first one still young enough.
        while (!instance.idle.empty() && now - instance.idle.front()->idleSinceMs() >= m_options.idleTimeoutMs) {
            UpstreamConnection *connection = instance.idle.front();
            instance.idle.erase(instance.idle.begin());
            --m_idleCount;
            connection->close();
        }
    }
    if (m_idleCount == 0)
        m_sweepTimer.stop();
}

} // namespace tollgate::proxy
