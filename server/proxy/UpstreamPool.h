#pragma once

#include "server/proxy/UpstreamCall.h"
#include "server/proxy/UpstreamInstance.h"

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
    int markDownMs = 1000;       // after a connect failure, the instance is skipped this long
    // An idle connection older than this gets one recv(MSG_PEEK) before reuse, to catch a close
    // (or a 408) from the upstream that the event loop has not seen yet. Younger ones are reused
    // unchecked: upstreams close idle connections after seconds, and a close racing the reuse is
    // retried once anyway (except a streamed upload's, which is always checked). 0 checks every
    // reuse.
    int staleCheckIdleMs = 1000;
};

// Keep-alive HTTP/1.1 client for one upstream service (search, STT, TTS), one per event-loop
// thread: it lives in, and must only be used from, the thread that created it. Calls go
// round-robin over the instances, skipping one marked down after a connect failure while another
// is up. Each connection serves one call at a time; with no idle connection a new one is opened
// (no cap: the gateway's own limits bound concurrency).
//
// Destroying the pool with calls in flight is safe: they end silently (isDone(), no callback), as
// if cancelled. Do not destroy it from inside one of its own callbacks.
class UpstreamPool
{
public:
    using Options = UpstreamPoolOptions;

    UpstreamPool(QString name, QList<QUrl> instances, Options options = {});
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

    // "http://a:8080, http://b:8080" -> two URLs; a missing scheme means http.
    static QList<QUrl> parseInstances(QStringView commaSeparated);

private:
    friend class UpstreamConnection;

    // From connections.
    bool release(UpstreamConnection *connection); // false: not kept, the caller closes it
    void connectionClosed(UpstreamConnection *connection, bool wasIdle);
    void callDetached() { --m_inFlight; }
    void markDown(int instance, const QString &why);
    void connected(int instance, const QHostAddress &address);
    void retry(std::shared_ptr<UpstreamCall> call, int instance);

    int pickInstance(qint64 nowMs);
    QString noInstanceReason() const;
    void dispatch(const std::shared_ptr<UpstreamCall> &call, int instance, bool fresh);
    void resolve(int instance);
    void resolved(int instance, const QHostInfo &info);
    void sweepIdle();

    QString m_name;
    Options m_options;
    std::vector<UpstreamInstance> m_instances;
    // Parent of every connection, receiver of queued deliveries and the idle sweep: dying with the
    // pool, it takes connections awaiting deletion and deliveries not yet made with it.
    QObject m_context;
    QTimer m_sweepTimer;
    QSet<UpstreamConnection *> m_connections; // open ones
    int m_next = 0;
    int m_inFlight = 0;
    int m_idleCount = 0;
    bool m_destroying = false;
};

} // namespace tollgate::proxy
