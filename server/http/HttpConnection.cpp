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

bool methodServed(unsigned method)
{
    switch (method) {
    case HTTP_GET:
    case HTTP_HEAD:
    case HTTP_POST:
    case HTTP_PUT:
    case HTTP_PATCH:
    case HTTP_DELETE:
    case HTTP_OPTIONS:
        return true;
    default:
        // CONNECT, TRACE and the WebDAV family: not ours to serve.
        return false;
    }
}

void chopTrailingWhitespace(QByteArray &value)
{
    qsizetype n = value.size();
    while (n > 0 && (value.at(n - 1) == ' ' || value.at(n - 1) == '\t'))
        --n;
    if (n != value.size())
        value.truncate(n);
}

} // namespace

const http_parser_settings HttpConnection::parserSettings = {
    &HttpConnection::onMessageBegin,
    &HttpConnection::onUrl,
    nullptr, // on_status: responses only
    &HttpConnection::onHeaderField,
    &HttpConnection::onHeaderValue,
    &HttpConnection::onHeadersComplete,
    &HttpConnection::onBody,
    &HttpConnection::onMessageComplete,
    &HttpConnection::onChunkHeader,
    &HttpConnection::onChunkComplete,
};

HttpConnection::HttpConnection(HttpWorker *worker, int fd, const QHostAddress &peer, quint16 peerPort, qint64 nowMs)
    : m_worker(worker)
    , m_fd(fd)
    , m_peerAddress(peer)
    , m_peerPort(peerPort)
    , m_peerText(peer.toString().toLatin1())
    , m_acceptedMs(nowMs > 0 ? nowMs : monotonicMs())
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    m_lastReadMs = m_acceptedMs;

    // Write interest only while a send comes up short.
    m_watcher.reset(new SocketWatcher(fd, static_cast<SocketWatcher::Handler *>(this), true, false));
    updateTimer();
}

HttpConnection::~HttpConnection()
{
    // Normally closed already; this covers the worker deleting us at shutdown.
    if (!m_closed)
        closeNow(AbortDelivery::Direct);
}

// ---------------------------------------------------------------------------------------------
// Input

void HttpConnection::scheduleProcess()
{
    if (m_processPosted || m_closed)
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
    if (m_lingering || readingAllowed())
        processInput();
    else
        readAhead();
}

void HttpConnection::processInput()
{
    if (m_closed)
        return;
    if (m_inProcess) {
        m_processAgain = true;
        return;
    }
    m_inProcess = true;
    do {
        m_processAgain = false;
        if (m_lingering)
            discardInput();
        else
            parseAvailable();
    } while (m_processAgain && !m_closed);
    m_inProcess = false;
    flushOutput();
    maybeClose();
    updateReadInterest();
    updateTimer();
}

bool HttpConnection::readingAllowed() const
{
    if (m_stopParsing || m_closed)
        return false;
    if (m_parsing) {
        const HttpExchange *ex = m_parsing.get();
        if (ex->m_headersComplete
            && (ex->m_bodyPaused || (ex->m_streamBody && ex->m_bodyPending.size() >= MaxPendingStreamBody)))
            return false;
        return true;
    }
    // Between requests: a client may queue this many before we stop reading its socket.
    return int(m_queue.size()) < m_worker->limits().maxPipelined;
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
        if (m_closed)
            return;
        if (fromPending) {
            m_pendingPos += used;
        } else if (used < length && !m_stopParsing) {
            // Keep the rest before the handler runs: the scratch buffer is shared by the worker's connections.
            m_pending = QByteArray(data + used, length - used);
            m_pendingPos = 0;
        }
        dispatchEvent();
        if (m_closed)
            return;
    }
}

void HttpConnection::readAhead()
{
    const qsizetype room = MaxReadAhead - bufferedInput();
    if (room > 0) {
        char *scratch = m_worker->scratch();
        const qsizetype n = receive(scratch, qMin(room, HttpWorker::ScratchSize));
        if (m_closed)
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
    if (m_closed)
        return;
    const bool wanted = m_lingering || readingAllowed() || bufferedInput() < MaxReadAhead;
    m_watcher->setReadEnabled(wanted);
}

qsizetype HttpConnection::parseSome(const char *data, qsizetype length)
{
    const bool inHead = !m_parsing || !m_parsing->m_headersComplete;
    const bool scanning = inHead || m_inTrailers;
    qsizetype slice = length;
    if (inHead) {
        // Never hand the parser more than the head may still grow by: the limit holds without
        // buffering anything beyond it.
        const qsizetype room = m_worker->limits().maxHeaderBytes - m_headerBytes;
        if (room <= 0) {
            failRequest(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                        QStringLiteral("request line and headers exceed %1 bytes").arg(m_worker->limits().maxHeaderBytes));
            return 0;
        }
        slice = qMin(length, room);
    } else if (m_scanner.awaitingLineFeed() && !m_scanner.scan(data, 1)) {
        // The byte that ends the head (the parser would take any byte for its LF).
        failRequest(400, "INVALID_REQUEST", QStringLiteral("malformed request head"));
        return 0;
    }
    m_event = Event::None;
    const qsizetype used = qsizetype(http_parser_execute(&m_parser, &parserSettings, data, size_t(slice)));
    const auto error = HTTP_PARSER_ERRNO(&m_parser);
    if (error == HPE_PAUSED) {
        http_parser_pause(&m_parser, 0);
    } else if (error != HPE_OK) {
        failFromParser(error);
        return used;
    }
    if (scanning && used > 0 && !m_scanner.scan(data, used)) {
        failRequest(400, "INVALID_REQUEST", QStringLiteral("malformed request head"));
        return used;
    }
    if (m_event == Event::ChunkHeader || m_event == Event::ChunkComplete) {
        // Chunk framing, which the lenient parser does not check: the size line ends in LF, the
        // data in CRLF. Both callbacks consumed the byte in question.
        const char last = data[used - 1];
        const char beforeLast = used >= 2 ? data[used - 2] : m_lastByte;
        const bool ok = m_event == Event::ChunkHeader ? last == '\n' : (last == '\n' && beforeLast == '\r');
        m_event = Event::None;
        if (!ok) {
            failRequest(400, "INVALID_REQUEST", QStringLiteral("malformed chunk"));
            return used;
        }
    }
    if (used > 0)
        m_lastByte = data[used - 1];
    if (inHead && m_event != Event::HeadersComplete)
        m_headerBytes += used;
    return used;
}

void HttpConnection::dispatchEvent()
{
    const Event event = std::exchange(m_event, Event::None);
    if (!m_parsing) // the request was refused meanwhile
        return;
    if (event == Event::HeadersComplete)
        headersComplete();
    else if (event == Event::MessageComplete)
        messageComplete();
    else if (m_parsing && m_parsing->m_streamBody && m_parsing->m_headersComplete)
        m_parsing->deliverBody();
}

std::shared_ptr<HttpExchange> HttpConnection::newExchange()
{
    auto exchange = std::make_shared<HttpExchange>(HttpExchange::Key{}, this, m_peerAddress, m_peerPort, m_peerText);
    m_queue.push_back(exchange);
    return exchange;
}

// --- http_parser callbacks: bookkeeping only; the handler is called after the parser returns.

int HttpConnection::onMessageBegin(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    self->m_parsing = self->newExchange();
    // The first request's clock started at accept, so a client cannot idle and then trickle.
    self->m_headerStartMs = self->m_requestCount == 0 ? self->m_acceptedMs : monotonicMs();
    self->m_fieldCount = 0;
    self->m_inValue = false;
    self->m_urlChecked = false;
    self->m_sawTransferEncoding = false;
    self->m_contentLengthCount = 0;
    self->m_contentLength = -1;
    self->m_contentLengthConflict = false;
    self->m_badFieldName = false;
    self->m_badTransferEncoding = false;
    self->m_inTrailers = false;
    return 0;
}

int HttpConnection::onUrl(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (!self->m_urlChecked) {
        self->m_urlChecked = true;
        if (!methodServed(parser->method)) {
            self->setCallbackError(501, "NOT_IMPLEMENTED",
                                   QStringLiteral("method %1 is not implemented")
                                       .arg(QLatin1StringView(http_method_str(http_method(parser->method)))));
            return 1;
        }
    }
    self->m_parsing->m_request.target.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    HttpExchange *ex = self->m_parsing.get();
    if (ex->m_headersComplete)
        return 0; // chunked trailers: not used, not kept
    auto &fields = ex->m_request.headers.fields;
    if (self->m_inValue || self->m_fieldCount == 0) {
        if (self->m_fieldCount > 0)
            self->finishHeaderField();
        if (++self->m_fieldCount > self->m_worker->limits().maxHeaderFields) {
            self->setCallbackError(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                                   QStringLiteral("more than %1 header fields").arg(self->m_worker->limits().maxHeaderFields));
            return 1;
        }
        if (fields.isEmpty())
            fields.reserve(12); // one allocation for a typical request's fields, not one per doubling
        fields.append({HttpHeaders::intern(at, qsizetype(length)), QByteArray()});
        self->m_inValue = false;
    } else {
        fields.last().first.append(at, qsizetype(length));
    }
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    HttpExchange *ex = self->m_parsing.get();
    if (ex->m_headersComplete)
        return 0;
    QByteArray &value = ex->m_request.headers.fields.last().second;
    if (value.isNull())
        value = HttpHeaders::intern(at, qsizetype(length)); // most values come in one piece
    else
        value.append(at, qsizetype(length));
    self->m_inValue = true;
    return 0;
}

void HttpConnection::finishHeaderField()
{
    auto &field = m_parsing->m_request.headers.fields.last();
    chopTrailingWhitespace(field.second);
    if (!HttpHeadScanner::isToken(field.first))
        m_badFieldName = true; // "Content-Length : 5" would be a length to the parser, not to us
    // Our own account of the framing headers, independent of the parser's: smuggling relies on two
    // parties disagreeing about where a body ends, so we refuse anything ambiguous outright.
    if (HttpHeaders::nameEquals(field.first, "content-length")) {
        bool ok = false;
        const qint64 value = field.second.toLongLong(&ok);
        if (!ok || value < 0 || (m_contentLengthCount > 0 && value != m_contentLength))
            m_contentLengthConflict = true;
        m_contentLength = value;
        ++m_contentLengthCount;
    } else if (HttpHeaders::nameEquals(field.first, "transfer-encoding")) {
        // Only a plain "chunked": "gzip, chunked" would hand the handler a body still gzip-coded.
        if (m_sawTransferEncoding || field.second.compare("chunked", Qt::CaseInsensitive) != 0)
            m_badTransferEncoding = true;
        m_sawTransferEncoding = true;
    }
}

int HttpConnection::onHeadersComplete(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (self->m_fieldCount > 0)
        self->finishHeaderField();
    self->m_event = Event::HeadersComplete;
    // We serve no Upgrade (WebSocket, h2c): the request is an ordinary one and parsing continues.
    parser->upgrade = 0;
    http_parser_pause(parser, 1);
    return 0;
}

int HttpConnection::onBody(http_parser *parser, const char *at, size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    HttpExchange *ex = self->m_parsing.get();
    ex->m_bodyReceived += qint64(length);
    if (ex->m_bodyReceived > ex->m_bodyLimit) {
        self->setCallbackError(413, "PAYLOAD_TOO_LARGE",
                               QStringLiteral("request body exceeds %1 bytes").arg(ex->m_bodyLimit));
        return 1;
    }
    if (ex->m_discardBody)
        return 0;
    if (ex->m_streamBody)
        ex->m_bodyPending.append(at, qsizetype(length));
    else
        ex->m_request.body.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onChunkHeader(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (self->m_inTrailers)
        return 0;
    self->m_event = Event::ChunkHeader;
    if (parser->content_length == 0) {
        // The last chunk: trailer lines follow, checked like a head.
        self->m_inTrailers = true;
        self->m_scanner.startTrailers();
    }
    http_parser_pause(parser, 1);
    return 0;
}

int HttpConnection::onChunkComplete(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (self->m_inTrailers)
        return 0; // the end of the trailers: the scanner has seen it
    self->m_event = Event::ChunkComplete;
    http_parser_pause(parser, 1);
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    self->m_event = Event::MessageComplete;
    http_parser_pause(parser, 1);
    return 0;
}

void HttpConnection::setCallbackError(int status, QByteArrayView code, QString message)
{
    m_callbackStatus = status;
    m_callbackCode = code.toByteArray();
    m_callbackMessage = std::move(message);
}

// --- events, outside the parser

void HttpConnection::headersComplete()
{
    const std::shared_ptr<HttpExchange> ex = m_parsing;
    HttpRequest &request = ex->m_request;
    ex->m_headersComplete = true;

    if (!m_scanner.requestLineValid() || m_badFieldName) {
        failRequest(400, "INVALID_REQUEST", QStringLiteral("malformed request head"));
        return;
    }
    if (m_parser.http_major != 1) {
        failRequest(505, "HTTP_VERSION_NOT_SUPPORTED", QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
        return;
    }
    const bool chunked = m_parser.flags & F_CHUNKED;
    if (m_sawTransferEncoding && m_contentLengthCount > 0) {
        failRequest(400, "INVALID_REQUEST", QStringLiteral("both Content-Length and Transfer-Encoding"));
        return;
    }
    if (m_sawTransferEncoding && (!chunked || m_badTransferEncoding)) {
        failRequest(400, "INVALID_REQUEST", QStringLiteral("unsupported Transfer-Encoding"));
        return;
    }
    if (m_contentLengthConflict) {
        failRequest(400, "INVALID_REQUEST", QStringLiteral("conflicting Content-Length"));
        return;
    }

    const char *method = http_method_str(http_method(m_parser.method));
    request.method = QByteArray::fromRawData(method, qsizetype(strlen(method)));
    request.versionMinor = m_parser.http_minor >= 1 ? 1 : 0;
    ex->m_head = m_parser.method == HTTP_HEAD;
    if (request.target.startsWith('/') || request.target == "*") {
        // A fragment never belongs to the server (clients should not send one; the parser lets it through).
        const qsizetype hash = request.target.indexOf('#');
        const QByteArrayView target = QByteArrayView(request.target).first(hash < 0 ? request.target.size() : hash);
        const qsizetype q = target.indexOf('?');
        if (q < 0 && hash < 0) {
            request.path = request.target; // shared, no copy
        } else if (q < 0) {
            request.path = target.toByteArray();
        } else {
            request.path = target.first(q).toByteArray();
            request.query = target.sliced(q + 1).toByteArray();
        }
    } else {
        // absolute-form ("http://host/path?q"): what a client talking to a proxy sends
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(request.target.constData(), size_t(request.target.size()), 0, &url) != 0) {
            failRequest(400, "INVALID_REQUEST", QStringLiteral("malformed request target"));
            return;
        }
        if (url.field_set & (1 << UF_PATH))
            request.path = request.target.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
        else
            request.path = "/";
        if (url.field_set & (1 << UF_QUERY))
            request.query = request.target.mid(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len);
    }
    request.contentLength = chunked ? -1 : (m_contentLengthCount > 0 ? m_contentLength : 0);
    ex->m_keepAlive = http_should_keep_alive(&m_parser);

    const BodyPolicy policy = m_worker->handler()->bodyPolicy(request);
    if (m_closed || ex != m_parsing)
        return;
    ex->m_bodyLimit = policy.limit;
    ex->m_streamBody = policy.stream;
    const bool expectsBody = chunked || request.contentLength > 0;
    ex->m_judgeHead = policy.judgeHead && expectsBody;
    if (request.contentLength > policy.limit) {
        // Refused on the announcement alone: not one body byte is buffered.
        failRequest(413, "PAYLOAD_TOO_LARGE", QStringLiteral("request body exceeds %1 bytes").arg(policy.limit));
        return;
    }
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
    m_bodyClockMs = monotonicMs();

    ex->m_countedInFlight = true;
    m_worker->stats().inFlight.fetch_add(1, std::memory_order_relaxed);
    if (ex->m_judgeHead) {
        ex->m_bodyPaused = true;  // not one body byte before the handler asks (readBody/resumeBody)
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
    m_headerBytes = 0;
    m_inTrailers = false;
    m_scanner.reset();
    ++m_requestCount;
    if (!ex->m_keepAlive || m_draining)
        m_stopParsing = true;
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
    appendOutput(QByteArray::fromRawData("HTTP/1.1 100 Continue\r\n\r\n", 25));
}

void HttpConnection::bodyResumed(HttpExchange *exchange)
{
    if (exchange == m_parsing.get()) {
        m_bodyClockMs = monotonicMs();
        if (exchange->m_expectContinue && !exchange->m_continueSent && !exchange->m_responseStarted
            && !m_queue.empty() && m_queue.front().get() == exchange)
            sendContinue(exchange);
        scheduleProcess();
    }
}

void HttpConnection::failFromParser(http_errno error)
{
    if (m_callbackStatus != 0) {
        const int status = std::exchange(m_callbackStatus, 0);
        failRequest(status, m_callbackCode, m_callbackMessage);
        return;
    }
    switch (error) {
    case HPE_INVALID_METHOD:
        failRequest(501, "NOT_IMPLEMENTED", QStringLiteral("method not implemented"));
        break;
    case HPE_HEADER_OVERFLOW:
        failRequest(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", QStringLiteral("request headers too large"));
        break;
    default:
        failRequest(400, "INVALID_REQUEST",
                    QStringLiteral("malformed request: %1").arg(QLatin1StringView(http_errno_description(error))));
        break;
    }
}

void HttpConnection::failRequest(int status, QByteArrayView code, const QString &message)
{
    // Whatever follows on this connection can no longer be framed: answer in order, then close.
    m_stopParsing = true;
    m_event = Event::None;
    m_pending.clear();
    m_pendingPos = 0;
    std::shared_ptr<HttpExchange> ex = std::move(m_parsing);
    m_parsing.reset();
    if (!ex)
        ex = newExchange();
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
    if (m_closed)
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
    if (m_closed || bytes.isEmpty())
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
    if (m_closed)
        return;
    if (!m_queue.empty() && m_queue.front().get() == exchange)
        advancePipeline();
}

qint64 HttpConnection::pendingOutputFor(const HttpExchange *exchange) const
{
    if (m_closed)
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
    if (m_out.isEmpty() || m_closed)
        return;
    if (unsentBytes() == 0) {
        // Straight to the kernel: one syscall, no copy, no event-loop turn.
        m_writeProgressMs = monotonicMs();
        const qsizetype sent = transmit(m_out.constData(), m_out.size());
        if (sent < 0)
            return;
        if (sent < m_out.size())
            keepUnsent(std::move(m_out), sent);
    } else {
        // Earlier output still waits for the kernel: ours goes after it, once the watcher reports room.
        keepUnsent(std::move(m_out), 0);
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
    if (shrank && !m_stopParsing) {
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
    m_stopParsing = true;
    m_closeWhenFlushed = true;
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
    if (m_closed || m_lingering || !m_closeWhenFlushed)
        return;
    if (m_out.isEmpty() && unsentBytes() == 0)
        startLingering();
}

void HttpConnection::startLingering()
{
    m_lingering = true;
    m_worker->stats().lingering.fetch_add(1, std::memory_order_relaxed);
    m_stopParsing = true;
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
    for (;;) {
        const ssize_t n = ::send(m_fd, data, size_t(size), MSG_NOSIGNAL);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        // EPIPE, ECONNRESET: the client is gone, and so is whatever was in flight for it.
        qCDebug(lcTollgateHttp) << "write to" << m_peerAddress << "failed:" << strerror(errno);
        closeNow();
        return -1;
    }
}

void HttpConnection::keepUnsent(QByteArray bytes, qsizetype offset)
{
    if (unsentBytes() == 0) {
        m_unsent = std::move(bytes); // no copy: the offset skips what was sent
        m_unsentPos = offset;
    } else {
        if (m_unsentPos > 0) {
            m_unsent.remove(0, m_unsentPos);
            m_unsentPos = 0;
        }
        m_unsent.append(bytes.constData() + offset, bytes.size() - offset);
    }
    m_watcher->setWriteEnabled(true);
}

void HttpConnection::onWritable()
{
    const qsizetype sent = transmit(m_unsent.constData() + m_unsentPos, unsentBytes());
    if (sent < 0)
        return;
    if (sent > 0) {
        m_writeProgressMs = monotonicMs();
        m_unsentPos += sent;
    }
    if (unsentBytes() == 0) {
        m_unsent.clear();
        m_unsentPos = 0;
        m_watcher->setWriteEnabled(false);
    }
    // May call into the handler (outputDrained), which may close us: checked by each step below.
    checkDrained();
    maybeClose();
    updateTimer();
}

void HttpConnection::checkDrained()
{
    if (m_closed || m_queue.empty())
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
    if (m_closed)
        return;
    m_closed = true;
    leaveBatch();
    if (m_lingering)
        m_worker->stats().lingering.fetch_sub(1, std::memory_order_relaxed);
    m_timer.stop();
    auto queue = std::move(m_queue);
    m_queue.clear();
    m_parsing.reset();
    m_pending.clear();
    m_out.clear();
    m_unsent.clear();
    m_unsentPos = 0;
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
    if (m_closed || m_draining)
        return;
    m_draining = true;
    if (m_queue.empty() && !m_parsing) {
        closeNow();
        return;
    }
    if (!m_parsing)
        m_stopParsing = true;
    // The last queued response, if not serialized yet, will say Connection: close.
}

// ---------------------------------------------------------------------------------------------
// Timeouts: one lazily re-armed timer per connection. Activity only moves deadlines later, so the
// timer is re-armed only when it fires early or a nearer deadline appears, not on every read.

qint64 HttpConnection::deadline() const
{
    if (m_closed)
        return -1;
    if (m_lingering)
        return m_lingerDeadlineMs;
    const HttpLimits &limits = m_worker->limits();
    qint64 d = -1;
    const auto consider = [&d](qint64 candidate) {
        if (d < 0 || candidate < d)
            d = candidate;
    };
    if (unsentBytes() > 0)
        consider(m_writeProgressMs + limits.bodyStallTimeoutMs); // a client that stopped reading
    if (!m_stopParsing) {
        if (m_parsing) {
            if (!m_parsing->m_headersComplete)
                consider(m_headerStartMs + limits.headerTimeoutMs);
            else if (!m_parsing->m_bodyComplete && readingAllowed())
                consider(qMax(m_lastReadMs, m_bodyClockMs) + limits.bodyStallTimeoutMs);
        } else if (m_queue.empty()) {
            consider(m_requestCount == 0 ? m_acceptedMs + limits.headerTimeoutMs
                                         : m_idleSinceMs + limits.idleTimeoutMs);
        }
    }
    return d;
}

void HttpConnection::updateTimer()
{
    if (m_closed)
        return;
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
                            << (m_lingering ? "(linger)" : m_parsing ? "(request)" : "(idle)");
    closeNow();
}

} // namespace tollgate::http
