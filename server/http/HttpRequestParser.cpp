#include "server/http/HttpRequestParser.h"

#include "server/http/HttpHostField.h"

#include <cstring>

namespace tollgate::http {

namespace {

HttpRequestParser *self(http_parser *parser)
{
    return static_cast<HttpRequestParser *>(parser->data);
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

const http_parser_settings HttpRequestParser::settings = {
    &HttpRequestParser::onMessageBegin,
    &HttpRequestParser::onUrl,
    nullptr, // on_status: responses only
    &HttpRequestParser::onHeaderField,
    &HttpRequestParser::onHeaderValue,
    &HttpRequestParser::onHeadersComplete,
    &HttpRequestParser::onBody,
    &HttpRequestParser::onMessageComplete,
    &HttpRequestParser::onChunkHeader,
    &HttpRequestParser::onChunkComplete,
};

HttpRequestParser::HttpRequestParser(const HttpLimits &limits, BodySink sink)
    : m_limits(limits)
    , m_sink(std::move(sink))
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
}

void HttpRequestParser::setPeer(const QHostAddress &address, quint16 port, const QByteArray &text)
{
    m_peerAddress = address;
    m_peerPort = port;
    m_peerText = text;
    m_request = HttpRequest(m_peerAddress, m_peerPort, m_peerText);
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest(m_peerAddress, m_peerPort, m_peerText);
    return request;
}

HttpRequestParser::Event HttpRequestParser::feed(const char *data, qsizetype size, qsizetype *consumed)
{
    *consumed = 0;
    if (m_failed)
        return Event::Error;
    // One http_parser_execute per step: our callbacks pause the parser at every point where a check
    // of ours has to look at what it consumed (head, chunk line, chunk end, message end).
    while (*consumed < size) {
        const char *at = data + *consumed;
        const qsizetype length = size - *consumed;
        const Phase phase = m_phase;
        const bool inHead = phase == Phase::Idle || phase == Phase::Head;
        const bool inTrailers = phase == Phase::Trailers;
        const bool sizeLine = m_inSizeLine;

        qsizetype slice = length;
        qsizetype lineFeedChecked = 0;
        if (inHead || inTrailers) {
            // Never hand the parser more than the head (or the trailers) may still grow by: the limit
            // holds without buffering anything beyond it.
            const qsizetype room = m_limits.maxHeaderBytes - m_headBytes;
            if (room <= 0) {
                return fail(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                            inHead ? QStringLiteral("request line and headers exceed %1 bytes").arg(m_limits.maxHeaderBytes)
                                   : QStringLiteral("trailers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
            }
            slice = qMin(length, room);
        } else if (m_scanner.awaitingLineFeed()) {
            // The byte that ends the head (the parser, paused at the head, takes any byte for its LF).
            if (!m_scanner.scan(at, 1))
                return fail(400, "INVALID_REQUEST", QStringLiteral("malformed request head"));
            lineFeedChecked = 1;
        }

        m_pause = Pause::None;
        const qsizetype used = qsizetype(http_parser_execute(&m_parser, &settings, at, size_t(slice)));
        *consumed += used;
        const auto error = HTTP_PARSER_ERRNO(&m_parser);
        if (error == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
        } else if (error != HPE_OK) {
            return failFromParser(error);
        }
        if ((inHead || inTrailers) && used > 0 && !m_scanner.scan(at, used)) {
            return fail(400, "INVALID_REQUEST",
                        inHead ? QStringLiteral("malformed request head") : QStringLiteral("malformed chunk trailers"));
        }
        if (sizeLine && used > lineFeedChecked) {
            if (!m_chunkLine.scan(at + lineFeedChecked, used - lineFeedChecked))
                return fail(400, "INVALID_REQUEST", QStringLiteral("malformed chunk size line"));
            // The parser skips extensions without bound; nothing of them is kept, but a line that never
            // ends is no chunk.
            if (m_chunkLine.length() > m_limits.maxHeaderBytes)
                return fail(400, "INVALID_REQUEST", QStringLiteral("chunk size line too long"));
        }
        const char beforeLast = used >= 2 ? at[used - 2] : m_lastByte;
        if (used > 0)
            m_lastByte = at[used - 1];
        if (inHead || inTrailers)
            m_headBytes += used;

        switch (std::exchange(m_pause, Pause::None)) {
        case Pause::None:
            break;
        case Pause::Head:
            return finishHead();
        case Pause::ChunkHeader:
            // The callback ran on the byte after the size line's CR, whatever it was.
            if (!m_chunkLine.complete())
                return fail(400, "INVALID_REQUEST", QStringLiteral("malformed chunk size line"));
            m_inSizeLine = false;
            if (m_parser.content_length == 0) {
                // The last chunk: trailer lines follow, checked like a head and held to its limits.
                m_phase = Phase::Trailers;
                m_scanner.startTrailers();
                m_headBytes = 0;
                m_fieldCount = 0;
                m_inValue = false;
            }
            break;
        case Pause::ChunkComplete:
            // The data ends in CRLF; the lenient parser takes any two bytes for them.
            if (m_lastByte != '\n' || beforeLast != '\r')
                return fail(400, "INVALID_REQUEST", QStringLiteral("malformed chunk"));
            m_inSizeLine = true;
            m_chunkLine.reset();
            break;
        case Pause::Complete:
            m_phase = Phase::Idle;
            m_headBytes = 0;
            m_inSizeLine = false;
            m_scanner.reset();
            return Event::Complete;
        }
        if (used == 0 && slice == length)
            break; // defensive: the parser took nothing and asked for nothing
    }
    return Event::NeedMore;
}

HttpRequestParser::Event HttpRequestParser::fail(int status, QByteArrayView code, QString message)
{
    m_failed = true;
    m_failure.status = status;
    m_failure.code = code.toByteArray();
    m_failure.message = std::move(message);
    return Event::Error;
}

HttpRequestParser::Event HttpRequestParser::failFromParser(http_errno error)
{
    if (m_callbackFailure.status != 0) {
        Failure failure = std::exchange(m_callbackFailure, Failure());
        return fail(failure.status, failure.code, std::move(failure.message));
    }
    switch (error) {
    case HPE_INVALID_METHOD:
        return fail(501, "NOT_IMPLEMENTED", QStringLiteral("method not implemented"));
    case HPE_HEADER_OVERFLOW:
        return fail(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", QStringLiteral("request headers too large"));
    default:
        return fail(400, "INVALID_REQUEST",
                    QStringLiteral("malformed request: %1").arg(QLatin1StringView(http_errno_description(error))));
    }
}

void HttpRequestParser::setCallbackError(int status, QByteArrayView code, QString message)
{
    m_callbackFailure.status = status;
    m_callbackFailure.code = code.toByteArray();
    m_callbackFailure.message = std::move(message);
}

HttpRequestParser::Event HttpRequestParser::finishHead()
{
    HttpRequest &request = m_request;
    if (!m_scanner.requestLineValid() || m_badFieldName)
        return fail(400, "INVALID_REQUEST", QStringLiteral("malformed request head"));
    if (m_parser.http_major != 1)
        return fail(505, "HTTP_VERSION_NOT_SUPPORTED", QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
    // Our own account of the framing headers, independent of the parser's: smuggling relies on two
    // parties disagreeing about where a body ends, so we refuse anything ambiguous outright.
    m_chunked = m_parser.flags & F_CHUNKED;
    if (m_sawTransferEncoding && m_contentLengthCount > 0)
        return fail(400, "INVALID_REQUEST", QStringLiteral("both Content-Length and Transfer-Encoding"));
    if (m_sawTransferEncoding && (!m_chunked || m_badTransferEncoding))
        return fail(400, "INVALID_REQUEST", QStringLiteral("unsupported Transfer-Encoding"));
    if (m_contentLengthConflict)
        return fail(400, "INVALID_REQUEST", QStringLiteral("conflicting Content-Length"));

    const char *method = http_method_str(http_method(m_parser.method));
    request.method = QByteArray::fromRawData(method, qsizetype(strlen(method)));
    request.versionMinor = m_parser.http_minor >= 1 ? 1 : 0;
    m_headMethod = m_parser.method == HTTP_HEAD;
    if (!splitTarget())
        return fail(400, "INVALID_REQUEST", QStringLiteral("malformed request target"));
    const Event host = checkHost();
    if (host == Event::Error)
        return host;
    request.contentLength = m_chunked ? -1 : (m_contentLengthCount > 0 ? m_contentLength : 0);
    m_keepAlive = http_should_keep_alive(&m_parser);

    m_phase = Phase::Body;
    m_inSizeLine = m_chunked;
    m_chunkLine.reset();
    m_bodyLimit = -1;
    m_bodyReceived = 0;
    return Event::Head;
}

bool HttpRequestParser::splitTarget()
{
    HttpRequest &request = m_request;
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
        return true;
    }
    // absolute-form ("http://host/path?q"): what a client talking to a proxy sends
    http_parser_url url;
    http_parser_url_init(&url);
    if (http_parser_parse_url(request.target.constData(), size_t(request.target.size()), 0, &url) != 0)
        return false;
    if (url.field_set & (1 << UF_PATH))
        request.path = request.target.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
    else
        request.path = "/";
    if (url.field_set & (1 << UF_QUERY))
        request.query = request.target.mid(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len);
    // The parser requires a host in an absolute URL. Its authority, without userinfo, is the
    // request's (RFC 9112 §3.2.2); the IPv6 brackets the parser strips from the host go back on.
    const auto &h = url.field_data[UF_HOST];
    QByteArray authority = request.target.mid(h.off, h.len);
    if (authority.contains(':'))
        authority = '[' + authority + ']';
    if (url.field_set & (1 << UF_PORT))
        authority += ':' + request.target.mid(url.field_data[UF_PORT].off, url.field_data[UF_PORT].len);
    request.authority = std::move(authority);
    return true;
}

HttpRequestParser::Event HttpRequestParser::checkHost()
{
    // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, and to any request
    // with more than one Host field or an invalid one; HTTP/1.0 requests may go without.
    HttpRequest &request = m_request;
    if (m_hostCount > 1)
        return fail(400, "INVALID_REQUEST", QStringLiteral("more than one Host field"));
    if (m_hostCount == 0) {
        if (request.versionMinor >= 1)
            return fail(400, "INVALID_REQUEST", QStringLiteral("Host field missing"));
        return Event::NeedMore;
    }
    const QByteArray host = request.headers.value("host");
    if (!HttpHostField::isValid(host))
        return fail(400, "INVALID_REQUEST", QStringLiteral("invalid Host field"));
    // An empty Host says the target URI has no authority (RFC 9112 §3.2). Every target we serve
    // (origin-form, asterisk-form, absolute-form) is an "http" URI, which must have a non-empty host
    // (RFC 9110 §4.2.1, a recipient MUST reject it), so HTTP/1.1 refuses it; for HTTP/1.0, where
    // Host is optional, an empty one is taken as none.
    if (host.isEmpty() && request.versionMinor >= 1)
        return fail(400, "INVALID_REQUEST", QStringLiteral("empty Host field"));
    if (request.authority.isEmpty())
        request.authority = host;
    return Event::NeedMore;
}

void HttpRequestParser::finishHeaderField()
{
    auto &field = m_request.headers.fields.last();
    chopTrailingWhitespace(field.second);
    if (!HttpHeadScanner::isToken(field.first))
        m_badFieldName = true; // "Content-Length : 5" would be a length to the parser, not to us
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
    } else if (HttpHeaders::nameEquals(field.first, "host")) {
        ++m_hostCount;
    }
}

// --- http_parser callbacks: bookkeeping only; every decision is taken after the parser returns.

int HttpRequestParser::onMessageBegin(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    if (!p->m_request.target.isEmpty() || !p->m_request.headers.fields.isEmpty())
        p->m_request = HttpRequest(p->m_peerAddress, p->m_peerPort, p->m_peerText); // the last one was not taken
    p->m_phase = Phase::Head;
    p->m_fieldCount = 0;
    p->m_inValue = false;
    p->m_inSizeLine = false;
    p->m_urlChecked = false;
    p->m_badFieldName = false;
    p->m_sawTransferEncoding = false;
    p->m_badTransferEncoding = false;
    p->m_contentLengthCount = 0;
    p->m_contentLength = -1;
    p->m_contentLengthConflict = false;
    p->m_hostCount = 0;
    p->m_headMethod = false;
    p->m_keepAlive = false;
    p->m_chunked = false;
    return 0;
}

int HttpRequestParser::onUrl(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    if (!p->m_urlChecked) {
        p->m_urlChecked = true;
        if (!methodServed(parser->method)) {
            p->setCallbackError(501, "NOT_IMPLEMENTED",
                                QStringLiteral("method %1 is not implemented")
                                    .arg(QLatin1StringView(http_method_str(http_method(parser->method)))));
            return 1;
        }
    }
    p->m_request.target.append(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    const bool newField = p->m_inValue || p->m_fieldCount == 0;
    if (p->m_phase == Phase::Trailers) {
        // Trailers are neither used nor kept, only counted against the head's limit.
        if (newField && ++p->m_fieldCount > p->m_limits.maxHeaderFields) {
            p->setCallbackError(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                                QStringLiteral("more than %1 trailer fields").arg(p->m_limits.maxHeaderFields));
            return 1;
        }
        p->m_inValue = false;
        return 0;
    }
    auto &fields = p->m_request.headers.fields;
    if (newField) {
        if (p->m_fieldCount > 0)
            p->finishHeaderField();
        if (++p->m_fieldCount > p->m_limits.maxHeaderFields) {
            p->setCallbackError(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                                QStringLiteral("more than %1 header fields").arg(p->m_limits.maxHeaderFields));
            return 1;
        }
        if (fields.isEmpty())
            fields.reserve(12); // one allocation for a typical request's fields, not one per doubling
        fields.append({HttpHeaders::intern(at, qsizetype(length)), QByteArray()});
        p->m_inValue = false;
    } else {
        fields.last().first.append(at, qsizetype(length));
    }
    return 0;
}

int HttpRequestParser::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    p->m_inValue = true;
    if (p->m_phase == Phase::Trailers)
        return 0;
    QByteArray &value = p->m_request.headers.fields.last().second;
    if (value.isNull())
        value = HttpHeaders::intern(at, qsizetype(length)); // most values come in one piece
    else
        value.append(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onHeadersComplete(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    if (p->m_fieldCount > 0)
        p->finishHeaderField();
    p->m_pause = Pause::Head;
    // We serve no Upgrade (WebSocket, h2c): the request is an ordinary one and parsing continues.
    parser->upgrade = 0;
    http_parser_pause(parser, 1);
    return 0;
}

int HttpRequestParser::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpRequestParser *p = self(parser);
    p->m_bodyReceived += qint64(length);
    if (p->m_bodyLimit >= 0 && p->m_bodyReceived > p->m_bodyLimit) {
        p->setCallbackError(413, "PAYLOAD_TOO_LARGE", QStringLiteral("request body exceeds %1 bytes").arg(p->m_bodyLimit));
        return 1;
    }
    p->m_sink(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onChunkHeader(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    p->m_pause = Pause::ChunkHeader;
    http_parser_pause(parser, 1);
    return 0;
}

int HttpRequestParser::onChunkComplete(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    if (p->m_phase == Phase::Trailers)
        return 0; // the end of the trailers: the head scanner has seen it
    p->m_pause = Pause::ChunkComplete;
    http_parser_pause(parser, 1);
    return 0;
}

int HttpRequestParser::onMessageComplete(http_parser *parser)
{
    HttpRequestParser *p = self(parser);
    p->m_pause = Pause::Complete;
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace tollgate::http
