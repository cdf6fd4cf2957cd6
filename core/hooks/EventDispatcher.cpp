#include "core/hooks/EventDispatcher.h"

#include "core/hooks/EventSignature.h"
#include "core/ratelimit/RedisConnection.h"
#include "core/storage/StorageWorker.h"
#include "core/util/Clock.h"
#include "core/util/WhenDone.h"

#include <hiredis/hiredis.h>

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcHooks, "tollgate.core.hooks")

namespace tollgate {

struct EventDispatcher::Batch
{
    QList<DeliveryOutcome> outcomes;
    int outstanding = 0;
    bool full = false;
};

EventDispatcher::EventDispatcher(StorageWorker *storage, std::shared_ptr<const Clock> clock, Options options, QObject *parent)
    : QObject(parent), m_storage(storage), m_clock(std::move(clock)), m_options(std::move(options))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &EventDispatcher::poll);
    m_pruneTimer.setInterval(3600 * 1000);
    connect(&m_pruneTimer, &QTimer::timeout, this, &EventDispatcher::prune);
}

EventDispatcher::~EventDispatcher()
{
    // Answers still to come (Redis answers everything pending with nullptr when it goes) find the dispatcher
    // stopped and leave their rows claimed: the claims expire and the events are sent again then.
    stop();
    onAttempt = nullptr;
    m_redis.reset();
}

void EventDispatcher::start()
{
    if (!m_stopped)
        return;
    m_stopped = false;
    if (!m_options.webhookUrl.isEmpty()) {
        m_network = new QNetworkAccessManager(this);
        // A redirect is not a delivery: the receiver's URL is configured, not discovered.
        m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        qCInfo(lcHooks).noquote() << "webhooks to" << m_options.webhookUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    }
    if (m_options.redis) {
        RedisConnection::Options redis;
        redis.url = *m_options.redis;
        redis.timeoutMs = 2000;
        m_redis = std::make_unique<RedisConnection>(redis);
        m_redis->start();
        qCInfo(lcHooks).noquote() << "events also go to the Redis stream" << QString::fromUtf8(m_options.streamKey);
    }
    m_pruneTimer.start();
    prune();
    if (hasSinks())
        m_pollTimer.start(0);
}

void EventDispatcher::stop()
{
    m_stopped = true;
    m_pollTimer.stop();
    m_pruneTimer.stop();
}

void EventDispatcher::poll()
{
    if (m_stopped || m_busy)
        return;
    m_busy = true;
    const QString token = m_options.instanceId + QLatin1Char(':') + QString::number(++m_claims);
    const qint64 now = m_clock->nowMs();
    const qint64 lockMs = m_options.lockMs;
    const int limit = m_options.batch;
    struct Claimed
    {
        QList<OutboxEvent> events;
        qint64 pending = 0;
    };
    auto claimed = m_storage->run<Claimed>([token, now, lockMs, limit](QSqlDatabase &db) {
        Claimed out{EventOutbox::claim(db, token, now, lockMs, limit), 0};
        out.pending = EventOutbox::pendingCount(db);
        return out;
    });
    whenDone(claimed, this, [this](QFuture<Claimed> done) {
        Claimed result;
        try {
            result = done.result();
        } catch (const StorageError &error) {
            qCWarning(lcHooks) << "cannot claim events:" << error.message();
        }
        m_pending = result.pending;
        if (result.events.isEmpty() || m_stopped) {
            m_busy = false;
            if (!m_stopped)
                m_pollTimer.start(m_options.pollMs);
            return;
        }
        auto batch = std::make_shared<Batch>();
        batch->outstanding = int(result.events.size());
        batch->full = result.events.size() >= m_options.batch;
        for (const OutboxEvent &event : std::as_const(result.events))
            deliver(event, batch);
    });
}

void EventDispatcher::deliver(const OutboxEvent &event, const std::shared_ptr<Batch> &batch)
{
    // A sink that is not configured counts as done: the row would otherwise wait for it for ever.
    auto outcome = std::make_shared<DeliveryOutcome>();
    outcome->seq = event.seq;
    outcome->webhookDone = event.webhookDone || m_options.webhookUrl.isEmpty();
    outcome->streamDone = event.streamDone || !m_options.redis;
    auto finish = [this, outcome, batch, attempts = event.attempts] {
        if (!(outcome->webhookDone && outcome->streamDone))
            outcome->retryAtMs = m_clock->nowMs() + retryDelayMs(attempts);
        batch->outcomes.append(*outcome);
        finishOne(batch);
    };
    auto webhookStep = [this, event, outcome, finish] {
        if (outcome->webhookDone)
            return finish();
        postWebhook(event, [this, outcome, finish](bool ok, QString why) {
            attempted(Sink::Webhook, ok);
            outcome->webhookDone = ok;
            if (!ok)
                outcome->error = QStringLiteral("webhook: ") + why;
            finish();
        });
    };
    if (outcome->streamDone)
        return webhookStep();
    appendToStream(event, [this, outcome, webhookStep](bool ok, QString why) {
        attempted(Sink::Stream, ok);
        outcome->streamDone = ok;
        if (!ok)
            outcome->error = QStringLiteral("stream: ") + why;
        webhookStep();
    });
}

void EventDispatcher::appendToStream(const OutboxEvent &event, std::function<void(bool, QString)> done)
{
    const QByteArrayList argv{"XADD", m_options.streamKey, "MAXLEN", "~", QByteArray::number(m_options.streamMaxLen), "*",
                              "id", event.id.toUtf8(), "type", event.type.toUtf8(), "body", event.body};
    const bool sent = m_redis->command(argv, [this, done](redisReply *reply) {
        if (m_stopped)
            return;
        if (!reply)
            return done(false, QStringLiteral("Redis did not answer"));
        if (reply->type == REDIS_REPLY_ERROR)
            return done(false, QString::fromUtf8(reply->str, int(reply->len)));
        done(true, {});
    });
    if (!sent)
        done(false, QStringLiteral("Redis unreachable"));
}

void EventDispatcher::postWebhook(const OutboxEvent &event, std::function<void(bool, QString)> done)
{
    QNetworkRequest request(m_options.webhookUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Tollgate-Webhooks/1"));
    request.setRawHeader("Tollgate-Event-Id", event.id.toUtf8());
    request.setRawHeader("Tollgate-Signature", EventSignature::header(m_options.secret, m_clock->nowMs() / 1000, event.body));
    request.setTransferTimeout(m_options.requestTimeoutMs);
    QNetworkReply *reply = m_network->post(request, event.body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done), id = event.id] {
        reply->deleteLater();
        if (m_stopped)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300)
            return done(true, {});
        const QString why = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        qCInfo(lcHooks).noquote() << "webhook" << id << "not delivered:" << why;
        done(false, why);
    });
}

void EventDispatcher::finishOne(const std::shared_ptr<Batch> &batch)
{
    if (--batch->outstanding > 0)
        return;
    const qint64 now = m_clock->nowMs();
    const QList<DeliveryOutcome> outcomes = batch->outcomes;
    whenDone(m_storage->run<void>([outcomes, now](QSqlDatabase &db) { EventOutbox::settle(db, outcomes, now); }), this,
             [this, full = batch->full](QFuture<void> done) {
                 try {
                     done.waitForFinished();
                 } catch (const StorageError &error) {
                     // The claims expire by themselves (lockMs); then the events are tried again.
                     qCWarning(lcHooks) << "cannot record deliveries:" << error.message();
                 }
                 m_busy = false;
                 if (!m_stopped)
                     m_pollTimer.start(full ? 0 : m_options.pollMs);
             });
}

qint64 EventDispatcher::retryDelayMs(int attempts) const
{
    // attempts failed before this one: base, 2 × base, 4 × base, … up to retryMaxMs, each ±25 % so that the
    // events of one outage do not all come back at one instant.
    const int doublings = qBound(0, attempts, 30);
    const qint64 delay = qMin<qint64>(qint64(m_options.retryBaseMs) << doublings, m_options.retryMaxMs);
    const double jitter = 0.75 + 0.5 * QRandomGenerator::global()->generateDouble();
    return qMax<qint64>(1, qint64(double(delay) * jitter));
}

void EventDispatcher::attempted(Sink sink, bool ok)
{
    if (onAttempt)
        onAttempt(sink, ok);
}

void EventDispatcher::prune()
{
    const qint64 before = m_clock->nowMs() - m_options.retentionMs;
    const bool undeliveredToo = !hasSinks();
    auto pruned = m_storage->run<qint64>([before, undeliveredToo](QSqlDatabase &db) { return EventOutbox::prune(db, before, undeliveredToo); });
    whenDone(pruned, this, [](QFuture<qint64> done) {
        try {
            if (const qint64 n = done.result())
                qCInfo(lcHooks) << "pruned" << n << "old events from the outbox";
        } catch (const StorageError &) {
            // The database is away: the next hour's prune tries again.
        }
    });
}

} // namespace tollgate
