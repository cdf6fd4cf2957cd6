#pragma once

#include "server/proxy/UpstreamCall.h"
#include "server/proxy/UpstreamInstance.h"
#include "server/proxy/UpstreamInstanceStates.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringView>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <vector>

class QHostInfo;

namespace tollgate::proxy {

// Outside the class so that `Options options = {}` can default it (a nested struct's member
// initialisers are not usable in its enclosing class's default arguments).
struct UpstreamPoolOptions
{
    // Idle keep-alive connections kept per instance; more are closed. Below the calls usually in
    // flight, calls keep opening new connections (a TCP handshake and a TIME_WAIT each).
    int maxIdlePerInstance = 512;
    int idleTimeoutMs = 30000;   // an idle connection older than this is closed (<= 0: never)
    // For a pool that makes its own shared state (tests, tools); a gateway passes one state per
    // upstream to all its threads' pools, and these are the state's options instead.
    int markDownMs = 1000;       // after a connect failure, the instance is skipped this long
    int failuresToOpen = 5;      // consecutive failures that open an instance's breaker
    int openMs = 10000;          // open breaker: time before a half-open trial
    // An idle connection older than this gets one recv(MSG_PEEK) before reuse, to catch a close
    // (or a 408) from the upstream that the event loop has not seen yet. Younger ones are reused
    // unchecked: upstreams close idle connections after seconds, and a close racing the reuse is
    // retried once anyway (except a streamed upload's, which is always checked). 0 checks every
    // reuse.
    int staleCheckIdleMs = 1000;
};

// Keep-alive HTTP/1.1 client for one upstream service (search, STT, TTS), one per event-loop
// thread: it lives in, and must only be used from, the thread that created it. Each connection
// serves one call at a time; with no idle connection a new one is opened (no cap: the gateway's own
// limits bound concurrency).
//
// Which instance: the one with the fewest calls in flight (counted over every thread's pool through
// the shared UpstreamInstanceStates), ties in turn, among those whose breaker is closed, whose
// health probe has not found them down and whose last connect did not fail. An open breaker whose
// open period is over gets one half-open trial call. Only when no instance is healthy does a call go
// to the least loaded of the others anyway: trying beats failing without trying.
//
// Which calls move to another instance (once per call, within the call's total deadline):
//  - a call that could not be sent: connect refused, timed out, or the name did not resolve;
//  - a GET or HEAD whose connection closed or reset before any response byte.
// Never a call whose streamed body bytes already went out, nor one the upstream answered (even 5xx),
// nor one whose total timeout ran out. A reused keep-alive connection that was closed under us is
// retried once on a fresh connection to the same instance first (the stale-connection race).
//
// What opens a breaker (consecutive, judged per attempt): refused or timed-out connects, connections
// closed or reset before the response, total timeouts, unparsable responses, and 502/503/504
// answers. Any other answer, 500 included, is a success: the instance is there and speaking HTTP.
//
// Destroying the pool with calls in flight is safe: they end silently (isDone(), no callback), as
// if cancelled. Do not destroy it from inside one of its own callbacks.
class UpstreamPool
{
public:
    using Options = UpstreamPoolOptions;

    // states: shared with the other threads' pools and the health probes; null makes a private one
    // from options. Its URLs must be these instances, in this order.
    UpstreamPool(QString name, QList<QUrl> instances, Options options = {},
                 std::shared_ptr<UpstreamInstanceStates> states = {});
    ~UpstreamPool();
    UpstreamPool(const UpstreamPool &) = delete;
    UpstreamPool &operator=(const UpstreamPool &) = delete;

    // Set the call's callbacks right after this returns: none runs before control is back in the
    // event loop, errors found here (bad request, no usable instance, https) included.
    // totalTimeoutMs or connectTimeoutMs <= 0 means no such limit.
    std::shared_ptr<UpstreamCall> start(UpstreamRequest request);

    QString name() const { return m_name; }
    int inFlight() const { return m_inFlight; } // calls on a connection (connecting or busy)
    int idleConnections() const { return m_idleCount; }
    int instanceCount() const { return int(m_instances.size()); }
    UpstreamInstanceStates &states() { return *m_states; }
    // Calls moved to another instance since the pool was made (thread-local count, for tests).
    int callsMoved() const { return m_moved; }

    // "http://a:8080, http://b:8080" -> two URLs; a missing scheme means http.
    static QList<QUrl> parseInstances(QStringView commaSeparated);

private:
    friend class UpstreamConnection;

    // From connections.
    bool release(UpstreamConnection *connection); // false: not kept, the caller closes it
    void connectionClosed(UpstreamConnection *connection, bool wasIdle);
    // How far an attempt that failed got: what may be retried elsewhere, and whether it counts
    // against the instance's breaker.
    enum class Attempt {
        NotSent,    // no connection: refused, connect timeout, name not resolved
        NoResponse, // connected, but closed or reset before any response byte
        Other,      // after response bytes, or out of time: counts, never moved
    };
    void callDetached(int instance);
    void markDown(int instance, const QString &why);
    void connected(int instance, const QHostAddress &address);
    void retry(std::shared_ptr<UpstreamCall> call, int instance);
    void headReceived(UpstreamCall &call, int instance, int status);
    void attemptFailed(std::shared_ptr<UpstreamCall> call, int instance, UpstreamError error, const QString &detail,
                       Attempt attempt);
    void attemptAbandoned(UpstreamCall &call, int instance);

    // exclude: an instance not to pick (the one a moved call failed on). *trial: the call is the
    // breaker's half-open trial of the instance picked.
    int pickInstance(qint64 nowMs, int exclude, bool *trial);
    bool healthy(int instance, qint64 nowMs) const;
    QString noInstanceReason() const;
    void dispatch(const std::shared_ptr<UpstreamCall> &call, int instance, bool fresh, bool trial = false);
    void resolve(int instance);
    void resolved(int instance, const QHostInfo &info);
    void sweepIdle();

    QString m_name;
    Options m_options;
    std::vector<UpstreamInstance> m_instances;
    std::shared_ptr<UpstreamInstanceStates> m_states;
    // Parent of every connection, receiver of queued deliveries and the idle sweep: dying with the
    // pool, it takes connections awaiting deletion and deliveries not yet made with it.
    QObject m_context;
    QTimer m_sweepTimer;
    QSet<UpstreamConnection *> m_connections; // open ones
    int m_next = 0;
    int m_inFlight = 0;
    int m_moved = 0;
    int m_idleCount = 0;
    bool m_destroying = false;
};

} // namespace tollgate::proxy
