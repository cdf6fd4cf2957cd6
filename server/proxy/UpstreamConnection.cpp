#include "server/proxy/UpstreamConnection.h"

#include "server/proxy/ProxyLogging.h"
#include "server/proxy/UpstreamCall.h"
#include "server/proxy/UpstreamClock.h"
#include "server/proxy/UpstreamPool.h"
#include "server/proxy/UpstreamRequestEncoder.h"

#include "server/http/SocketAddress.h"

#include <QMetaObject>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::proxy {

namespace {

// The first recv of a response asks for this much; once one fills the buffer, the next ones ask for
// MaxReadSize. A typical response then takes one recv into a buffer small enough to keep on every
// idle connection, while a large body takes few recvs and is relayed in MaxReadSize pieces.
constexpr qsizetype InitialReadSize = 32 * 1024;
// Also bounds what we hold per connection while a response is paused: the rest waits in the
// kernel, and TCP makes the upstream wait.
constexpr qsizetype MaxReadSize = 256 * 1024;
// Bodies up to this size go out in the same buffer as the head; larger ones are gathered into the
// same sendmsg without being copied.
constexpr qsizetype InlineBodySize = 16 * 1024;

} // namespace

UpstreamConnection::UpstreamConnection(UpstreamPool *pool, int instance, const QString &peer, quint16 port,
                                       const QByteArray &hostHeader, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_instance(instance)
    , m_peer(peer)
    , m_port(port)
    , m_hostHeader(hostHeader)
    , m_parser([this](const char *data, qsizetype size) { return deliverBody(data, size); })
    , m_readSize(InitialReadSize)
{
}

UpstreamConnection::~UpstreamConnection()
{
    if (m_call)
        m_call->endSilently();
    closeSocket();
}

bool UpstreamConnection::isUsable(qint64 nowMs, int checkIdleMs) const
{
    if (m_state != State::Idle)
        return false;
    // Upstreams close idle connections after seconds (their keep-alive timeout), so a connection
    // idle for less than that is reused unchecked; a close racing the reuse is retried once.
    if (nowMs - m_idleSinceMs < checkIdleMs)
        return true;
    // Ask the kernel: a FIN (or a "408 Request Timeout" some servers send before closing) may have
    // arrived since the event loop last looked. Catching it here costs one syscall and spares a
    // retry, or an error where no retry is possible (a streamed upload).
    char byte;
    const ssize_t peeked = ::recv(m_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// ---------------------------------------------------------------------------------------------
// Connecting

void UpstreamConnection::connectAndStart(std::shared_ptr<UpstreamCall> call, const QList<QHostAddress> &addresses,
                                         int connectTimeoutMs)
{
    m_state = State::Connecting;
    m_call = std::move(call);
    m_call->m_connection = this;
    m_connectDeadlineMs = connectTimeoutMs > 0 ? upstreamNowMs() + connectTimeoutMs : LLONG_MAX;
    armTimer();
    // May fail before returning (no route, no descriptor left): we close and fail the call, whose
    // error the pool then delivers from the event loop.
    if (!addresses.isEmpty())
        addressesResolved(addresses);
}

void UpstreamConnection::addressesResolved(const QList<QHostAddress> &addresses)
{
    if (m_state != State::Connecting)
        return; // timed out or cancelled while the name was looked up
    m_addresses = addresses;
    m_addressIndex = 0;
    tryAddresses(0);
}

void UpstreamConnection::resolveFailed(const QString &detail)
{
    if (m_state == State::Connecting)
        failCall(UpstreamError::Unavailable, detail, UpstreamPool::Attempt::NotSent);
}

void UpstreamConnection::tryAddresses(int lastError)
{
    // A name may resolve to addresses we cannot reach ("localhost" as ::1 with the upstream on
    // 127.0.0.1 only): move on to the next one, as QTcpSocket did.
    for (; m_addressIndex < m_addresses.size(); ++m_addressIndex) {
        if (openSocket(m_addresses.at(m_addressIndex), &lastError))
            return;
    }
    const QString detail = QStringLiteral("cannot connect to %1: %2").arg(m_peer, qt_error_string(lastError));
    if (m_pool)
        m_pool->markDown(m_instance, detail);
    failCall(UpstreamError::Unavailable, detail, UpstreamPool::Attempt::NotSent);
}

bool UpstreamConnection::openSocket(const QHostAddress &address, int *error)
{
    sockaddr_storage storage;
    socklen_t length = 0;
    if (!http::SocketAddress::toSockaddr(address, m_port, &storage, &length)) {
        *error = EAFNOSUPPORT;
        return false;
    }
    m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        *error = errno;
        return false;
    }
    // The head and a small body leave in one send, but a streamed body follows in pieces that must
    // not wait for Nagle.
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    // No interest yet: nothing is read while connecting, and write interest, enabled below once the
    // connect is under way, tells how it ends.
    m_watcher.reset(new http::SocketWatcher(m_fd, static_cast<http::SocketWatcher::Handler *>(this), false, false));

    // EINPROGRESS is the usual answer, loopback included; the socket turns writable once the
    // handshake ends either way, and finishConnect() reads the outcome. An immediate success takes
    // the same path.
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&storage), length) < 0 && errno != EINPROGRESS) {
        *error = errno;
        closeSocket();
        return false;
    }
    m_watcher->setWriteEnabled(true);
    return true;
}

void UpstreamConnection::finishConnect()
{
    int error = 0;
    socklen_t length = sizeof(error);
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
        error = errno;
    if (error != 0) {
        closeSocket();
        ++m_addressIndex;
        tryAddresses(error);
        return;
    }
    m_watcher->setWriteEnabled(false);
    onConnected();
}

void UpstreamConnection::onConnected()
{
    m_state = State::Busy;
    if (m_pool)
        m_pool->connected(m_instance, m_addresses.at(m_addressIndex));
    setReading(true);
    armTimer();
    // Body pieces queued while connecting just went out: an uploader holding back on
    // pendingRequestBytes() waits to hear that.
    if (sendRequest() > 0)
        notifyBodyWritten();
}

void UpstreamConnection::closeSocket()
{
    leaveBatch();
    // The watcher first: one still registered on a closed descriptor would watch whatever socket
    // reuses the number.
    m_watcher.reset();
    m_output.clear();
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

void UpstreamConnection::setReading(bool enabled)
{
    if (m_watcher)
        m_watcher->setReadEnabled(enabled);
}

void UpstreamConnection::onReadable()
{
    m_drained = false;
    if (m_state == State::Busy) {
        processInput();
    } else if (m_state == State::Idle) {
        // The upstream closed the idle connection (its keep-alive timeout), or sent bytes nobody
        // asked for and is out of step with us: either way the connection is done.
        char byte;
        if (::recv(m_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
            qCDebug(lcTollgateProxy) << "unsolicited bytes from idle upstream connection" << m_peer;
        close();
    }
}

void UpstreamConnection::onWritable()
{
    if (m_state == State::Connecting) {
        finishConnect();
    } else if (m_state == State::Busy) {
        if (flushOutput() > 0)
            notifyBodyWritten();
    }
}

// ---------------------------------------------------------------------------------------------
// Request

void UpstreamConnection::start(std::shared_ptr<UpstreamCall> call)
{
    Q_ASSERT(m_state == State::Idle);
    m_state = State::Busy;
    m_call = std::move(call);
    m_call->m_connection = this;
    sendRequest(true);
    armTimer();
}

qint64 UpstreamConnection::sendRequest(bool batched)
{
    UpstreamCall *call = m_call.get();
    const UpstreamRequest &request = call->m_request;
    m_parser.reset(request.method == "HEAD");
    m_responseStarted = false;
    m_eof = false;
    recycleInput();

    QByteArray head = UpstreamRequestEncoder::head(request, m_hostHeader);
    if (!request.streamedBody) {
        if (request.body.size() <= InlineBodySize) {
            head += request.body;
            queueOutput(head);
        } else {
            queueOutput(head);
            queueOutput(request.body);
        }
    } else {
        queueOutput(head);
        if (!call->m_pendingBody.isEmpty()) {
            call->m_bodySent = true;
            for (const QByteArray &piece : std::as_const(call->m_pendingBody))
                queueOutput(piece);
            call->m_pendingBody.clear();
            call->m_pendingBodyBytes = 0;
        }
    }
    if (batched && !request.streamedBody) {
        joinBatch();
        return 0;
    }
    // Sent right away, usually whole. A send error is only recorded: no callback can run while
    // the caller is still inside start(), and the read side reports the close from the event loop.
    return flushOutput();
}

void UpstreamConnection::writeRequestBytes(const QByteArray &bytes)
{
    if (m_writeFailed || bytes.isEmpty())
        return; // the connection is gone; the read side is about to say so
    queueOutput(bytes);
    // With more queued, write interest is already on, waiting for room; sending now would only
    // get EAGAIN.
    if (m_output.size() == bytes.size())
        flushOutput();
}

void UpstreamConnection::queueOutput(const QByteArray &bytes)
{
    m_output.append(bytes);
}

qint64 UpstreamConnection::flushOutput()
{
    leaveBatch();
    qint64 total = 0;
    while (!m_output.isEmpty() && m_fd >= 0) {
        qint64 offered = 0;
        const qint64 sent = sendQueued(&offered);
        if (sent <= 0)
            break;
        total += sent;
        // A short send means the socket buffer is full: wait for room rather than ask again.
        if (sent < offered)
            break;
    }
    if (m_watcher)
        m_watcher->setWriteEnabled(!m_output.isEmpty());
    return total;
}

qint64 UpstreamConnection::sendQueued(qint64 *offered)
{
    const qint64 sent = m_output.sendSome(m_fd, offered);
    if (sent < 0) {
        // Reset or closed by the upstream: what is left can never arrive. The read side sees the
        // close as well and ends the call from the event loop, after parsing any response the
        // upstream managed to send (an early 413, say).
        qCDebug(lcTollgateProxy) << "sending to" << m_peer << "failed:" << qt_error_string(errno);
        m_writeFailed = true;
        m_output.clear();
    }
    return sent;
}

void UpstreamConnection::notifyBodyWritten()
{
    if (m_state == State::Busy && m_call && m_call->m_request.streamedBody)
        m_call->deliverBodyWritten();
}

// ---------------------------------------------------------------------------------------------
// Response

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
            if (m_state == State::Busy) {
                setReading(true);
                processInput();
            }
        },
        Qt::QueuedConnection);
}

bool UpstreamConnection::readInput()
{
    if (m_eof || m_drained)
        return false;
    // Reuse the buffer unless the caller still holds the last chunk we handed over in it.
    if (!m_input.isDetached() || m_input.capacity() < m_readSize)
        m_input = QByteArray(m_readSize, Qt::Uninitialized);
    else
        m_input.resize(m_readSize);
    m_inputPos = 0;

    ssize_t received;
    do {
        received = ::recv(m_fd, m_input.data(), size_t(m_readSize), 0);
    } while (received < 0 && errno == EINTR);

    if (received > 0) {
        m_input.resize(qsizetype(received));
        m_responseStarted = true;
        // A short read emptied the socket: another recv would only return EAGAIN, so the next one
        // waits for the watcher. A full one may have left more behind: read on, in large pieces.
        if (received < m_readSize)
            m_drained = true;
        else
            m_readSize = MaxReadSize;
        return true;
    }
    m_input.resize(0);
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        m_drained = true;
        return false;
    }
    // 0 is the upstream's FIN; an error (a reset) ends the connection the same way.
    m_eof = true;
    return false;
}

void UpstreamConnection::processInput()
{
    // Callbacks may cancel the call and drop the caller's last reference to it.
    const std::shared_ptr<UpstreamCall> call = m_call;
    while (m_state == State::Busy && m_call == call) {
        if (call->m_paused) {
            // Leave the rest in the kernel: its buffer fills and TCP holds the upstream back until
            // resumeResponse().
            setReading(false);
            return;
        }
        if (m_inputPos >= m_input.size() && !readInput()) {
            if (m_eof)
                handleEof();
            return;
        }
        qsizetype used = 0;
        const auto event = m_parser.feed(m_input.constData() + m_inputPos, m_input.size() - m_inputPos, &used);
        m_inputPos += used;
        switch (event) {
        case UpstreamResponseParser::Event::NeedMore:
        case UpstreamResponseParser::Event::Stopped:
            break; // the loop re-checks pause and cancel, then reads on
        case UpstreamResponseParser::Event::Head:
            if (m_pool)
                m_pool->headReceived(*call, m_instance, m_parser.head().status);
            call->deliverHead(m_parser.head());
            break;
        case UpstreamResponseParser::Event::Complete:
            finishResponse();
            return;
        case UpstreamResponseParser::Event::Error:
            failCall(UpstreamError::Protocol,
                     QStringLiteral("invalid response from %1: %2").arg(m_peer, m_parser.errorString()),
                     UpstreamPool::Attempt::Other);
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
    const bool reusable = m_parser.keepAlive() && requestSent && !m_eof && !m_writeFailed && m_output.isEmpty()
        && m_inputPos >= m_input.size();
    recycleInput();
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

void UpstreamConnection::recycleInput()
{
    // Idle connections keep a small buffer for the next response, not a large one a big body grew.
    m_inputPos = 0;
    m_readSize = InitialReadSize;
    if (m_input.isDetached() && m_input.capacity() <= InitialReadSize)
        m_input.resize(0);
    else
        m_input = QByteArray();
}

void UpstreamConnection::handleEof()
{
    if (!m_responseStarted) {
        retryOrFail(QStringLiteral("%1 closed the connection before responding").arg(m_peer));
        return;
    }
    if (!m_parser.headSeen()) {
        failCall(UpstreamError::Unavailable,
                 QStringLiteral("%1 closed the connection inside the response head").arg(m_peer),
                 UpstreamPool::Attempt::Other);
        return;
    }
    if (m_parser.finish() == UpstreamResponseParser::Event::Complete) {
        finishResponse(); // a body delimited by the close
        return;
    }
    failCall(UpstreamError::Protocol, QStringLiteral("%1 closed the connection mid-body").arg(m_peer),
             UpstreamPool::Attempt::Other);
}

void UpstreamConnection::retryOrFail(const QString &detail)
{
    // The stale keep-alive race: the upstream closed an idle connection just as we reused it. The
    // request never got an answer, so sending it again on a fresh connection is safe, once, and
    // only while we still hold all of it (a streamed body whose bytes went out is gone).
    UpstreamCall *call = m_call.get();
    // Otherwise the pool may still move it to another instance (an idempotent GET, say).
    if (m_served == 0 || call->m_retried || call->m_bodySent || !m_pool) {
        failCall(UpstreamError::Unavailable, detail, UpstreamPool::Attempt::NoResponse);
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
// Timeouts, closing

void UpstreamConnection::armTimer()
{
    qint64 deadline = m_call->m_deadlineMs;
    if (m_state == State::Connecting)
        deadline = qMin(deadline, m_connectDeadlineMs);
    if (deadline == LLONG_MAX)
        return; // a timer still armed for an earlier call finds nothing due and stops
    // A timer that fires sooner is left alone: it re-evaluates then. On a keep-alive connection the
    // next call's deadline is later than the last one's, so the timer is armed about once a total
    // timeout rather than once a call (registering a Qt timer is a sorted insert and an id).
    if (m_timer.isActive() && m_armedDeadlineMs <= deadline)
        return;
    m_armedDeadlineMs = deadline;
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
        failCall(UpstreamError::Timeout,
                 QStringLiteral("no complete response from %1 within %2 ms")
                     .arg(m_peer)
                     .arg(m_call->m_request.totalTimeoutMs),
                 UpstreamPool::Attempt::Other);
        return;
    }
    if (m_state == State::Connecting && now >= m_connectDeadlineMs) {
        const QString detail = QStringLiteral("connecting to %1 timed out after %2 ms")
                                   .arg(m_peer)
                                   .arg(m_call->m_request.connectTimeoutMs);
        if (m_pool)
            m_pool->markDown(m_instance, detail);
        failCall(UpstreamError::Timeout, detail, UpstreamPool::Attempt::NotSent);
        return;
    }
    armTimer(); // a coarse timer fired a little early
}

std::shared_ptr<UpstreamCall> UpstreamConnection::detachCall()
{
    std::shared_ptr<UpstreamCall> call = std::move(m_call);
    m_call.reset();
    if (call) {
        call->m_connection = nullptr;
        if (m_pool)
            m_pool->callDetached(m_instance);
    }
    return call;
}

void UpstreamConnection::failCall(UpstreamError error, const QString &detail, UpstreamPool::Attempt attempt)
{
    qCDebug(lcTollgateProxy) << "upstream call failed:" << upstreamErrorName(error) << detail;
    UpstreamPool *pool = m_pool; // close() lets go of it
    const std::shared_ptr<UpstreamCall> call = detachCall();
    close();
    if (!call)
        return;
    if (pool)
        pool->attemptFailed(call, m_instance, error, detail, attempt);
    else
        call->fail(error, detail);
}

void UpstreamConnection::abandon()
{
    if (m_pool && m_call)
        m_pool->attemptAbandoned(*m_call, m_instance);
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
    // Nothing we still owe this upstream, and no lingering. Events already queued find us Closed.
    // m_input stays: the parser may be reading it.
    closeSocket();
    deleteLater();
}

void UpstreamConnection::shutdown()
{
    // The shared in-flight count outlives this pool (other threads' pools read it).
    if (m_call && m_pool)
        m_pool->callDetached(m_instance);
    m_pool = nullptr;
    m_timer.stop();
    if (m_call) {
        const std::shared_ptr<UpstreamCall> call = std::move(m_call);
        m_call.reset();
        call->endSilently();
    }
    m_state = State::Closed;
    closeSocket();
}

} // namespace tollgate::proxy
