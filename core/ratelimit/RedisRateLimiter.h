#pragma once

#include <vector>

#include "core/config/RedisUrl.h"
#include "core/ratelimit/LocalRateLimiter.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace tollgate {

class RedisConnection;

// Limits shared by every instance through one Redis: one atomic Lua script per decision (RedisScripts::decision,
// EVALSHA) over sliding logs in sorted sets, as exact as the local log, timed by Redis' clock. One pipelined
// connection per event-loop thread that decides, made on that thread's first decision (or prepareThread()).
//
// Redis unreachable (not connected, or no answer within the timeout): the decision is made at once without it —
// `Local` enforces limit ÷ live instances in this process (instances count each other through heartbeats in
// Redis, remembered from the last time it answered), `Refuse` refuses (unavailable: 503). Connections come back
// by themselves; state changes are logged once each. Calls admitted locally are written into Redis' logs when it
// is back (RedisScripts::replay), so the windows count them, and any excess they make is measured.
class RedisRateLimiter final : public RateLimiter
{
public:
    enum class WhenDown { Local, Refuse };
    struct Options
    {
        RedisUrl url;
        QByteArray prefix = "tollgate:";
        int timeoutMs = 100;
        WhenDown whenDown = WhenDown::Local;
        int heartbeatMs = 1000;
        int instanceTtlMs = 3000;  // an instance not heard from for this long is no longer counted
    };
    // Heartbeats run on the constructing thread's event loop.
    RedisRateLimiter(Options options, std::shared_ptr<const Clock> clock);
    ~RedisRateLimiter() override;

    void decide(const RateQuery &query, Callback done) override;
    // Opens this thread's connection ahead of its first decision.
    void prepareThread() override;

    // Calls found after the fact beyond a limit, once the calls admitted locally while Redis was away have been
    // written into its logs (on the constructing thread). Set before Redis can come back, i.e. right after construction.
    std::function<void(int overAdmitted)> onReplayOverAdmitted;
    // Calls admitted locally that wait to be written into Redis.
    qsizetype owedCalls() const;

    bool isUp() const;
    int liveInstances() const;
    QByteArray instanceId() const;
    QString target() const { return m_target; }  // redis://host:port/db, no password

private:
    struct Shared;
    // A decision waiting to go to Redis with the others its thread asks in the same event-loop turn.
    struct PendingDecision
    {
        RateQuery query;
        Callback done;
    };
    void sendBatch(std::vector<PendingDecision> items);
    RedisConnection &connectionHere();
    static void decideWithout(Shared &shared, const RateQuery &query, const Callback &done);
    void replayOwed();

    std::shared_ptr<Shared> m_shared;
    QString m_target;
    std::unique_ptr<QObject> m_home;  // the heartbeat's thread context
    RedisConnection *m_beat = nullptr;  // the heartbeat's connection, also used for the replay
};

} // namespace tollgate
