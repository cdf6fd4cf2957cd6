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

} // namespace

UpstreamPool::UpstreamPool(QString name, QList<QUrl> instances, Options options)
    : m_name(std::move(name))
    , m_options(options)
{
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
        const int instance = pickInstance(now);
        if (instance < 0)
            call->fail(UpstreamError::Unavailable, noInstanceReason());
        else
            dispatch(call, instance, false);
    }

    call->m_armed = true;
    if (call->m_deferredError != UpstreamError::None) {
        // The caller sets onError only after we return. The event holds the call, so the error is
        // delivered even if the caller keeps no handle; it dies unsent with the pool.
        QMetaObject::invokeMethod(&m_context, [call] { call->deliverDeferredError(); }, Qt::QueuedConnection);
    }
    return call;
}

int UpstreamPool::pickInstance(qint64 nowMs)
{
    const int count = int(m_instances.size());
    int fallback = -1;
    for (int step = 0; step < count; ++step) {
        const int i = (m_next + step) % count;
        const UpstreamInstance &instance = m_instances[size_t(i)];
        if (!instance.rejectReason.isEmpty())
            continue;
        if (instance.downUntilMs > nowMs) {
            if (fallback < 0)
                fallback = i;
            continue;
        }
        m_next = (i + 1) % count;
        return i;
    }
    // Every usable instance is marked down: try one anyway rather than fail without trying (with a
    // single instance, marking it down must not turn a blip into a second of errors).
    if (fallback >= 0)
        m_next = (fallback + 1) % count;
    return fallback;
}

QString UpstreamPool::noInstanceReason() const
{
    if (m_instances.empty())
        return QStringLiteral("no instance configured for upstream %1").arg(m_name);
    return m_instances.front().rejectReason;
}

void UpstreamPool::dispatch(const std::shared_ptr<UpstreamCall> &call, int index, bool fresh)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    ++m_inFlight;
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
    dispatch(call, instance, true);
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
    if (instance.downUntilMs <= now) {
        qCWarning(lcTollgateProxy).noquote() << "upstream" << m_name << "instance" << instance.peer
                                             << "marked down for" << m_options.markDownMs << "ms:" << why;
    }
    instance.downUntilMs = now + m_options.markDownMs;
    // A name is looked up again for the next connect: the instance may have moved.
    if (!instance.literal)
        instance.addresses.clear();
}

void UpstreamPool::connected(int index, const QHostAddress &address)
{
    UpstreamInstance &instance = m_instances[size_t(index)];
    instance.downUntilMs = 0;
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
