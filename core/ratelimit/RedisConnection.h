#pragma once

#include "core/config/RedisUrl.h"

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

struct redisAsyncContext;
struct redisReply;

namespace tollgate {

// One asynchronous hiredis connection on the event loop of the thread that made it (hiredis' Qt adapter), never
// blocking it. Commands are pipelined: many in flight at once. Each command is answered exactly once: with Redis'
// reply, or with nullptr when the connection is not usable, fails, or Redis does not answer within the timeout —
// then the connection is dropped (a Redis that is that slow is treated as gone) and re-made with backoff by itself.
// AUTH and SELECT are sent first on every connection.
class RedisConnection : public QObject
{
public:
    using ReplyFn = std::function<void(redisReply *reply)>;
    struct Options
    {
        RedisUrl url;
        int timeoutMs = 100;         // per command
        int connectTimeoutMs = 1000;
        int minBackoffMs = 100;
        int maxBackoffMs = 2000;
    };
    RedisConnection(Options options, QObject *parent = nullptr);
    ~RedisConnection() override;

    // Connects (and keeps reconnecting) until destroyed.
    void start();
    // False, without calling fn, when commands cannot be sent now (down, or reconnecting after a failure):
    // the caller answers at once instead of waiting. Otherwise fn is called exactly once, later.
    bool command(const QByteArrayList &argv, ReplyFn fn);
    // EVALSHA; on NOSCRIPT (a restarted or flushed Redis), SCRIPT LOAD and EVALSHA again, pipelined.
    bool evalSha(const QByteArray &sha, const QByteArray &script, const QByteArrayList &keys, const QByteArrayList &args,
                 ReplyFn fn);
    // A script sent with SCRIPT LOAD first on every (re)connection, so EVALSHA rarely meets NOSCRIPT.
    void preload(const QByteArray &script);
    bool isReady() const { return m_state == State::Ready; }

    // Called on every change of this connection's state (ready, or failed with a reason).
    std::function<void()> onReady;
    std::function<void(const QString &why)> onFailed;

private:
    enum class State { Idle, Connecting, Ready, Backoff };
    struct Pending
    {
        ReplyFn fn;
        qint64 deadlineMs;
    };
    static void replied(redisAsyncContext *context, void *reply, void *privdata);
    static void connected(const redisAsyncContext *context, int status);
    static void disconnected(const redisAsyncContext *context, int status);
    void connectNow();
    void send(const QByteArrayList &argv, quint64 id);
    void onReply(quint64 id, redisReply *reply);
    void checkDeadlines();
    // Drops the connection (freeing the context unless hiredis does it), answers everything pending with nullptr,
    // and schedules the next attempt.
    void fail(const QString &why, bool contextFreedByHiredis);
    void armDeadlineTimer();

    Options m_options;
    State m_state = State::Idle;
    bool m_failedBefore = false;  // while reconnecting after a failure, commands are refused at once
    redisAsyncContext *m_context = nullptr;
    class Adapter;
    Adapter *m_adapter = nullptr;  // deleted later: hiredis may drop the connection from inside the adapter's slot
    quint64 m_nextId = 1;
    std::unordered_map<quint64, Pending> m_pending;
    std::deque<std::pair<qint64, quint64>> m_deadlines;  // send order, so deadlines ascend
    QElapsedTimer m_clock;
    QTimer m_deadlineTimer;
    QTimer m_connectTimer;
    QTimer m_retryTimer;
    int m_backoffMs = 0;
    QByteArray m_preload;
    QString m_setupError;  // AUTH or SELECT refused on this attempt
    bool m_loadingScript = false;  // a SCRIPT LOAD after NOSCRIPT is in flight
};

} // namespace tollgate
