#include "server/http/HttpConnection.h"

#include "server/http/HttpExchange.h"
#include "server/http/HttpHandler.h"
#include "server/http/HttpLogging.h"
#include "server/http/HttpServerStats.h"
#include "server/http/HttpWorker.h"

#include <QMetaObject>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::http {

namespace {

// A streamed body is read ahead at most this far while the handler is not taking it.
constexpr qsizetype MaxPendingStreamBody = 64 * 1024;
// While we take no input (paused body, full pipeline, no further request wanted) the socket is still
// read into m_pending up to this much, so that a client closing or resetting is noticed (and its
// exchanges aborted) without letting it make us buffer more.
constexpr qsizetype MaxReadAhead = 64 * 1024;
// After our last response: how long, and how much, we keep reading (and dropping) what the client
// still sends, so that closing does not reset the connection and destroy the response in flight.
constexpr qint64 LingerMs = 2000;
// Enough for a client to finish sending a body we refused and read our answer; past it (or LingerMs) we stop.
constexpr qint64 LingerMaxBytes = 16 << 20;
// A request answered before its body was read (refused on its head) keeps its connection when what is
// left of the body is announced and at most this long: it is read and dropped, as nginx discards bodies.
// Anything longer, chunked, or waiting for a 100 Continue closes the connection after the answer.
constexpr qint64 MaxDiscardedBody = 64 * 1024;

qint64 monotonicMs()
{
    // Coarse is plenty for second-scale timeouts and costs no syscall.
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // namespace

HttpConnection::HttpConnection(HttpWorker *worker, int fd, const QHostAddress &peer, quint16 peerPort, qint64 nowMs)
    : m_worker(worker)
    , m_fd(fd)
    , m_peerAddress(peer)
    , m_peerPort(peerPort)
    , m_peerText(peer.toString().toLatin1())
    , m_parser(worker->limits(), [this](const char *data, qsizetype size) { bodyData(data, size); })
    , m_acceptedMs(nowMs > 0 ? nowMs : monotonicMs())
{
    m_parser.setPeer(m_peerAddress, m_peerPort, m_peerText);
    m_lastReadMs = m_acceptedMs;

    // Write interest only while a send comes up short.
    m_watcher.reset(new SocketWatcher(fd, static_cast<SocketWatcher::Handler *>(this), true, false));
    updateTimer();
}

HttpConnection::~HttpConnection()
{
    // Normally closed already; this covers the worker deleting us at shutdown.
    if (m_state != State::Closed)
        closeNow(AbortDelivery::Direct);
}

// ---------------------------------------------------------------------------------------------
// Input

void HttpConnection::scheduleProcess()
{
    if (m_processPosted || m_state == State::Closed)
        return;
    m_processPosted = true;
    // Queued: whoever asked (a handler resuming a body, a response finishing) may be deep inside
    // another connection's processing, which shares the worker's scratch buffer.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_processPosted = false;
            processInput();
        },
        Qt::QueuedConnection);
}

void HttpConnection::onReadable()
{
    m_socketReadable = true;
    if (m_inProcess) {
        // A handler spinning a nested event loop: the level-triggered read interest would fire on and on.
        // The pass we are inside of reads the socket and re-enables it at its end.
        m_watcher->setReadEnabled(false);
        m_processAgain = true;
        return;
    }
    if (m_state == State::Lingering || readingAllowed())
        processInput();
    else
        readAhead();
}

void HttpConnection::processInput()
{
    if (m_state == State::Closed)
        return;
    if (m_inProcess) {
        m_processAgain = true;
        return;
    }
    m_inProcess = true;
    do {
        m_processAgain = false;
        if (m_state == State::Lingering)
            discardInput();
        else
            parseAvailable();
    } while (m_processAgain && m_state != State::Closed);
    m_inProcess = false;
    flushOutput();
    maybeClose();
    updateReadInterest();
    updateTimer();
}

bool HttpConnection::readingAllowed() const
{
    if (m_state != State::Reading)
        return false;
    if (m_parsing) {
        const HttpExchange *ex = m_parsing.get();
        return !(ex->m_bodyPaused || (ex->m_streamBody && ex->m_bodyPending.size() >= MaxPendingStreamBody));
    }
    // Between requests (or inside a head, which began only while there was room): a client may
    // queue this many before we stop reading its socket.
    return int(m_queue.size()) < m_worker->limits().maxPipelined;
}

bool HttpConnection::bodyHeldBack() const
{
    // We are not reading the body of the request being parsed, or its client waits for our 100 Continue.
    const HttpExchange *ex = m_parsing.get();
    return ex->m_bodyPaused || (ex->m_streamBody && ex->m_bodyPending.size() >= MaxPendingStreamBody)
        || (ex->m_expectContinue && !ex->m_continueSent);
}

void HttpConnection::advanceState(State state)
{
    if (state > m_state)
        m_state = state;
}

void HttpConnection::parseAvailable()
{
    char *scratch = m_worker->scratch();
    while (readingAllowed()) {
        const char *data;
        qsizetype length;
        const bool fromPending = m_pendingPos < m_pending.size();
        if (fromPending) {
            data = m_pending.constData() + m_pendingPos;
            length = m_pending.size() - m_pendingPos;
        } else {
            if (!m_pending.isEmpty()) {
                m_pending.clear();
                m_pendingPos = 0;
            }
            // One recv per readiness unless it filled the buffer: a shorter one drained the socket and
            // the next would only say EAGAIN. Should more arrive meanwhile, the watcher reports it again.
            if (!m_socketReadable)
                return;
            const qsizetype n = receive(scratch, HttpWorker::ScratchSize);
            if (n <= 0)
                return;
            m_lastReadMs = monotonicMs();
            data = scratch;
            length = n;
        }

        const qsizetype used = parseSome(data, length);
        if (m_state == State::Closed)
            return;
        if (fromPending) {
            m_pendingPos += used;
        } else if (used < length && m_state == State::Reading) {
            // Keep the rest before the handler runs: the scratch buffer is shared by the worker's connections.
            m_pending = QByteArray(data + used, length - used);
            m_pendingPos = 0;
        }
        dispatchEvent();
        if (m_state == State::Closed)
            return;
    }
}

void HttpConnection::readAhead()
{
    const qsizetype room = MaxReadAhead - bufferedInput();
    if (room > 0) {
        char *scratch = m_worker->scratch();
        const qsizetype n = receive(scratch, qMin(room, HttpWorker::ScratchSize));
        if (m_state == State::Closed)
            return;
        if (n > 0) {
            m_lastReadMs = monotonicMs();
            if (m_pendingPos > 0) {
                m_pending.remove(0, m_pendingPos);
                m_pendingPos = 0;
            }
            m_pending.append(scratch, n);
        }
    }
    updateReadInterest();
}

qsizetype HttpConnection::receive(char *buffer, qsizetype size)
{
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, size_t(size), 0);
        if (n > 0) {
            m_socketReadable = n == size;
            return n;
        }
        if (n < 0 && errno == EINTR)
            continue;
        m_socketReadable = false;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        // End of stream or an error: the client closed or reset the connection, and what it asked for
        // is no longer wanted. A half-close (FIN, still reading) counts as leaving too: clients that
        // do that are rare, clients that give up are not, and their exchanges must be aborted promptly.
        if (n < 0)
            qCDebug(lcTollgateHttp) << "read from" << m_peerAddress << "failed:" << strerror(errno);
        closeNow();
        return 0;
    }
}

void HttpConnection::updateReadInterest()
{
    if (m_state == State::Closed)
        return;
    const bool wanted = m_state == State::Lingering || readingAllowed() || bufferedInput() < MaxReadAhead;
    m_watcher->setReadEnabled(wanted);
}

qsizetype HttpConnection::parseSome(const char *data, qsizetype length)
{
    const bool wasIdle = m_parser.phase() == HttpRequestParser::Phase::Idle;
    qsizetype used = 0;
    const HttpRequestParser::Event event = m_parser.feed(data, length, &used);
    if (wasIdle && m_parser.phase() != HttpRequestParser::Phase::Idle) {
        // A request began. The first one's clock started at accept, so a client cannot idle and then trickle.
        m_headerStartMs = m_requestCount == 0 ? m_acceptedMs : monotonicMs();
    }
    switch (event) {
    case HttpRequestParser::Event::NeedMore:
        break;
    case HttpRequestParser::Event::Head:
        m_event = Event::HeadersComplete;
        break;
    case HttpRequestParser::Event::Complete:
        m_event = Event::MessageComplete;
        break;
    case HttpRequestParser::Event::Error: {
        const HttpRequestParser::Failure &failure = m_parser.failure();
        failRequest(failure.status, failure.code, failure.message);
        break;
    }
    }
    return used;
}

void HttpConnection::bodyData(const char *data, qsizetype size)
{
    HttpExchange *ex = m_parsing.get();
    if (!ex)
        return;
    ex->m_bodyReceived += qint64(size);
    if (ex->m_discardBody)
        return;
    if (ex->m_streamBody)
        ex->m_bodyPending.append(data, size);
    else
        ex->m_request.body.append(data, size);
}

void HttpConnection::dispatchEvent()
{
    const Event event = std::exchange(m_event, Event::None);
    if (event == Event::HeadersComplete) {
        headersComplete();
        return;
    }
    if (!m_parsing) // the request was refused meanwhile
        return;
    if (event == Event::MessageComplete)
        messageComplete();
    else if (m_parsing->m_streamBody && m_parsing->m_headersComplete)
        m_parsing->deliverBody();
}

std::shared_ptr<HttpExchange> HttpConnection::newExchange(HttpRequest request)
{
    auto exchange = std::make_shared<HttpExchange>(HttpExchange::Key{}, this, std::move(request));
    m_queue.push_back(exchange);
    return exchange;
}

// --- events, outside the parser

void HttpConnection::headersComplete()
{
    const std::shared_ptr<HttpExchange> ex = newExchange(m_parser.takeRequest());
    m_parsing = ex;
    HttpRequest &request = ex->m_request;
    ex->m_headersComplete = true;
    ex->m_head = m_parser.isHeadMethod();
    ex->m_keepAlive = m_parser.keepAlive();
    const bool chunked = m_parser.chunked();

    const BodyPolicy policy = m_worker->handler()->bodyPolicy(request);
    if (m_state == State::Closed || ex != m_parsing)
        return;
    ex->m_bodyLimit = policy.limit;
    m_parser.setBodyLimit(policy.limit);
    ex->m_streamBody = policy.stream;
    const bool expectsBody = chunked || request.contentLength > 0;
    ex->m_judgeHead = policy.judgeHead && expectsBody;
    if (request.contentLength > policy.limit) {
        // Refused on the announcement alone: not one body byte is buffered.
        failRequest(413, "PAYLOAD_TOO_LARGE", QStringLiteral("request body exceeds %1 bytes").arg(policy.limit));
        return;
    }
    m_bodyClockMs = monotonicMs();
    m_bodyRate.start(m_bodyClockMs);
    if (expectsBody && request.versionMinor >= 1) {
        const QByteArray expect = request.headers.value("expect");
        if (!expect.isEmpty() && expect.compare("100-continue", Qt::CaseInsensitive) == 0) {
            ex->m_expectContinue = true;
            // A judged head gets its 100 Continue only once the handler wants the body (bodyResumed).
            if (m_queue.front() == ex && !ex->m_judgeHead)
                sendContinue(ex.get());
        }
    }
    if (!policy.stream && request.contentLength > 0)
        request.body.reserve(qMin<qint64>(request.contentLength, 256 * 1024));

    ex->m_countedInFlight = true;
    m_worker->stats().inFlight.fetch_add(1, std::memory_order_relaxed);
    if (ex->m_judgeHead) {
        ex->m_bodyPaused = true;  // not one body byte before the handler asks (readBody/resumeBody)
        syncBodyRate();
        ex->m_handed = true;
        m_worker->handler()->handle(ex);
    } else if (policy.stream) {
        ex->m_handed = true;
        m_worker->handler()->handle(ex);
    }
}

void HttpConnection::messageComplete()
{
    const std::shared_ptr<HttpExchange> ex = std::move(m_parsing);
    m_parsing.reset();
    ex->m_bodyComplete = true;
    ++m_requestCount;
    if (!ex->m_keepAlive || m_draining)
        advanceState(State::NoMoreRequests);
    if (ex->m_streamBody) {
        ex->deliverBody();
    } else if (ex->m_judgeHead) {
        if (auto done = std::exchange(ex->m_onBodyRead, nullptr))
            done();
    } else {
        ex->m_handed = true;
        m_worker->handler()->handle(ex);
    }
}

void HttpConnection::sendContinue(HttpExchange *exchange)
{
    exchange->m_continueSent = true;
    m_bodyClockMs = monotonicMs();
    if (exchange == m_parsing.get())
        syncBodyRate(); // the client waited for this: the rate clock starts (again) now
    appendOutput(QByteArray::fromRawData("HTTP/1.1 100 Continue\r\n\r\n", 25));
}

void HttpConnection::bodyPaused(HttpExchange *exchange)
{
    if (exchange == m_parsing.get())
        syncBodyRate();
}

void HttpConnection::bodyResumed(HttpExchange *exchange)
{
    if (exchange == m_parsing.get()) {
        m_bodyClockMs = monotonicMs();
        if (exchange->m_expectContinue && !exchange->m_continueSent && !exchange->m_responseStarted
            && !m_queue.empty() && m_queue.front().get() == exchange)
            sendContinue(exchange);
        syncBodyRate();
        scheduleProcess();
    }
}

void HttpConnection::failRequest(int status, QByteArrayView code, const QString &message)
{
    // Whatever follows on this connection can no longer be framed: answer in order, then close.
    advanceState(State::NoMoreRequests);
    m_event = Event::None;
    m_pending.clear();
    m_pendingPos = 0;
    std::shared_ptr<HttpExchange> ex = std::move(m_parsing);
    m_parsing.reset();
    if (!ex)
        ex = newExchange(m_parser.takeRequest()); // refused within its head: what of it was read
    qCDebug(lcTollgateHttp) << "refusing request from" << m_peerAddress << status << message;

    if (ex->m_responseStarted) {
        // A streamed request broke while its response was already going out: nothing to say any more.
        closeNow();
        return;
    }
    ex->m_keepAlive = false;
    ex->m_closeAfter = true;
    if (ex->m_handed) {
        // The handler is streaming this body; it loses the exchange and must let go of its resources.
        ex->m_aborted = true;
        HttpExchange::post([ex] { ex->notifyAborted(); });
    }
    HttpHeaders headers;
    headers.add("Content-Type", "application/json");
    const QByteArray body = m_worker->handler()->errorBody(status, code, message);
    if (m_state == State::Closed)
        return;
    ex->respond(status, headers, body);
}

// ---------------------------------------------------------------------------------------------
// Output

HttpResponseHead::ConnectionToken HttpConnection::connectionTokenFor(HttpExchange *exchange, const HttpHeaders &headers)
{
    const bool lastWhileDraining = m_draining && !m_queue.empty() && m_queue.back().get() == exchange;
    if (!exchange->m_bodyComplete && !exchange->m_closeAfter && exchange->m_request.contentLength >= 0
        && exchange->m_request.contentLength - exchange->m_bodyReceived <= MaxDiscardedBody
        && (!exchange->m_expectContinue || exchange->m_continueSent) && exchange == m_parsing.get()) {
        // Answered before its (short) body was read: read the rest and drop it, and keep the connection.
        exchange->m_discardBody = true;
        exchange->m_request.body.clear();
        exchange->m_bodyPending.clear();
        if (exchange->m_bodyPaused) {
            exchange->m_bodyPaused = false;
            scheduleProcess();
        }
    }
    if (exchange->m_closeAfter || !exchange->m_keepAlive || (!exchange->m_bodyComplete && !exchange->m_discardBody)
        || lastWhileDraining
        || HttpResponseHead::asksToClose(headers)) {
        // An unread request body (a handler answering early) would be taken for the next request.
        exchange->m_closeAfter = true;
        return HttpResponseHead::ConnectionToken::Close;
    }
    return exchange->m_request.versionMinor == 0 ? HttpResponseHead::ConnectionToken::KeepAlive
                                                 : HttpResponseHead::ConnectionToken::Default;
}

void HttpConnection::exchangeOutput(HttpExchange *exchange, QByteArray bytes)
{
    if (m_state == State::Closed || bytes.isEmpty())
        return;
    if (!m_queue.empty() && m_queue.front().get() == exchange) {
        appendOutput(std::move(bytes));
    } else if (exchange->m_output.isEmpty()) {
        exchange->m_output = std::move(bytes);
    } else {
        exchange->m_output.append(bytes);
    }
}

void HttpConnection::exchangeFinished(HttpExchange *exchange)
{
    if (exchange->m_countedInFlight) {
        exchange->m_countedInFlight = false;
        m_worker->stats().inFlight.fetch_sub(1, std::memory_order_relaxed);
    }
    if (m_state == State::Closed)
        return;
    if (!m_queue.empty() && m_queue.front().get() == exchange)
        advancePipeline();
}

qint64 HttpConnection::pendingOutputFor(const HttpExchange *exchange) const
{
    if (m_state == State::Closed)
        return 0;
    if (!m_queue.empty() && m_queue.front().get() == exchange)
        return m_out.size() + unsentBytes();
    return exchange->m_output.size();
}

void HttpConnection::appendOutput(QByteArray bytes)
{
    if (m_out.isEmpty())
        m_out = std::move(bytes);
    else
        m_out.append(bytes);
    // Inside a processing pass everything produced goes out together at its end; otherwise (an
    // answer from an upstream callback) with the other sends of this event-loop round.
    if (!m_inProcess)
        joinBatch();
}

void HttpConnection::flushOutput()
{
    leaveBatch();
    if (m_out.isEmpty() || m_state == State::Closed)
        return;
    if (unsentBytes() == 0) {
        // Straight to the kernel: one syscall, no copy, no event-loop turn.
        m_writeProgressMs = monotonicMs();
        const qsizetype sent = transmit(m_out.constData(), m_out.size());
        if (sent < 0)
            return;
        if (sent < m_out.size()) {
            m_unsent.append(std::move(m_out), sent);
            m_watcher->setWriteEnabled(true);
        }
    } else {
        // Earlier output still waits for the kernel: ours goes after it, once the watcher reports room.
        m_unsent.append(std::move(m_out));
    }
    m_out.clear();
    if (!m_queue.empty() && m_queue.front()->m_drainArmed)
        QMetaObject::invokeMethod(this, &HttpConnection::checkDrained, Qt::QueuedConnection);
    if (!m_inProcess) {
        maybeClose();
        updateTimer();
    }
}

void HttpConnection::advancePipeline()
{
    bool shrank = false;
    while (!m_queue.empty() && m_queue.front()->m_finished) {
        const std::shared_ptr<HttpExchange> done = std::move(m_queue.front());
        m_queue.pop_front();
        shrank = true;
        done->m_connection = nullptr;
        if (done->m_closeAfter) {
            closeAfterOutput();
            return;
        }
        if (m_queue.empty())
            break;
        HttpExchange *next = m_queue.front().get();
        if (next->m_expectContinue && !next->m_continueSent && !next->m_responseStarted && !next->m_bodyComplete
            && !next->m_bodyPaused)
            sendContinue(next);
        if (!next->m_output.isEmpty())
            appendOutput(std::exchange(next->m_output, QByteArray()));
    }
    if (m_queue.empty()) {
        m_idleSinceMs = monotonicMs();
        if (m_draining) {
            closeAfterOutput();
            return;
        }
    }
    if (shrank && m_state == State::Reading) {
        // Room in the pipeline again: parse what was read ahead, and watch the socket again if the
        // read-ahead had filled up (level-triggered, the watcher then reports what is waiting there).
        if (bufferedInput() > 0)
            scheduleProcess();
        if (!m_inProcess)
            updateReadInterest();
    }
    if (!m_inProcess)
        updateTimer();
}

void HttpConnection::closeAfterOutput()
{
    advanceState(State::ClosingAfterOutput);
    // Requests pipelined behind a closing response will never be answered.
    auto rest = std::move(m_queue);
    m_queue.clear();
    m_parsing.reset();
    for (const auto &ex : rest)
        abortExchange(ex, AbortDelivery::Queued);
    if (!m_inProcess)
        maybeClose();
}

void HttpConnection::maybeClose()
{
    if (m_state != State::ClosingAfterOutput)
        return;
    if (m_out.isEmpty() && unsentBytes() == 0)
        startLingering();
}

void HttpConnection::startLingering()
{
    advanceState(State::Lingering);
    m_worker->stats().lingering.fetch_add(1, std::memory_order_relaxed);
    m_pending.clear();
    m_pendingPos = 0;
    // FIN now, so the client sees the end of the response; read and drop whatever it still sends, so
    // the kernel does not answer that with a reset that could destroy the response in flight.
    ::shutdown(m_fd, SHUT_WR);
    m_lingerDeadlineMs = monotonicMs() + LingerMs;
    updateTimer();
    if (m_inProcess)
        m_processAgain = true;
    else
        processInput();
}

void HttpConnection::discardInput()
{
    // Until the client's FIN (receive() closes on it) or the limits; read interest stays on meanwhile.
    char *scratch = m_worker->scratch();
    while (m_socketReadable) {
        const qsizetype n = receive(scratch, HttpWorker::ScratchSize);
        if (n <= 0)
            return;
        m_lingerDiscarded += n;
        if (m_lingerDiscarded > LingerMaxBytes) {
            closeNow();
            return;
        }
    }
}

qsizetype HttpConnection::transmit(const char *data, qsizetype size)
{
    const qint64 sent = SocketSendQueue::send(m_fd, data, size);
    if (sent < 0) {
        // EPIPE, ECONNRESET: the client is gone, and so is whatever was in flight for it.
        qCDebug(lcTollgateHttp) << "write to" << m_peerAddress << "failed:" << strerror(errno);
        closeNow();
    }
    return qsizetype(sent);
}

bool HttpConnection::sendUnsent()
{
    while (!m_unsent.isEmpty()) {
        qint64 offered = 0;
        const qint64 sent = m_unsent.sendSome(m_fd, &offered);
        if (sent < 0) {
            qCDebug(lcTollgateHttp) << "write to" << m_peerAddress << "failed:" << strerror(errno);
            closeNow();
            return false;
        }
        if (sent > 0)
            m_writeProgressMs = monotonicMs();
        if (sent < offered)
            break; // the kernel's buffer is full: the watcher says when there is room
    }
    return true;
}

void HttpConnection::onWritable()
{
    if (!sendUnsent())
        return;
    if (m_unsent.isEmpty())
        m_watcher->setWriteEnabled(false);
    // May call into the handler (outputDrained), which may close us: checked by each step below.
    checkDrained();
    maybeClose();
    updateTimer();
}

void HttpConnection::checkDrained()
{
    if (m_state == State::Closed || m_queue.empty())
        return;
    const std::shared_ptr<HttpExchange> front = m_queue.front();
    if (front->m_drainArmed && m_out.size() + unsentBytes() < HttpExchange::OutputLowWater) {
        front->m_drainArmed = false;
        front->notifyOutputDrained();
    }
}

// ---------------------------------------------------------------------------------------------
// Closing

void HttpConnection::abortExchange(const std::shared_ptr<HttpExchange> &exchange, AbortDelivery delivery)
{
    exchange->m_connection = nullptr;
    if (exchange->m_countedInFlight) {
        exchange->m_countedInFlight = false;
        m_worker->stats().inFlight.fetch_sub(1, std::memory_order_relaxed);
    }
    if (exchange->m_finished || exchange->m_aborted)
        return;
    exchange->m_aborted = true;
    if (!exchange->m_handed)
        return; // nobody has seen it, nobody is listening
    if (delivery == AbortDelivery::Direct) {
        exchange->notifyAborted();
    } else {
        // Never from inside a handler's own call (a write that found the socket dead).
        HttpExchange::post([exchange] { exchange->notifyAborted(); });
    }
}

void HttpConnection::closeNow(AbortDelivery delivery)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Lingering)
        m_worker->stats().lingering.fetch_sub(1, std::memory_order_relaxed);
    m_state = State::Closed;
    leaveBatch();
    m_timer.stop();
    auto queue = std::move(m_queue);
    m_queue.clear();
    m_parsing.reset();
    m_pending.clear();
    m_out.clear();
    m_unsent.clear();
    for (const auto &ex : queue)
        abortExchange(ex, delivery);
    closeSocket();
    m_worker->connectionClosed(this);
}

void HttpConnection::closeSocket()
{
    // The watcher first: it must not outlive the descriptor, whose number the next accept() may
    // reuse. (Destroying it from inside its own callback is fine: the poller looks it up afresh.)
    m_watcher.reset();
    ::close(m_fd);
    m_fd = -1;
}

void HttpConnection::beginDrain()
{
    if (m_state == State::Closed || m_draining)
        return;
    m_draining = true;
    if (m_queue.empty() && !requestInProgress()) {
        closeNow();
        return;
    }
    if (!requestInProgress())
        advanceState(State::NoMoreRequests);
    // The last queued response, if not serialized yet, will say Connection: close.
}

// ---------------------------------------------------------------------------------------------
// Timeouts: one lazily re-armed timer per connection. Activity only moves deadlines later, so the
// timer is re-armed only when it fires early or a nearer deadline appears, not on every read.

qint64 HttpConnection::deadline() const
{
    if (m_state == State::Closed)
        return -1;
    if (m_state == State::Lingering)
        return m_lingerDeadlineMs;
    const HttpLimits &limits = m_worker->limits();
    qint64 d = -1;
    const auto consider = [&d](qint64 candidate) {
        if (d < 0 || candidate < d)
            d = candidate;
    };
    if (unsentBytes() > 0)
        consider(m_writeProgressMs + limits.bodyStallTimeoutMs); // a client that stopped reading
    if (m_state == State::Reading) {
        if (m_parser.phase() == HttpRequestParser::Phase::Head) {
            consider(m_headerStartMs + limits.headerTimeoutMs);
        } else if (m_parsing) {
            if (!m_parsing->m_bodyComplete && readingAllowed()) {
                // A body that stalls, or one that does not keep the minimum average rate.
                consider(qMax(m_lastReadMs, m_bodyClockMs) + limits.bodyStallTimeoutMs);
                if (!m_bodyRate.isPaused()) {
                    const qint64 rate = m_bodyRate.deadline(m_parsing->m_bodyReceived, limits.bodyStallTimeoutMs,
                                                            limits.bodyMinRate);
                    if (rate >= 0)
                        consider(rate);
                }
            }
        } else if (m_queue.empty()) {
            consider(m_requestCount == 0 ? m_acceptedMs + limits.headerTimeoutMs
                                         : m_idleSinceMs + limits.idleTimeoutMs);
        }
    }
    return d;
}

void HttpConnection::syncBodyRate()
{
    // Called wherever our reading of a body may have stopped or started again, and before deadlines
    // are evaluated: the rate clock leaves the time we held the body back out.
    if (!m_parsing || !m_parsing->m_headersComplete || m_parsing->m_bodyComplete)
        return;
    m_bodyRate.setPaused(bodyHeldBack(), monotonicMs());
}

void HttpConnection::updateTimer()
{
    if (m_state == State::Closed)
        return;
    syncBodyRate();
    const qint64 d = deadline();
    if (d < 0)
        return; // an armed timer re-evaluates when it fires
    if (m_timer.isActive() && m_armedDeadlineMs <= d)
        return;
    m_armedDeadlineMs = d;
    m_timer.start(int(qMax<qint64>(0, d - monotonicMs())), Qt::CoarseTimer, this);
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    syncBodyRate();
    const qint64 d = deadline();
    if (d < 0)
        return;
    const qint64 now = monotonicMs();
    if (now < d) {
        m_armedDeadlineMs = d;
        m_timer.start(int(d - now), Qt::CoarseTimer, this);
        return;
    }
    qCDebug(lcTollgateHttp) << "closing connection from" << m_peerAddress << "on timeout"
                            << (m_state == State::Lingering ? "(linger)" : requestInProgress() ? "(request)" : "(idle)");
    closeNow();
}

} // namespace tollgate::http
