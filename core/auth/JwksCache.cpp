#include "core/auth/JwksCache.h"

#include "core/auth/AuthLogging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tollgate::auth {

namespace {
const char *const kTooLargeProperty = "tollgateJwksTooLarge";
} // namespace

JwksCache::JwksCache(QUrl url, std::shared_ptr<const Clock> clock, QObject *parent)
    : JwksCache(std::move(url), std::move(clock), Options{}, parent)
{
}

JwksCache::JwksCache(QUrl url, std::shared_ptr<const Clock> clock, Options options, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_clock(std::move(clock)), m_options(options),
      m_network(new QNetworkAccessManager(this)), m_set(std::make_shared<const JwkSet>())
{
    // https is never followed to plain http; the key set is not something to take from a downgraded hop.
    m_network->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    m_timer.setInterval(m_options.pollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &JwksCache::poll);
}

JwksCache::~JwksCache()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        delete m_reply;
        m_reply = nullptr;
    }
    // Nobody waits forever for a cache that is gone: they get the keys as they are.
    answerWaiters();
}

void JwksCache::start()
{
    if (m_timer.isActive())
        return;
    m_timer.start();
    if (!m_reply)
        fetch();
}

std::shared_ptr<const JwkSet> JwksCache::snapshot() const
{
    QReadLocker locker(&m_lock);
    return m_set;
}

std::shared_ptr<const Jwk> JwksCache::find(const QString &kid) const
{
    return snapshot()->find(kid);
}

bool JwksCache::hasKeys() const
{
    return !snapshot()->isEmpty();
}

void JwksCache::requestRefresh()
{
    // Coalesced: a burst of unknown kids queues one call to this object's thread, not one per token.
    if (!m_demandQueued.exchange(true))
        QMetaObject::invokeMethod(this, [this] { onDemand(); }, Qt::QueuedConnection);
}

QFuture<std::shared_ptr<const JwkSet>> JwksCache::refreshAsync()
{
    auto promise = std::make_shared<QPromise<std::shared_ptr<const JwkSet>>>();
    promise->start();
    QFuture<std::shared_ptr<const JwkSet>> future = promise->future();
    {
        QMutexLocker locker(&m_waitMutex);
        m_waiters.append(std::move(promise));
    }
    // Every waiter is answered by an onDemand() that runs after it was added (the flag is cleared
    // before onDemand looks at anything), either at once or when the fetch it starts or joins ends.
    requestRefresh();
    return future;
}

void JwksCache::poll()
{
    if (m_reply)
        return;
    const qint64 due = m_lastFetchOk ? m_options.refreshIntervalMs : m_options.minFetchGapMs;
    const qint64 elapsed = m_clock->nowMs() - m_lastFetchStartMs;
    // A clock stepped backwards counts as due, or a wall-clock correction could freeze refreshes.
    if (elapsed < 0 || elapsed >= due)
        fetch();
}

void JwksCache::onDemand()
{
    m_demandQueued.store(false);
    if (m_reply)
        return;  // the running fetch answers the waiters
    const qint64 elapsed = m_clock->nowMs() - m_lastFetchStartMs;
    if (m_everFetched && elapsed >= 0 && elapsed < m_options.minFetchGapMs) {
        qCDebug(lcAuth) << "JWKS refresh asked for" << elapsed << "ms after the last fetch; not before"
                        << m_options.minFetchGapMs << "ms";
        answerWaiters();
        return;
    }
    fetch();
}

void JwksCache::fetch()
{
    m_lastFetchStartMs = m_clock->nowMs();
    m_everFetched = true;
    QNetworkRequest request(m_url);
    request.setTransferTimeout(m_options.fetchTimeoutMs);
    request.setRawHeader("Accept", "application/jwk-set+json, application/json");
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    const qint64 maxBytes = m_options.maxBodyBytes;
    connect(reply, &QNetworkReply::downloadProgress, this, [reply, maxBytes](qint64 received, qint64 total) {
        if (received > maxBytes || total > maxBytes) {
            reply->setProperty(kTooLargeProperty, true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finishFetch(reply); });
}

void JwksCache::finishFetch(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;

    const std::shared_ptr<const JwkSet> previous = snapshot();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QString where = m_url.toDisplayString(QUrl::RemoveUserInfo);
    QString problem;
    QStringList skipped;
    std::optional<JwkSet> parsed;
    if (reply->property(kTooLargeProperty).toBool()) {
        problem = QStringLiteral("answer larger than %1 bytes").arg(m_options.maxBodyBytes);
    } else if (status.isValid() && status.toInt() != 200) {
        problem = QStringLiteral("HTTP %1").arg(status.toInt());
    } else if (reply->error() == QNetworkReply::OperationCanceledError) {
        problem = QStringLiteral("no answer within %1 ms").arg(m_options.fetchTimeoutMs);  // setTransferTimeout
    } else if (reply->error() != QNetworkReply::NoError) {
        problem = reply->errorString();
    } else {
        const QByteArray body = reply->read(m_options.maxBodyBytes + 1);
        if (body.size() > m_options.maxBodyBytes)
            problem = QStringLiteral("answer larger than %1 bytes").arg(m_options.maxBodyBytes);
        else
            parsed = JwkSet::fromJson(body, m_clock->nowMs(), &skipped, &problem);
    }

    const bool wasOk = m_lastFetchOk;
    m_lastFetchOk = parsed.has_value();
    if (parsed) {
        m_failuresInRow = 0;
        const bool changed = !wasOk || parsed->kids() != previous->kids();
        if (changed) {
            qCInfo(lcAuth).noquote() << "JWKS from" << where << "holds" << parsed->size() << "usable keys:"
                                     << parsed->kids().join(QLatin1String(", "));
            for (const QString &reason : std::as_const(skipped))
                qCWarning(lcAuth).noquote() << "JWKS key skipped:" << reason;
        } else {
            qCDebug(lcAuth).noquote() << "JWKS from" << where << "unchanged";
        }
        publish(std::make_shared<const JwkSet>(std::move(*parsed)));
    } else {
        // Only the change from working to failing is a warning; a JWKS that stays down would flood the log.
        if (m_failuresInRow++ == 0)
            qCWarning(lcAuth).noquote() << "JWKS fetch from" << where << "failed:" << problem << "- keeping"
                                        << previous->size() << "cached keys";
        else
            qCDebug(lcAuth).noquote() << "JWKS fetch from" << where << "failed again:" << problem;
        publish(std::make_shared<const JwkSet>(previous->stale()));
    }
    Q_EMIT refreshed(m_lastFetchOk);
    answerWaiters();
}

void JwksCache::publish(std::shared_ptr<const JwkSet> set)
{
    QWriteLocker locker(&m_lock);
    m_set = std::move(set);
}

void JwksCache::answerWaiters()
{
    QList<std::shared_ptr<QPromise<std::shared_ptr<const JwkSet>>>> waiters;
    {
        QMutexLocker locker(&m_waitMutex);
        waiters.swap(m_waiters);
    }
    const std::shared_ptr<const JwkSet> set = snapshot();
    for (const auto &promise : std::as_const(waiters)) {
        promise->addResult(set);
        promise->finish();
    }
}

} // namespace tollgate::auth
