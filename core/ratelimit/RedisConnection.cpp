#include "core/ratelimit/RedisConnection.h"

#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <vector>

Q_LOGGING_CATEGORY(lcRedis, "tollgate.core.redis")

namespace tollgate {

namespace {

// Where a retired adapter points: RedisQtAdapter keeps the context it was given and writes into it in its
// destructor, after hiredis has freed that context. Pointed here instead, it writes into memory it owns.
struct Parking
{
    redisAsyncContext context{};
};

} // namespace

class RedisConnection::Adapter final : private Parking, public RedisQtAdapter
{
public:
    using RedisQtAdapter::RedisQtAdapter;
    // The context is gone (or going, inside hiredis): from now on the adapter only refers to its parking spot.
    void retire()
    {
        Parking &parking = *this;
        parking.context = redisAsyncContext{};
        setContext(&parking.context);
    }
};

RedisConnection::RedisConnection(Options options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_clock.start();
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RedisConnection::checkDeadlines);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Connecting)
            fail(QStringLiteral("connect timed out after %1 ms").arg(m_options.connectTimeoutMs), false);
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisConnection::connectNow);
}

RedisConnection::~RedisConnection()
{
    onReady = nullptr;
    onFailed = nullptr;
    if (m_context) {
        m_context->data = nullptr;  // its callbacks, run by the free, must not reach a dying object
        redisAsyncFree(m_context);
        m_context = nullptr;
    }
    if (m_adapter) {
        m_adapter->retire();
        delete m_adapter;
    }
    // What is still pending is answered, as promised: unanswered.
    auto pending = std::move(m_pending);
    for (auto &entry : pending)
        entry.second.fn(nullptr);
}

void RedisConnection::start()
{
    if (m_state == State::Idle)
        connectNow();
}

void RedisConnection::connectNow()
{
    // hiredis resolves a host name with a blocking getaddrinfo(): an IP address or localhost costs nothing.
    redisAsyncContext *context = redisAsyncConnect(m_options.url.host.toUtf8().constData(), m_options.url.port);
    if (!context || context->err) {
        const QString why = context ? QString::fromUtf8(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        m_state = State::Connecting;
        return fail(why, true);
    }
    m_context = context;
    m_context->data = this;
    m_setupError.clear();
    m_adapter = new Adapter;
    m_adapter->setContext(m_context);
    redisAsyncSetConnectCallback(m_context, &RedisConnection::connected);
    redisAsyncSetDisconnectCallback(m_context, &RedisConnection::disconnected);
    m_state = State::Connecting;
    m_connectTimer.start(m_options.connectTimeoutMs);
    // Queued until the connection is up, then sent first: Redis answers in order, so nothing overtakes them.
    if (!m_options.url.password.isEmpty())
        send({"AUTH", m_options.url.password.toUtf8()}, 0);
    if (m_options.url.db != 0)
        send({"SELECT", QByteArray::number(m_options.url.db)}, 0);
    // Ready once Redis answers, not when the socket connects: a Redis still loading its data refuses commands.
    const quint64 id = m_nextId++;
    m_pending.emplace(id, Pending{[this](redisReply *reply) {
        if (!reply)
            return;  // fail() has already been called, or is being
        if (reply->type == REDIS_REPLY_ERROR) {
            const QString why = m_setupError.isEmpty() ? QString::fromUtf8(reply->str, int(reply->len)) : m_setupError;
            return fail(QStringLiteral("Redis refused the connection: %1").arg(why), false);
        }
        m_connectTimer.stop();
        m_state = State::Ready;
        m_failedBefore = false;
        m_backoffMs = 0;
        if (onReady)
            onReady();
    }, m_clock.elapsed() + m_options.connectTimeoutMs});
    // Not in m_deadlines: the connect timer bounds it, and m_deadlines stays in ascending order (one timeout for all).
    send({"PING"}, id);
    // Loaded on every new connection, ahead of any decision: a restarted Redis has lost its scripts.
    if (!m_preload.isEmpty())
        send({"SCRIPT", "LOAD", m_preload}, 0);
}

void RedisConnection::send(const QByteArrayList &argv, quint64 id)
{
    std::vector<const char *> parts;
    std::vector<size_t> sizes;
    parts.reserve(size_t(argv.size()));
    sizes.reserve(size_t(argv.size()));
    for (const QByteArray &arg : argv) {
        parts.push_back(arg.constData());
        sizes.push_back(size_t(arg.size()));
    }
    // Id 0: a command whose reply only matters when it is an error (AUTH, SELECT): the next reply tells.
    redisAsyncCommandArgv(m_context, &RedisConnection::replied, reinterpret_cast<void *>(quintptr(id)), int(parts.size()),
                          parts.data(), sizes.data());
}

bool RedisConnection::command(const QByteArrayList &argv, ReplyFn fn)
{
    const bool usable = m_state == State::Ready || (m_state == State::Connecting && !m_failedBefore);
    if (!usable || !m_context || (m_context->c.flags & (REDIS_DISCONNECTING | REDIS_FREEING)))
        return false;
    const quint64 id = m_nextId++;
    const qint64 deadline = m_clock.elapsed() + m_options.timeoutMs;
    m_pending.emplace(id, Pending{std::move(fn), deadline});
    m_deadlines.emplace_back(deadline, id);
    send(argv, id);
    if (!m_deadlineTimer.isActive())
        armDeadlineTimer();
    return true;
}

bool RedisConnection::evalSha(const QByteArray &sha, const QByteArray &script, const QByteArrayList &keys,
                              const QByteArrayList &args, ReplyFn fn)
{
    QByteArrayList argv{"EVALSHA", sha, QByteArray::number(keys.size())};
    argv += keys;
    argv += args;
    // `this` in the reply function: it is only called while this connection exists (or from its destructor).
    return command(argv, [this, argv, script, fn = std::move(fn)](redisReply *reply) mutable {
        const bool noScript = reply && reply->type == REDIS_REPLY_ERROR && reply->len >= 8
            && qstrncmp(reply->str, "NOSCRIPT", 8) == 0;
        if (!noScript)
            return fn(reply);
        // Every EVALSHA already in flight meets the same NOSCRIPT: one SCRIPT LOAD for them all, and each retry
        // is pipelined behind it, so Redis runs the load first.
        if (!m_loadingScript) {
            qCInfo(lcRedis) << "the decision script is not loaded in Redis (restarted or flushed); loading it again";
            m_loadingScript = command({"SCRIPT", "LOAD", script}, [this](redisReply *) { m_loadingScript = false; });
        }
        if (!m_loadingScript || !command(argv, fn))
            fn(nullptr);
    });
}

void RedisConnection::preload(const QByteArray &script)
{
    m_preload = script;
}

void RedisConnection::replied(redisAsyncContext *context, void *reply, void *privdata)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    const auto id = quint64(reinterpret_cast<quintptr>(privdata));
    auto *r = static_cast<redisReply *>(reply);
    if (!self)
        return;
    if (id == 0) {
        // The first refusal says why (WRONGPASS): kept for the failure the PING behind it reports.
        if (r && r->type == REDIS_REPLY_ERROR && self->m_state == State::Connecting && self->m_setupError.isEmpty())
            self->m_setupError = QString::fromUtf8(r->str, int(r->len));
        return;
    }
    self->onReply(id, r);
}

void RedisConnection::onReply(quint64 id, redisReply *reply)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;  // answered already: timed out
    ReplyFn fn = std::move(it->second.fn);
    m_pending.erase(it);
    fn(reply);
}

void RedisConnection::connected(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || status == REDIS_OK)
        return;  // ready when the PING is answered
    // hiredis frees the context after this callback.
    self->fail(QString::fromUtf8(context->errstr), true);
}

void RedisConnection::disconnected(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    self->fail(status == REDIS_OK ? QStringLiteral("connection closed") : QString::fromUtf8(context->errstr), true);
}

void RedisConnection::armDeadlineTimer()
{
    // Deadlines ascend in send order; answered ones at the front are skipped.
    while (!m_deadlines.empty() && !m_pending.count(m_deadlines.front().second))
        m_deadlines.pop_front();
    if (m_deadlines.empty())
        return;
    m_deadlineTimer.start(int(qMax<qint64>(0, m_deadlines.front().first - m_clock.elapsed()) + 1));
}

void RedisConnection::checkDeadlines()
{
    while (!m_deadlines.empty() && !m_pending.count(m_deadlines.front().second))
        m_deadlines.pop_front();
    if (!m_deadlines.empty() && m_deadlines.front().first <= m_clock.elapsed())
        return fail(QStringLiteral("no answer within %1 ms").arg(m_options.timeoutMs), false);
    armDeadlineTimer();
}

void RedisConnection::fail(const QString &why, bool contextFreedByHiredis)
{
    if (m_state == State::Backoff)
        return;
    m_connectTimer.stop();
    m_deadlineTimer.stop();
    if (m_context) {
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        context->data = nullptr;
        if (!contextFreedByHiredis)
            redisAsyncFree(context);
    }
    if (m_adapter) {
        m_adapter->retire();
        m_adapter->deleteLater();
        m_adapter = nullptr;
    }
    m_state = State::Backoff;
    m_failedBefore = true;
    m_loadingScript = false;
    // Exponential, with jitter so the threads of several instances do not all reconnect in step.
    m_backoffMs = m_backoffMs == 0 ? m_options.minBackoffMs : qMin(m_backoffMs * 2, m_options.maxBackoffMs);
    m_retryTimer.start(m_backoffMs / 2 + int(QRandomGenerator::global()->bounded(m_backoffMs / 2 + 1)));
    qCDebug(lcRedis).noquote() << "Redis connection failed:" << why << "- retrying in about" << m_backoffMs << "ms";
    // Everything pending is answered now, unanswered: nobody waits for a Redis that is gone.
    auto pending = std::move(m_pending);
    m_pending.clear();
    m_deadlines.clear();
    if (onFailed)
        onFailed(why);
    for (auto &entry : pending)
        entry.second.fn(nullptr);
}

} // namespace tollgate
