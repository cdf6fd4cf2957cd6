#include "core/service/GatewayCore.h"

#include "core/ratelimit/LocalRateLimiter.h"
#include "core/ratelimit/RedisRateLimiter.h"
#include "core/storage/Migrations.h"
#include "core/util/WhenDone.h"

#include <QLoggingCategory>
#include <QUuid>

Q_LOGGING_CATEGORY(lcCore, "tollgate.core")

namespace tollgate {

namespace {

// Redis counts as configured for the event stream when the rate limits use it or any REDIS_URL/REDIS_HOST was given
// (REDIS_HOST's default alone says nothing: most deployments without Redis leave it).
EventDispatcher::Options eventOptions(const Settings &settings, const QString &instanceId)
{
    EventDispatcher::Options options;
    options.webhookUrl = settings.value(QStringLiteral("WEBHOOK_URL")).toUrl();
    options.secret = settings.value(QStringLiteral("WEBHOOK_SECRET")).toString().toUtf8();
    const auto given = [&settings](const char *name) { return settings.source(QLatin1String(name)) != QLatin1String("default"); };
    if (settings.rateLimitBackend() == QLatin1String("redis") || given("REDIS_URL") || given("REDIS_HOST"))
        options.redis = settings.redis();
    options.streamKey = settings.redisPrefix().toUtf8() + "events";
    options.streamMaxLen = settings.intValue(QStringLiteral("EVENT_STREAM_MAXLEN"));
    options.retryBaseMs = settings.intValue(QStringLiteral("WEBHOOK_RETRY_BASE_MS"));
    options.instanceId = instanceId;
    if (!options.webhookUrl.isEmpty() && options.secret.isEmpty())
        qCWarning(lcCore) << "WEBHOOK_URL is set without WEBHOOK_SECRET: receivers cannot tell these webhooks from forged ones";
    return options;
}

} // namespace

GatewayCore::GatewayCore(const Settings &settings, std::shared_ptr<const Clock> clock, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_clock(std::move(clock))
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_storage(std::make_unique<StorageWorker>(settings.database()))
    , m_keyService(std::make_unique<KeyService>(m_storage.get(), m_clock, settings.liveKeyPrefix(), settings.testKeyPrefix()))
    , m_ledger(m_clock)
    , m_costRules(CostRules::defaults())
    , m_keyLog(std::make_shared<SlidingWindowLimiter>(m_clock))
    , m_authFailureLimiter(m_clock)
{
    if (settings.rateLimitBackend() == QLatin1String("redis")) {
        RedisRateLimiter::Options redis;
        redis.url = settings.redis();
        redis.prefix = settings.redisPrefix().toUtf8();
        redis.timeoutMs = settings.intValue(QStringLiteral("REDIS_TIMEOUT_MS"));
        redis.whenDown = settings.redisRefusesWhenDown() ? RedisRateLimiter::WhenDown::Refuse : RedisRateLimiter::WhenDown::Local;
        auto limiter = std::make_unique<RedisRateLimiter>(redis, m_clock);
        m_redisLimiter = limiter.get();
        m_rateLimiter = std::move(limiter);
        qCInfo(lcCore).noquote() << "rate limits shared through Redis at" << m_redisLimiter->target() << "as instance"
                                 << m_redisLimiter->instanceId();
    } else {
        m_rateLimiter = std::make_unique<LocalRateLimiter>(m_keyLog);
    }
    m_keyCache = std::make_unique<KeyCache>(
        m_storage.get(), &m_tiers, &m_ledger, m_clock,
        KeyCache::Options{settings.intValue(QStringLiteral("KEY_NEGATIVE_CACHE_SECONDS")) * 1000LL, 100000});
    m_usage = std::make_unique<UsageRecorder>(
        m_storage.get(), &m_ledger, m_clock,
        UsageRecorder::Options{settings.intValue(QStringLiteral("USAGE_FLUSH_INTERVAL_MS")),
                               settings.intValue(QStringLiteral("USAGE_MAX_PENDING"))});
    const bool postgres = settings.database().kind == DatabaseUrl::Kind::Postgres;
    if (postgres) {
        m_feedStorage = std::make_unique<StorageWorker>(settings.database());
        m_keyCache->setRefreshStorage(m_feedStorage.get());
    }
    StorageWorker *feedStorage = m_feedStorage ? m_feedStorage.get() : m_storage.get();
    m_changeFeed = std::make_unique<ChangeFeedWatcher>(feedStorage, m_keyCache.get(), &m_tiers,
                                                       settings.intValue(QStringLiteral("CHANGE_FEED_POLL_MS")));
    if (postgres && settings.value(QStringLiteral("CHANGE_FEED_LISTEN")).toString() == QLatin1String("on")) {
        m_listener = std::make_unique<ChangeListener>(settings.database());
        connect(m_listener.get(), &ChangeListener::changed, m_changeFeed.get(), [feed = m_changeFeed.get()] { feed->pollNow(); });
        connect(m_listener.get(), &ChangeListener::resubscribed, m_changeFeed.get(), [feed = m_changeFeed.get()] { feed->pollNow(); });
    }
    // One code path for SQLite and PostgreSQL: on SQLite this instance is alone and leases whole balances.
    m_leaser = std::make_unique<CreditLeaser>(
        m_storage.get(), &m_ledger, m_instanceId,
        CreditLeaser::Options{settings.intValue(QStringLiteral("CREDIT_LEASE_BLOCK")),
                              settings.intValue(QStringLiteral("CREDIT_LEASE_TTL_MS")),
                              settings.intValue(QStringLiteral("CREDIT_LEASE_IDLE_MS")), 250});
    m_usage->setInstanceId(m_instanceId);
    m_events = std::make_unique<EventDispatcher>(m_storage.get(), m_clock, eventOptions(settings, m_instanceId));
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(2000);
    connect(&m_retryTimer, &QTimer::timeout, this, &GatewayCore::tryStart);
    m_evictionTimer.setInterval(30000);
    connect(&m_evictionTimer, &QTimer::timeout, this, [this] {
        m_keyLog->evictIdle();
        m_authFailureLimiter.evictIdle();
    });
}

GatewayCore::~GatewayCore()
{
    shutdown();
    m_listener.reset();
    m_events.reset();
    // Jobs still queued call back into the cache, recorder and watcher: drain them while those exist.
    m_feedStorage.reset();
    m_storage.reset();
}

void GatewayCore::start()
{
    m_usage->start();
    m_evictionTimer.start();
    tryStart();
}

template<typename T>
bool GatewayCore::failedToStart(QFuture<T> &step)
{
    try {
        step.waitForFinished();  // done already; rethrows the step's StorageError
    } catch (const StorageError &error) {
        qCWarning(lcCore) << "database not ready, retrying in 2 s:" << error.message();
        Q_EMIT startFailed(error.message());
        if (!m_shutDown)
            m_retryTimer.start();
        return true;
    }
    return step.isCanceled();  // the storage worker is shutting down
}

void GatewayCore::tryStart()
{
    // Migrate, load the tiers, find the change feed's end, start watching it; any failure retries from the top.
    whenDone(m_keyService->migrate(), this, [this](QFuture<int> migrated) {
        if (failedToStart(migrated))
            return;
        if (migrated.result())
            qCInfo(lcCore) << "database migrated to schema version" << Migrations::latestVersion();
        whenDone(m_changeFeed->reloadTiers(), this, [this](QFuture<void> tiersLoaded) {
            if (failedToStart(tiersLoaded))
                return;
            whenDone(m_changeFeed->latestSeq(), this, [this](QFuture<qint64> feedEnd) {
                if (failedToStart(feedEnd))
                    return;
                m_changeFeed->startFrom(feedEnd.result());
                if (m_listener)
                    m_listener->start();
                m_leaser->start();
                m_events->start();
                m_ready = true;
                qCInfo(lcCore) << "core ready on" << m_settings.database().redacted();
                Q_EMIT ready();
            });
        });
    });
}

bool GatewayCore::shutdown(int flushTimeoutMs)
{
    if (m_shutDown)
        return true;
    m_shutDown = true;
    m_retryTimer.stop();
    m_evictionTimer.stop();
    m_changeFeed->stop();
    m_events->stop();
    m_usage->stop();
    const bool flushed = m_usage->flushAndWait(flushTimeoutMs);
    if (!flushed)
        qCCritical(lcCore) << "usage could not be written before exit:" << m_usage->stats().pendingRows << "rows lost";
    // Leases go back only once what was spent of them is written; if they cannot, they expire.
    if (flushed && m_ready)
        m_leaser->releaseAll(qMin(flushTimeoutMs, 5000));
    else
        m_leaser->stop();
    return flushed;
}

} // namespace tollgate
