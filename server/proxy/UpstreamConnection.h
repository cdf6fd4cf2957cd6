#pragma once

#include "server/proxy/UpstreamError.h"
#include "server/proxy/UpstreamResponseParser.h"

#include <QAbstractSocket>
#include <QBasicTimer>
#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

class QTcpSocket;

namespace tollgate::proxy {

class UpstreamCall;
class UpstreamPool;

// One keep-alive HTTP/1.1 connection to one upstream instance, serving one call at a time (no
// pipelining: a stalled response would hold up the ones queued behind it).
//
// Internal to the pool. A QObject for its socket's signals and its one timer (connect deadline,
// then the call's total deadline); connections are few and long-lived, calls are not QObjects.
// Never deleted from inside its own call stack: closing marks it Closed (all later events are
// ignored) and deletion happens from the event loop, or with the pool.
class UpstreamConnection : public QObject
{
public:
    UpstreamConnection(UpstreamPool *pool, int instance, const QString &peer, const QByteArray &hostHeader,
                       QObject *parent);
    ~UpstreamConnection() override;

    int instance() const { return m_instance; }
    qint64 idleSinceMs() const { return m_idleSinceMs; }
    // Idle, still connected, and the upstream has sent nothing since the last response.
    bool isUsable() const;

    // From the pool.
    void connectAndStart(std::shared_ptr<UpstreamCall> call, const QString &host, quint16 port, int connectTimeoutMs);
    void start(std::shared_ptr<UpstreamCall> call); // an idle connection takes a new call
    void close();                                   // closes without delivering anything; deletes later
    void shutdown();                                // the pool is being destroyed: end the call silently

    // From the call.
    bool acceptsBody() const { return m_state == State::Busy; }
    void writeRequestBytes(const QByteArray &bytes);
    qint64 bytesToWrite() const;
    void resumeLater();
    void abandon(); // cancel(): the call has already let go of us

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class State { Connecting, Busy, Idle, Closed };

    void onConnected();
    void onReadyRead();
    void onBytesWritten();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();

    void sendRequest();
    void processInput();
    bool deliverBody(const char *data, qsizetype size);
    void handleEof();
    void finishResponse();
    void retryOrFail(const QString &detail);
    void failCall(UpstreamError error, const QString &detail);
    std::shared_ptr<UpstreamCall> detachCall();
    void armTimer();

    UpstreamPool *m_pool; // null once closed or shut down
    const int m_instance;
    const QString m_peer; // "host:port", for messages
    const QByteArray m_hostHeader;
    QTcpSocket *m_socket;
    UpstreamResponseParser m_parser;
    std::shared_ptr<UpstreamCall> m_call;
    QBasicTimer m_timer;
    QByteArray m_input; // read from the socket, parsed up to m_inputPos
    qsizetype m_inputPos = 0;
    qint64 m_connectDeadlineMs = 0;
    qint64 m_idleSinceMs = 0;
    int m_served = 0; // responses completed: > 0 means a reused connection, open to the stale race
    State m_state = State::Connecting;
    bool m_responseStarted = false; // a byte of the current response arrived
    bool m_eof = false;             // the upstream closed; acted on once buffered input is parsed
    bool m_resumePosted = false;
};

} // namespace tollgate::proxy
