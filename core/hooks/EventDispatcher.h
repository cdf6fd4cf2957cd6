#pragma once

#include "core/config/RedisUrl.h"
#include "core/storage/EventOutbox.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace tollgate {

class RedisConnection;
class StorageWorker;
class Clock;

// Delivers the outbox's events (control plane, main thread): claims due rows, POSTs each to WEBHOOK_URL signed
// (EventSignature) and XADDs it to the Redis stream when one is configured, then records per sink what worked.
// A failed sink is retried with exponential backoff and jitter (retryBaseMs doubling to 10 minutes); a row stays
// until every configured sink has it, so neither a restart nor a long outage of the receiver loses an event. At least
// once: a receiver dedupes on the event id, which is the same on every attempt. Nothing here runs on a request path.
class EventDispatcher : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QUrl webhookUrl;                       // empty: no webhooks
        QByteArray secret;
        std::optional<RedisUrl> redis;         // nullopt: no stream
        QByteArray streamKey;                  // "<REDIS_PREFIX>events"
        int streamMaxLen = 10000;
        int retryBaseMs = 1000;
        int retryMaxMs = 10 * 60 * 1000;
        int pollMs = 1000;
        int batch = 20;
        int lockMs = 120000;                   // longer than a batch can take (requests run in parallel, 10 s each)
        int requestTimeoutMs = 10000;
        qint64 retentionMs = 7LL * 24 * 3600 * 1000;  // delivered events are pruned after this
        QString instanceId;
    };
    enum class Sink { Webhook, Stream };

    EventDispatcher(StorageWorker *storage, std::shared_ptr<const Clock> clock, Options options, QObject *parent = nullptr);
    ~EventDispatcher() override;

    void start();
    void stop();
    bool hasSinks() const { return !m_options.webhookUrl.isEmpty() || m_options.redis.has_value(); }
    // Undelivered events at the last look (the pending gauge).
    qint64 pendingCount() const { return m_pending.load(); }
    // Called on the main thread after every attempt at one sink (metrics).
    std::function<void(Sink sink, bool ok)> onAttempt;

private:
    struct Batch;
    void poll();
    void prune();
    void deliver(const OutboxEvent &event, const std::shared_ptr<Batch> &batch);
    void appendToStream(const OutboxEvent &event, std::function<void(bool ok, QString why)> done);
    void postWebhook(const OutboxEvent &event, std::function<void(bool ok, QString why)> done);
    void finishOne(const std::shared_ptr<Batch> &batch);
    qint64 retryDelayMs(int attempts) const;
    void attempted(Sink sink, bool ok);

    StorageWorker *m_storage;
    std::shared_ptr<const Clock> m_clock;
    Options m_options;
    QNetworkAccessManager *m_network = nullptr;
    std::unique_ptr<RedisConnection> m_redis;
    QTimer m_pollTimer;
    QTimer m_pruneTimer;
    bool m_busy = false;
    bool m_stopped = true;
    quint64 m_claims = 0;
    std::atomic<qint64> m_pending{0};
};

} // namespace tollgate
