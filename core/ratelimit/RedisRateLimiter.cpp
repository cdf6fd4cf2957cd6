#include "core/ratelimit/RedisRateLimiter.h"

#include <QAbstractEventDispatcher>
#include <unordered_map>

#include "core/ratelimit/RedisConnection.h"
#include "core/ratelimit/RedisScripts.h"

#include <hiredis/hiredis.h>

#include <QDateTime>
#include <QHash>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <limits>
#include <optional>

Q_LOGGING_CATEGORY(lcRedisLimiter, "tollgate.core.ratelimit.redis")

namespace tollgate {

struct RedisRateLimiter::Shared
{
    // Names this limiter in each thread's waiting decisions (an address could be reused by a later limiter).
    const quint64 serial = nextSerial();
    static quint64 nextSerial()
    {
        static std::atomic<quint64> counter{0};
        return ++counter;
    }
    Options options;
    QByteArray instanceId;
    std::atomic<quint64> sequence{0};
    std::atomic<int> liveInstances{1};
    std::atomic<bool> up{false};
    LocalRateLimiter fallback;
    std::shared_ptr<const Clock> clock;
    QMutex mutex;  // guards what follows
    bool everReported = false;
    QHash<QThread *, RedisConnection *> connections;
    // A call the local fallback admitted, to be written into Redis once it is back.
    struct Owed
    {
        QByteArray key;
        qint64 atMs;
        qint64 windowMs;
        int limit;
        QByteArray member;
    };
    std::vector<Owed> owed;
    static constexpr size_t MaxOwed = 200000;  // memory bound; beyond it the oldest are given up (and logged)
    std::function<void()> replay;  // queued to the limiter's thread on every return of Redis

    Shared(Options o, std::shared_ptr<const Clock> c)
        : options(std::move(o)), fallback(std::make_shared<SlidingWindowLimiter>(c)), clock(std::move(c))
    {
    }

    // One log line per change of state, however many connections notice it.
    void report(bool nowUp, const QString &why)
    {
        QMutexLocker lock(&mutex);
        const bool was = up.exchange(nowUp);
        if (was == nowUp && everReported)
            return;
        const bool returned = was == false && nowUp && everReported;
        everReported = true;
        if (returned && !owed.empty() && replay)
            replay();
        if (nowUp) {
            qCInfo(lcRedisLimiter).noquote() << "Redis is up: rate limits are shared through"
                                             << RedisUrl(options.url).redacted();
        } else {
            qCWarning(lcRedisLimiter).noquote()
                << "Redis is down (" + why + "):"
                << (options.whenDown == WhenDown::Refuse ? QStringLiteral("rate-limited calls are refused (503)")
                                                         : QStringLiteral("each instance enforces limit / %1 live instances locally")
                                                               .arg(liveInstances.load()));
        }
    }

    RedisConnection *makeConnection(QObject *parent = nullptr)
    {
        RedisConnection::Options o;
        o.url = options.url;
        o.timeoutMs = options.timeoutMs;
        o.connectTimeoutMs = qMax(options.timeoutMs * 5, 500);
        return new RedisConnection(o, parent);
    }
};

namespace {

qint64 integerAt(const redisReply *reply, size_t i)
{
    if (!reply || reply->type != REDIS_REPLY_ARRAY || i >= reply->elements || reply->element[i]->type != REDIS_REPLY_INTEGER)
        return std::numeric_limits<qint64>::min();
    return reply->element[i]->integer;
}

int ceilSeconds(qint64 ms)
{
    return int(qBound<qint64>(1, (ms + 999) / 1000, qint64(std::numeric_limits<int>::max())));
}

// The script's reply as the verdict the local limiter would give; nullopt when it is not one.
std::optional<RateVerdict> verdictFromReply(const RateQuery &query, const redisReply *reply)
{
    const qsizetype n = query.limits.size();
    if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != size_t(2 + 2 * n))
        return std::nullopt;
    const bool admitted = integerAt(reply, 0) == 1;
    const qint64 now = integerAt(reply, 1);
    QList<RateDecision> decisions;
    decisions.reserve(n);
    int over = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const RateLimit &limit = query.limits[i];
        const qint64 count = integerAt(reply, size_t(2 + 2 * i));
        const qint64 reset = integerAt(reply, size_t(3 + 2 * i));
        if (count == std::numeric_limits<qint64>::min() || reset == std::numeric_limits<qint64>::min())
            return std::nullopt;
        RateDecision d;
        d.limit = qMax(limit.limit, 0);
        d.resetAtMs = reset;
        if (admitted) {
            d.allowed = true;
            d.remaining = int(qMax<qint64>(0, limit.limit - count));
            // After the fact: an admitted call that leaves a window above its limit was one too many.
            if (count > limit.limit)
                over = 1;
        } else {
            d.allowed = count < limit.limit;
            d.remaining = int(qMax<qint64>(0, limit.limit - count));
            if (!d.allowed)
                d.retryAfterSeconds = ceilSeconds(reset - now);
        }
        decisions.append(d);
    }
    RateVerdict verdict = verdictOf(decisions, RateBackend::Redis);
    verdict.overAdmitted = over;
    return verdict;
}

} // namespace

RedisRateLimiter::RedisRateLimiter(Options options, std::shared_ptr<const Clock> clock)
    : m_shared(std::make_shared<Shared>(std::move(options), std::move(clock)))
    , m_target(m_shared->options.url.redacted())
    , m_home(std::make_unique<QObject>())
{
    m_shared->instanceId = QByteArray::number(QRandomGenerator::system()->generate64(), 16);
    {
        QObject *home = m_home.get();
        m_shared->replay = [this, home] { QMetaObject::invokeMethod(home, [this] { replayOwed(); }, Qt::QueuedConnection); };
    }
    // The heartbeat: this instance says it is alive, and learns how many are, once a second.
    std::weak_ptr<Shared> weak = m_shared;
    auto *beat = m_shared->makeConnection(m_home.get());
    m_beat = beat;
    // The heartbeat's connection also writes what was admitted locally: when it is ready again, that is the moment
    // (whichever connection noticed Redis' return first).
    beat->onReady = [this, weak] {
        if (auto shared = weak.lock())
            shared->report(true, {});
        replayOwed();
    };
    beat->onFailed = [weak](const QString &why) {
        if (auto shared = weak.lock())
            shared->report(false, why);
    };
    beat->start();
    auto *timer = new QTimer(m_home.get());
    const QByteArray prefix = m_shared->options.prefix;
    const QByteArrayList keys{prefix + "instance:" + m_shared->instanceId, prefix + "instances"};
    const QByteArrayList args{m_shared->instanceId, QByteArray::number(m_shared->options.instanceTtlMs)};
    auto sendHeartbeat = [weak, beat, keys, args] {
        QByteArrayList argv{"EVAL", RedisScripts::heartbeat(), "2"};
        argv += keys;
        argv += args;
        beat->command(argv, [weak](redisReply *reply) {
            auto shared = weak.lock();
            if (!shared || !reply)
                return;
            if (reply->type == REDIS_REPLY_INTEGER) {
                shared->liveInstances = int(qMax<long long>(1, reply->integer));
                shared->report(true, {});
            }
        });
    };
    QObject::connect(timer, &QTimer::timeout, m_home.get(), sendHeartbeat);
    timer->start(m_shared->options.heartbeatMs);
    QTimer::singleShot(0, m_home.get(), sendHeartbeat);
}

RedisRateLimiter::~RedisRateLimiter()
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->replay = nullptr;  // a replay already queued dies with m_home
    const auto connections = std::exchange(m_shared->connections, {});
    lock.unlock();
    for (auto it = connections.cbegin(); it != connections.cend(); ++it) {
        // A connection belongs to its thread: deleted there (now, if that is this one).
        if (it.key() == QThread::currentThread())
            delete it.value();
        else
            it.value()->deleteLater();
    }
}

RedisConnection &RedisRateLimiter::connectionHere()
{
    QThread *thread = QThread::currentThread();
    QMutexLocker lock(&m_shared->mutex);
    if (RedisConnection *existing = m_shared->connections.value(thread))
        return *existing;
    RedisConnection *connection = m_shared->makeConnection();
    connection->preload(RedisScripts::decision());
    m_shared->connections.insert(thread, connection);
    lock.unlock();
    std::weak_ptr<Shared> weak = m_shared;
    connection->onReady = [weak] {
        if (auto shared = weak.lock())
            shared->report(true, {});
    };
    connection->onFailed = [weak](const QString &why) {
        if (auto shared = weak.lock())
            shared->report(false, why);
    };
    // The thread's end takes its connection with it (in the thread, as a socket notifier requires).
    QObject::connect(thread, &QThread::finished, connection, [weak, thread, connection] {
        if (auto shared = weak.lock()) {
            QMutexLocker lock(&shared->mutex);
            shared->connections.remove(thread);
        }
        delete connection;
    }, Qt::DirectConnection);
    connection->start();
    return *connection;
}

void RedisRateLimiter::prepareThread()
{
    connectionHere();
}

qsizetype RedisRateLimiter::owedCalls() const
{
    QMutexLocker lock(&m_shared->mutex);
    return qsizetype(m_shared->owed.size());
}

void RedisRateLimiter::replayOwed()
{
    if (!m_beat->isReady())
        return;  // its onReady calls again
    std::vector<Shared::Owed> owed;
    {
        QMutexLocker lock(&m_shared->mutex);
        owed.swap(m_shared->owed);
    }
    const qint64 now = m_shared->clock->nowMs();
    // By key, in batches, so one script stays small; calls whose window has passed are dropped.
    QHash<QByteArray, QList<const Shared::Owed *>> byKey;
    for (const Shared::Owed &call : owed) {
        if (call.atMs > now - call.windowMs)
            byKey[call.key].append(&call);
    }
    if (byKey.isEmpty())
        return;
    qCInfo(lcRedisLimiter) << "writing" << owed.size() << "calls admitted while Redis was down into its logs";
    QByteArrayList keys;
    QByteArrayList args;
    std::vector<Shared::Owed> batch;  // what the pending script writes, kept for a failed send
    auto flush = [&] {
        if (keys.isEmpty())
            return;
        QByteArrayList argv{"EVAL", RedisScripts::replay(), QByteArray::number(keys.size())};
        argv += keys;
        argv += args;
        std::weak_ptr<Shared> weak = m_shared;
        auto retry = std::make_shared<std::vector<Shared::Owed>>(std::move(batch));
        const bool sent = m_beat->command(argv, [this, weak, retry](redisReply *reply) {
            auto shared = weak.lock();
            if (!shared)
                return;
            if (reply && reply->type == REDIS_REPLY_INTEGER) {
                if (reply->integer > 0 && onReplayOverAdmitted)
                    onReplayOverAdmitted(int(reply->integer));
                return;
            }
            // Not written: kept for the next return of Redis.
            QMutexLocker lock(&shared->mutex);
            shared->owed.insert(shared->owed.end(), retry->begin(), retry->end());
        });
        if (!sent) {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->owed.insert(m_shared->owed.end(), retry->begin(), retry->end());
        }
        keys.clear();
        args.clear();
        batch.clear();
    };
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it) {
        const Shared::Owed &first = *it.value().front();
        keys.append(it.key());
        args << QByteArray::number(first.limit) << QByteArray::number(first.windowMs) << QByteArray::number(it.value().size());
        for (const Shared::Owed *call : it.value()) {
            args << QByteArray::number(now - call->atMs) << call->member;
            batch.push_back(*call);
        }
        if (args.size() > 2000)
            flush();
    }
    flush();
}

bool RedisRateLimiter::isUp() const
{
    return m_shared->up.load();
}

int RedisRateLimiter::liveInstances() const
{
    return m_shared->liveInstances.load();
}

QByteArray RedisRateLimiter::instanceId() const
{
    return m_shared->instanceId;
}

namespace {

// The decisions one event-loop thread asked of one limiter since it last sent: they go to Redis together, in one
// script run, at the end of the thread's current turn (or at once when MaxBatch are waiting).
template<typename Item>
struct DecisionBatch
{
    std::vector<Item> items;
    bool flushQueued = false;
};
constexpr size_t MaxBatch = 64;

} // namespace

void RedisRateLimiter::decide(const RateQuery &query, Callback done)
{
    if (query.limits.isEmpty())
        return done(verdictOf({}, RateBackend::Redis));
    // Per thread and limiter: only this thread touches it, so no lock on the request path.
    thread_local std::unordered_map<quint64, DecisionBatch<PendingDecision>> batches;
    const quint64 id = m_shared->serial;
    DecisionBatch<PendingDecision> &batch = batches[id];
    batch.items.push_back({query, std::move(done)});
    if (batch.items.size() >= MaxBatch) {
        sendBatch(std::exchange(batch.items, {}));
        return;
    }
    if (batch.flushQueued)
        return;
    batch.flushQueued = true;
    std::weak_ptr<Shared> weak = m_shared;
    // Queued to this thread's event dispatcher: runs once the calls of this turn have asked.
    QMetaObject::invokeMethod(QAbstractEventDispatcher::instance(), [this, weak, id] {
        if (!weak.lock()) {
            batches.erase(id);  // the limiter is gone, and with it every call that waited
            return;
        }
        DecisionBatch<PendingDecision> &b = batches[id];
        b.flushQueued = false;
        if (!b.items.empty())
            sendBatch(std::exchange(b.items, {}));
    }, Qt::QueuedConnection);
}

void RedisRateLimiter::sendBatch(std::vector<PendingDecision> items)
{
    const QByteArray &prefix = m_shared->options.prefix;
    QByteArrayList keys;
    // The run's name, unique across instances and runs: each log gets one entry of it, named "<run>:<key>#<calls>".
    QByteArrayList args{QByteArray::number(qsizetype(items.size())),
                        m_shared->instanceId + ':' + QByteArray::number(m_shared->sequence.fetch_add(1))};
    for (const PendingDecision &item : items) {
        args.append(QByteArray::number(item.query.limits.size()));
        for (const RateLimit &limit : item.query.limits) {
            keys.append(prefix + "rl:" + limit.subject);
            args.append(QByteArray::number(limit.limit));
            args.append(QByteArray::number(limit.windowMs));
        }
    }
    std::weak_ptr<Shared> weak = m_shared;
    auto shared = std::make_shared<std::vector<PendingDecision>>(std::move(items));
    const bool sent = connectionHere().evalSha(
        RedisScripts::decisionSha(), RedisScripts::decision(), keys, args, [weak, shared](redisReply *reply) {
            auto limiter = weak.lock();
            if (!limiter)
                return;
            const bool whole = reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == shared->size();
            if (!whole && reply && reply->type == REDIS_REPLY_ERROR)
                qCWarning(lcRedisLimiter).noquote() << "decision script failed:" << QString::fromUtf8(reply->str, int(reply->len));
            for (size_t i = 0; i < shared->size(); ++i) {
                const PendingDecision &item = (*shared)[i];
                if (whole) {
                    if (const auto verdict = verdictFromReply(item.query, reply->element[i])) {
                        item.done(*verdict);
                        continue;
                    }
                }
                decideWithout(*limiter, item.query, item.done);
            }
        });
    if (!sent) {
        for (const PendingDecision &item : *shared)
            decideWithout(*m_shared, item.query, item.done);
    }
}

void RedisRateLimiter::decideWithout(Shared &shared, const RateQuery &query, const Callback &done)
{
    if (shared.options.whenDown == WhenDown::Refuse) {
        RateVerdict verdict;
        verdict.backend = RateBackend::Fallback;
        verdict.unavailable = true;
        verdict.retryAfterSeconds = 1;
        for (const RateLimit &limit : query.limits) {
            RateDecision d;
            d.limit = limit.limit;
            d.resetAtMs = QDateTime::currentMSecsSinceEpoch() + 1000;
            d.retryAfterSeconds = 1;
            verdict.limits.append(d);
        }
        return done(verdict);
    }
    // This instance's share of each limit; the headers still name the whole limit.
    const int instances = qMax(1, shared.liveInstances.load());
    RateQuery share = query;
    for (RateLimit &limit : share.limits) {
        limit.subject.prepend("share:");
        if (limit.limit > 0)
            limit.limit = qMax(1, limit.limit / instances);
    }
    RateVerdict verdict = shared.fallback.decideNow(share, RateBackend::Fallback);
    for (qsizetype i = 0; i < verdict.limits.size(); ++i)
        verdict.limits[i].limit = query.limits[i].limit;
    if (verdict.allowed) {
        // Owed to Redis' logs: written there when it is back, where any excess over the whole limit is measured
        // (onReplayOverAdmitted). Not flagged here: a share that may add up to too much is not yet one too many.
        const qint64 now = shared.clock->nowMs();
        const QByteArray member = shared.instanceId + ":f" + QByteArray::number(shared.sequence.fetch_add(1));
        QMutexLocker lock(&shared.mutex);
        if (shared.owed.size() + size_t(query.limits.size()) > Shared::MaxOwed) {
            qCWarning(lcRedisLimiter) << "more than" << Shared::MaxOwed << "calls admitted while Redis is down: the oldest"
                                      << "will not be written into Redis";
            shared.owed.erase(shared.owed.begin(), shared.owed.begin() + qsizetype(shared.owed.size() / 2));
        }
        for (const RateLimit &limit : query.limits)
            shared.owed.push_back({shared.options.prefix + "rl:" + limit.subject, now, limit.windowMs, limit.limit, member});
    }
    done(verdict);
}

} // namespace tollgate
