#include "server/proxy/UpstreamConnection.h"

#include "server/proxy/ProxyLogging.h"
#include "server/proxy/UpstreamCall.h"
#include "server/proxy/UpstreamClock.h"
#include "server/proxy/UpstreamPool.h"
#include "server/proxy/UpstreamRequestEncoder.h"

#include <QMetaObject>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <climits>

#include <sys/socket.h>

namespace tollgate::proxy {

namespace {

// How far Qt reads ahead of us. Bounds memory per connection while a response is paused, and is
// the size of the pieces a large body is relayed in.
constexpr qint64 ReadBufferSize = 256 * 1024;
// Bodies up to this size go out in the same write as the head: one send, one segment.
constexpr qsizetype InlineBodySize = 16 * 1024;

} // namespace

UpstreamConnection::UpstreamConnection(UpstreamPool *pool, int instance, const QString &peer,
                                       const QByteArray &hostHeader, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_instance(instance)
    , m_peer(peer)
    , m_hostHeader(hostHeader)
    , m_socket(new QTcpSocket(this))
    , m_parser([this](const char *data, qsizetype size) { return deliverBody(data, size); })
{
    // Upstreams are reached directly; skipping proxy resolution also saves work on every connect.
    m_socket->setProxy(QNetworkProxy::NoProxy);
    m_socket->setReadBufferSize(ReadBufferSize);
    connect(m_socket, &QTcpSocket::connected, this, &UpstreamConnection::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &UpstreamConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
}

UpstreamConnection::~UpstreamConnection()
{
    // The socket (our child) is deleted after us and may still signal while it goes.
    QObject::disconnect(m_socket, nullptr, this, nullptr);
    if (m_call)
        m_call->endSilently();
}

bool UpstreamConnection::isUsable() const
{
    if (m_state != State::Idle || m_socket->state() != QAbstractSocket::ConnectedState
        || m_socket->bytesAvailable() != 0) {
        return false;
    }
    // Ask the kernel too: a FIN (or a "408 Request Timeout" some servers send before closing) may
    // have arrived since the event loop last looked. Catching it here costs one syscall and spares
    // a retry, or an error where no retry is possible (a streamed upload).
    char byte;
    const ssize_t peeked = ::recv(int(m_socket->socketDescriptor()), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// ---------------------------------------------------------------------------------------------
// Starting calls

void UpstreamConnection::connectAndStart(std::shared_ptr<UpstreamCall> call, const QString &host, quint16 port,
                                         int connectTimeoutMs)
{
    m_state = State::Connecting;
    m_call = std::move(call);
    m_call->m_connection = this;
    m_connectDeadlineMs = connectTimeoutMs > 0 ? upstreamNowMs() + connectTimeoutMs : LLONG_MAX;
    armTimer();
    // May fail before returning (a refused loopback connect): the handlers close us and fail the
    // call, whose error the pool then delivers from the event loop.
    m_socket->connectToHost(host, port);
}

void UpstreamConnection::start(std::shared_ptr<UpstreamCall> call)
{
    Q_ASSERT(m_state == State::Idle);
    m_state = State::Busy;
    m_call = std::move(call);
    m_call->m_connection = this;
    sendRequest();
    armTimer();
}

void UpstreamConnection::onConnected()
{
    if (m_state != State::Connecting)
        return;
    m_state = State::Busy;
    // The head and a small body leave in one write, but a streamed body follows in pieces that
    // must not wait for Nagle.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_pool)
        m_pool->markUp(m_instance);
    sendRequest();
    armTimer();
}

void UpstreamConnection::sendRequest()
{
    UpstreamCall *call = m_call.get();
    const UpstreamRequest &request = call->m_request;
    m_parser.reset(request.method == "HEAD");
    m_responseStarted = false;
    m_eof = false;
    m_input = QByteArray();
    m_inputPos = 0;

    // Buffered writes only: Qt flushes them from the event loop, so no socket error (and so no
    // callback) can surface while the caller is still inside start() or writeBody().
    QByteArray head = UpstreamRequestEncoder::head(request, m_hostHeader);
    if (!request.streamedBody) {
        if (request.body.size() <= InlineBodySize) {
            head += request.body;
            m_socket->write(head);
        } else {
            m_socket->write(head);
            m_socket->write(request.body);
        }
        return;
    }
    m_socket->write(head);
    if (!call->m_pendingBody.isEmpty()) {
        call->m_bodySent = true;
        for (const QByteArray &piece : std::as_const(call->m_pendingBody))
            m_socket->write(piece);
        call->m_pendingBody.clear();
        call->m_pendingBodyBytes = 0;
    }
}

void UpstreamConnection::writeRequestBytes(const QByteArray &bytes)
{
    m_socket->write(bytes);
}

qint64 UpstreamConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void UpstreamConnection::onBytesWritten()
{
    if (m_state == State::Busy && m_call && m_call->m_request.streamedBody)
        m_call->deliverBodyWritten();
}

// ---------------------------------------------------------------------------------------------
// Response

void UpstreamConnection::onReadyRead()
{
    if (m_state == State::Busy) {
        processInput();
    } else if (m_state == State::Idle) {
        // Bytes nobody asked for: the connection is out of step with the upstream.
        qCDebug(lcTollgateProxy) << "unsolicited bytes from idle upstream connection" << m_peer;
        close();
    }
}

void UpstreamConnection::resumeLater()
{
    if (m_resumePosted || m_state != State::Busy)
        return;
    // Queued, so that resumeResponse() never calls back into the caller that is calling it.
    m_resumePosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_resumePosted = false;
            if (m_state == State::Busy)
                processInput();
        },
        Qt::QueuedConnection);
}

void UpstreamConnection::processInput()
{
    // Callbacks may cancel the call and drop the caller's last reference to it.
    const std::shared_ptr<UpstreamCall> call = m_call;
    while (m_state == State::Busy && m_call == call) {
        if (call->m_paused)
            return;
        if (m_inputPos >= m_input.size()) {
            // readAll() (not read(n)) also re-arms Qt's read notifier after a full read buffer.
            m_input = m_socket->bytesAvailable() > 0 ? m_socket->readAll() : QByteArray();
            m_inputPos = 0;
            if (m_input.isEmpty()) {
                if (m_eof)
                    handleEof();
                return;
            }
            m_responseStarted = true;
        }
        qsizetype used = 0;
        const auto event = m_parser.feed(m_input.constData() + m_inputPos, m_input.size() - m_inputPos, &used);
        m_inputPos += used;
        switch (event) {
        case UpstreamResponseParser::Event::NeedMore:
        case UpstreamResponseParser::Event::Stopped:
            break; // the loop re-checks pause and cancel, then reads on
        case UpstreamResponseParser::Event::Head:
            call->deliverHead(m_parser.head());
            break;
        case UpstreamResponseParser::Event::Complete:
            finishResponse();
            return;
        case UpstreamResponseParser::Event::Error:
            failCall(UpstreamError::Protocol,
                     QStringLiteral("invalid response from %1: %2").arg(m_peer, m_parser.errorString()));
            return;
        }
    }
}

bool UpstreamConnection::deliverBody(const char *data, qsizetype size)
{
    UpstreamCall *call = m_call.get();
    if (!call || size <= 0)
        return call != nullptr;
    if (data == m_input.constData() && size == m_input.size())
        call->deliverData(m_input); // the whole read is body: hand it over without a copy
    else
        call->deliverData(QByteArray(data, size));
    // Stop parsing if the callback paused or cancelled.
    return m_state == State::Busy && m_call.get() == call && !call->m_paused;
}

void UpstreamConnection::finishResponse()
{
    const std::shared_ptr<UpstreamCall> call = detachCall();
    ++m_served;
    // A streamed body is complete once every announced byte (or the last chunk) went to the socket.
    const UpstreamRequest &request = call->m_request;
    const bool requestSent = !request.streamedBody
        || (call->m_pendingBody.isEmpty()
            && (request.bodyLength >= 0 ? call->m_bodyBytesAccepted == request.bodyLength : call->m_bodyEnded));
    // Reusable only in step with the upstream: it said keep-alive, took our whole request, and has
    // sent nothing past this response.
    const bool reusable = m_parser.keepAlive() && requestSent && !m_eof && m_inputPos >= m_input.size()
        && m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesToWrite() == 0
        && m_socket->bytesAvailable() == 0;
    m_input = QByteArray();
    m_inputPos = 0;
    if (reusable && m_pool) {
        m_state = State::Idle;
        m_idleSinceMs = upstreamNowMs();
        // Back in the pool before onComplete, so a caller starting its next call from there
        // gets this connection.
        if (!m_pool->release(this))
            close();
    } else {
        close();
    }
    call->complete();
}

void UpstreamConnection::handleEof()
{
    if (!m_responseStarted) {
        retryOrFail(QStringLiteral("%1 closed the connection before responding").arg(m_peer));
        return;
    }
    if (!m_parser.headSeen()) {
        failCall(UpstreamError::Unavailable,
                 QStringLiteral("%1 closed the connection inside the response head").arg(m_peer));
        return;
    }
    if (m_parser.finish() == UpstreamResponseParser::Event::Complete) {
        finishResponse(); // a body delimited by the close
        return;
    }
    failCall(UpstreamError::Protocol, QStringLiteral("%1 closed the connection mid-body").arg(m_peer));
}

void UpstreamConnection::retryOrFail(const QString &detail)
{
    // The stale keep-alive race: the upstream closed an idle connection just as we reused it. The
    // request never got an answer, so sending it again on a fresh connection is safe, once, and
    // only while we still hold all of it (a streamed body whose bytes went out is gone).
    UpstreamCall *call = m_call.get();
    if (m_served == 0 || call->m_retried || call->m_bodySent || !m_pool) {
        failCall(UpstreamError::Unavailable, detail);
        return;
    }
    qCDebug(lcTollgateProxy) << "reused connection to" << m_peer << "was closed; retrying on a fresh one";
    UpstreamPool *pool = m_pool;
    const int instance = m_instance;
    std::shared_ptr<UpstreamCall> retried = detachCall();
    retried->m_retried = true;
    close();
    pool->retry(std::move(retried), instance);
}

// ---------------------------------------------------------------------------------------------
// Errors, timeouts, closing

void UpstreamConnection::onSocketError(QAbstractSocket::SocketError error)
{
    switch (m_state) {
    case State::Closed:
        return;
    case State::Idle:
        // The upstream closed an idle connection (its keep-alive timeout): just drop it.
        close();
        return;
    case State::Connecting: {
        const QString detail = QStringLiteral("cannot connect to %1: %2").arg(m_peer, m_socket->errorString());
        if (m_pool)
            m_pool->markDown(m_instance, detail);
        failCall(error == QAbstractSocket::SocketTimeoutError ? UpstreamError::Timeout : UpstreamError::Unavailable,
                 detail);
        return;
    }
    case State::Busy:
        // EOF and reset look alike here (Qt reports both as RemoteHostClosedError). Parse what is
        // still buffered first: it may complete the response.
        m_eof = true;
        processInput();
        return;
    }
}

void UpstreamConnection::onDisconnected()
{
    if (m_state == State::Idle) {
        close();
    } else if (m_state == State::Busy) {
        m_eof = true;
        processInput();
    }
}

void UpstreamConnection::armTimer()
{
    qint64 deadline = m_call->m_deadlineMs;
    if (m_state == State::Connecting)
        deadline = qMin(deadline, m_connectDeadlineMs);
    if (deadline == LLONG_MAX) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::clamp<qint64>(deadline - upstreamNowMs(), 0, INT_MAX);
    m_timer.start(int(wait), this);
}

void UpstreamConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    if (!m_call || (m_state != State::Connecting && m_state != State::Busy))
        return;
    const qint64 now = upstreamNowMs();
    if (now >= m_call->m_deadlineMs) {
        failCall(UpstreamError::Timeout, QStringLiteral("no complete response from %1 within %2 ms")
                                             .arg(m_peer)
                                             .arg(m_call->m_request.totalTimeoutMs));
        return;
    }
    if (m_state == State::Connecting && now >= m_connectDeadlineMs) {
        const QString detail = QStringLiteral("connecting to %1 timed out after %2 ms")
                                   .arg(m_peer)
                                   .arg(m_call->m_request.connectTimeoutMs);
        if (m_pool)
            m_pool->markDown(m_instance, detail);
        failCall(UpstreamError::Timeout, detail);
        return;
    }
    armTimer(); // a coarse timer fired a little early
}

std::shared_ptr<UpstreamCall> UpstreamConnection::detachCall()
{
    m_timer.stop();
    std::shared_ptr<UpstreamCall> call = std::move(m_call);
    m_call.reset();
    if (call) {
        call->m_connection = nullptr;
        if (m_pool)
            m_pool->callDetached();
    }
    return call;
}

void UpstreamConnection::failCall(UpstreamError error, const QString &detail)
{
    qCDebug(lcTollgateProxy) << "upstream call failed:" << upstreamErrorName(error) << detail;
    const std::shared_ptr<UpstreamCall> call = detachCall();
    close();
    if (call)
        call->fail(error, detail);
}

void UpstreamConnection::abandon()
{
    detachCall();
    close();
}

void UpstreamConnection::close()
{
    if (m_state == State::Closed)
        return;
    if (m_call) {
        // Every path detaches first; this only guards against a call left without an end.
        detachCall()->fail(UpstreamError::Unavailable, QStringLiteral("connection to %1 closed").arg(m_peer));
    }
    const bool wasIdle = m_state == State::Idle;
    m_state = State::Closed;
    m_timer.stop();
    if (m_pool) {
        m_pool->connectionClosed(this, wasIdle);
        m_pool = nullptr;
    }
    // abort(), not disconnectFromHost(): nothing we still owe this upstream, and no lingering.
    // Signals it emits on the way find us Closed. m_input stays: the parser may be reading it.
    m_socket->abort();
    deleteLater();
}

void UpstreamConnection::shutdown()
{
    m_pool = nullptr;
    m_timer.stop();
    if (m_call) {
        const std::shared_ptr<UpstreamCall> call = std::move(m_call);
        m_call.reset();
        call->endSilently();
    }
    m_state = State::Closed;
    m_socket->abort();
}

} // namespace tollgate::proxy
