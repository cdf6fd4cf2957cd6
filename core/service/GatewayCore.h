#pragma once

#include "core/config/Settings.h"
#include "core/credits/CostRules.h"
#include "core/credits/CreditLeaser.h"
#include "core/credits/CreditLedger.h"
#include "core/hooks/EventDispatcher.h"
#include "core/keys/KeyCache.h"
#include "core/ratelimit/RateLimiter.h"
#include "core/ratelimit/SlidingWindowLimiter.h"
#include "core/service/ChangeFeedWatcher.h"
#include "core/service/KeyService.h"
#include "core/storage/ChangeListener.h"
#include "core/storage/StorageWorker.h"
#include "core/tiers/TierCatalog.h"
#include "core/usage/UsageRecorder.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace tollgate {

class RedisRateLimiter;

// Everything the gateway decides with, built from one Settings: the storage worker, keys, tiers,
// limiters, the credit ledger and the usage write-behind. The HTTP front and the console sit on top.
class GatewayCore : public QObject
{
    Q_OBJECT

public:
    explicit GatewayCore(const Settings &settings, std::shared_ptr<const Clock> clock = Clock::system(),
                         QObject *parent = nullptr);
    ~GatewayCore() override;

    // Migrates, loads tiers and starts following the change feed; retries every 2 s while the database
    // is unreachable. `ready` fires once.
    void start();
    // Stops the timers and writes what is pending; true when nothing was lost.
    bool shutdown(int flushTimeoutMs = 10000);
    bool isReady() const { return m_ready; }

    const Settings &settings() const { return m_settings; }
    std::shared_ptr<const Clock> clock() const { return m_clock; }
    StorageWorker &storage() { return *m_storage; }
    KeyService &keyService() { return *m_keyService; }
    TierCatalog &tiers() { return m_tiers; }
    CreditLedger &ledger() { return m_ledger; }
    const CostRules &costRules() const { return m_costRules; }
    // The keys' limits: in process (RATE_LIMIT_BACKEND=local) or shared through Redis.
    RateLimiter &rateLimiter() { return *m_rateLimiter; }
    // Null with the local backend.
    RedisRateLimiter *redisLimiter() { return m_redisLimiter; }
    SlidingWindowLimiter &authFailureLimiter() { return m_authFailureLimiter; }
    KeyCache &keyCache() { return *m_keyCache; }
    UsageRecorder &usage() { return *m_usage; }
    CreditLeaser &leaser() { return *m_leaser; }
    // This process among the instances sharing the database (credit leases, heartbeats).
    QString instanceId() const { return m_instanceId; }
    ChangeFeedWatcher &changeFeed() { return *m_changeFeed; }
    // Webhooks and the Redis event stream out of the outbox; runs once the core is ready.
    EventDispatcher &events() { return *m_events; }

Q_SIGNALS:
    void ready();
    void startFailed(const QString &reason);

private:
    void tryStart();
    template<typename T>
    bool failedToStart(QFuture<T> &step);

    Settings m_settings;
    std::shared_ptr<const Clock> m_clock;
    QString m_instanceId;
    std::unique_ptr<StorageWorker> m_storage;
    // The change feed's own connection (PostgreSQL): polls and key reloads never queue behind a write-behind.
    std::unique_ptr<StorageWorker> m_feedStorage;
    std::unique_ptr<ChangeListener> m_listener;
    std::unique_ptr<CreditLeaser> m_leaser;
    std::unique_ptr<KeyService> m_keyService;
    TierCatalog m_tiers;
    CreditLedger m_ledger;
    CostRules m_costRules;
    std::shared_ptr<SlidingWindowLimiter> m_keyLog;  // the local backend's log
    std::unique_ptr<RateLimiter> m_rateLimiter;
    RedisRateLimiter *m_redisLimiter = nullptr;
    SlidingWindowLimiter m_authFailureLimiter;
    std::unique_ptr<KeyCache> m_keyCache;
    std::unique_ptr<UsageRecorder> m_usage;
    std::unique_ptr<ChangeFeedWatcher> m_changeFeed;
    std::unique_ptr<EventDispatcher> m_events;
    QTimer m_retryTimer;
    QTimer m_evictionTimer;
    bool m_ready = false;
    bool m_shutDown = false;
};

} // namespace tollgate
