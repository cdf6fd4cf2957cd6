#pragma once

#include "server/http/SendBatch.h"
#include "server/http/SocketSendQueue.h"
#include "server/http/SocketWatcher.h"

#include "server/proxy/UpstreamError.h"
#include "server/proxy/UpstreamPool.h"
#include "server/proxy/UpstreamResponseParser.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>


namespace tollgate::proxy {

class UpstreamCall;

// One keep-alive HTTP/1.1 connection to one upstream instance, serving one call at a time (no
// pipelining: a stalled response would hold up the ones queued behind it).
//
// Internal to the pool. Drives its own non-blocking socket with a SocketWatcher (the thread's epoll set) rather than a
// QTcpSocket: per proxied call that is one send and one recv, where QTcpSocket adds an
// ioctl(FIONREAD) before every read and a recv that only returns EAGAIN.
//
// A QObject for its one timer (connect deadline, then the call's total
// deadline); connections are few and long-lived, calls are not QObjects. Never deleted from inside
// its own call stack: closing marks it Closed (all later events are ignored), closes the socket,
// and deletion happens from the event loop, or with the pool.
class UpstreamConnection : public QObject, private http::SendBatch::Member, private http::SocketWatcher::Handler
{
public:
    UpstreamConnection(UpstreamPool *pool, int instance, const QString &peer, quint16 port,
                       const QByteArray &hostHeader, QObject *parent);
    ~UpstreamConnection() override;

    int instance() const { return m_instance; }
    qint64 idleSinceMs() const { return m_idleSinceMs; }
    // Idle and, as far as we know, still in step with the upstream. Only a connection idle for at
    // least checkIdleMs also asks the kernel (one recv): see UpstreamPoolOptions::staleCheckIdleMs.
    bool isUsable(qint64 nowMs, int checkIdleMs) const;

    // From the pool. connectAndStart() with no addresses waits (Connecting, under the connect
    // deadline) for addressesResolved() or resolveFailed().
    void connectAndStart(std::shared_ptr<UpstreamCall> call, const QList<QHostAddress> &addresses,
                         int connectTimeoutMs);
    void addressesResolved(const QList<QHostAddress> &addresses);
    void resolveFailed(const QString &detail);
    void start(std::shared_ptr<UpstreamCall> call); // an idle connection takes a new call
    void close();                                   // closes without delivering anything; deletes later
    void shutdown();                                // the pool is being destroyed: end the call silently

    // From the call.
    bool acceptsBody() const { return m_state == State::Busy; }
    void writeRequestBytes(const QByteArray &bytes);
    qint64 bytesToWrite() const { return m_output.size(); }
    void resumeLater();
    void abandon(); // cancel(): the call has already let go of us

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class State { Connecting, Busy, Idle, Closed };

    // Socket
    void tryAddresses(int lastError);
    bool openSocket(const QHostAddress &address, int *error);
    void closeSocket();
    void finishConnect();
    void setReading(bool enabled);
    bool readInput();
    void onReadable();
    void onWritable();

    // Request
    // batched: a buffered request on a connected socket goes out with the other sends of this
    // event-loop round (see SendBatch); returns the bytes sent now.
    qint64 sendRequest(bool batched = false);
    void queueOutput(const QByteArray &bytes);
    qint64 flushOutput();
    void sendBatched() override { flushOutput(); }
    void socketReadable() override { onReadable(); }
    void socketWritable() override { onWritable(); }
    qint64 sendQueued(qint64 *offered);
    void notifyBodyWritten();

    // Response
    void onConnected();
    void processInput();
    bool deliverBody(const char *data, qsizetype size);
    void handleEof();
    void finishResponse();
    void recycleInput();
    void retryOrFail(const QString &detail);
    // Ends this attempt: the pool judges it and fails the call, or moves it to another instance.
    void failCall(UpstreamError error, const QString &detail, UpstreamPool::Attempt attempt);
    std::shared_ptr<UpstreamCall> detachCall();
    void armTimer();

    UpstreamPool *m_pool; // null once closed or shut down
    const int m_instance;
    const QString m_peer; // "host:port", for messages
    const quint16 m_port;
    const QByteArray m_hostHeader;
    int m_fd = -1;
    // Read: enabled once connected, idle included (to see the upstream close), except while the
    // call is paused. Write: enabled only while connecting or while output waits for room.
    std::unique_ptr<http::SocketWatcher> m_watcher;
    QList<QHostAddress> m_addresses; // tried in order; m_addressIndex is the one being connected
    qsizetype m_addressIndex = 0;
    UpstreamResponseParser m_parser;
    std::shared_ptr<UpstreamCall> m_call;
    QBasicTimer m_timer;
    qint64 m_armedDeadlineMs = 0;
    // Read from the socket, parsed up to m_inputPos. Reused from read to read unless a body chunk
    // handed to the caller still shares it.
    QByteArray m_input;
    qsizetype m_inputPos = 0;
    qsizetype m_readSize; // bytes asked of the next recv: grows once a read fills it
    // Request bytes the kernel did not take yet.
    http::SocketSendQueue m_output;
    qint64 m_connectDeadlineMs = 0;
    qint64 m_idleSinceMs = 0;
    int m_served = 0; // responses completed: > 0 means a reused connection, open to the stale race
    State m_state = State::Connecting;
    bool m_responseStarted = false; // a byte of the current response arrived
    bool m_eof = false;             // the upstream closed (or reset); acted on once buffered input is parsed
    bool m_drained = false;         // the last recv emptied the socket: wait for the watcher
    bool m_writeFailed = false;     // a send failed: output is dropped, the read side reports the close
    bool m_resumePosted = false;
};

} // namespace tollgate::proxy
