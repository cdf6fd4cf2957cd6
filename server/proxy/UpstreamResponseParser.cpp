#include "server/proxy/UpstreamResponseParser.h"

#include <climits>

namespace tollgate::proxy {

namespace {

UpstreamResponseParser *self(http_parser *parser)
{
    return static_cast<UpstreamResponseParser *>(parser->data);
}

QByteArray trimmedValue(QByteArray value)
{
    // http_parser drops leading whitespace but may keep trailing whitespace.
    qsizetype n = value.size();
    while (n > 0 && (value.at(n - 1) == ' ' || value.at(n - 1) == '\t'))
        --n;
    if (n != value.size())
        value.truncate(n);
    return value;
}

} // namespace

const http_parser_settings UpstreamResponseParser::settings = {
    &UpstreamResponseParser::onMessageBegin,
    nullptr, // on_url: requests only
    nullptr, // on_status: the code is in parser->status_code, the reason phrase is not forwarded
    &UpstreamResponseParser::onHeaderField,
    &UpstreamResponseParser::onHeaderValue,
    &UpstreamResponseParser::onHeadersComplete,
    &UpstreamResponseParser::onBody,
    &UpstreamResponseParser::onMessageComplete,
    nullptr, // on_chunk_header
    nullptr, // on_chunk_complete
};

UpstreamResponseParser::UpstreamResponseParser(BodySink sink)
    : m_sink(std::move(sink))
{
    reset(false);
}

void UpstreamResponseParser::reset(bool headRequest)
{
    http_parser_init(&m_parser, HTTP_RESPONSE);
    m_parser.data = this;
    m_head = {};
    m_field.clear();
    m_value.clear();
    m_error.clear();
    m_event = Event::NeedMore;
    m_headRequest = headRequest;
    m_inValue = false;
    m_interim = false;
    m_headDone = false;
    m_keepAlive = false;
}

UpstreamResponseParser::Event UpstreamResponseParser::feed(const char *data, qsizetype size, qsizetype *consumed)
{
    m_event = Event::NeedMore;
    const size_t used = http_parser_execute(&m_parser, &settings, data, size_t(size));
    return takeEvent(used, consumed);
}

UpstreamResponseParser::Event UpstreamResponseParser::finish()
{
    m_event = Event::NeedMore;
    // A zero-length execute is how http_parser learns of EOF: it completes a body delimited by the
    // close and reports HPE_INVALID_EOF_STATE for anything else unfinished.
    http_parser_execute(&m_parser, &settings, nullptr, 0);
    qsizetype ignored = 0;
    const Event event = takeEvent(0, &ignored);
    if (event == Event::NeedMore) {
        // EOF between messages or before any byte: nothing completed.
        m_error = QStringLiteral("connection closed");
        return Event::Error;
    }
    return event;
}

UpstreamResponseParser::Event UpstreamResponseParser::takeEvent(size_t consumed, qsizetype *consumedOut)
{
    *consumedOut = qsizetype(consumed);
    const auto error = http_errno(m_parser.http_errno);
    if (error == HPE_PAUSED) {
        // Our callbacks pause to hand an event out of the parser; resuming is just unpausing.
        http_parser_pause(&m_parser, 0);
        return m_event;
    }
    if (error != HPE_OK) {
        if (m_error.isEmpty())
            m_error = QString::fromLatin1(http_errno_description(error));
        return Event::Error;
    }
    return m_event;
}

void UpstreamResponseParser::finishField()
{
    if (!m_field.isEmpty()) {
        if (m_head.headers.fields.isEmpty())
            m_head.headers.fields.reserve(12); // one allocation, not one per doubling
        m_head.headers.fields.append({std::move(m_field), trimmedValue(std::move(m_value))});
    }
    m_field = QByteArray();
    m_value = QByteArray();
    m_inValue = false;
}

int UpstreamResponseParser::onMessageBegin(http_parser *parser)
{
    // Also after a skipped 1xx head: start the real response afresh.
    UpstreamResponseParser *p = self(parser);
    p->m_head = {};
    p->m_field = QByteArray();
    p->m_value = QByteArray();
    p->m_inValue = false;
    return 0;
}

int UpstreamResponseParser::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    UpstreamResponseParser *p = self(parser);
    if (p->m_headDone)
        return 0;
    if (p->m_inValue)
        p->finishField();
    if (p->m_field.isNull())
        p->m_field = http::HttpHeaders::intern(at, qsizetype(length)); // names come in one piece, nearly always
    else
        p->m_field.append(at, qsizetype(length));
    return 0;
}

int UpstreamResponseParser::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    UpstreamResponseParser *p = self(parser);
    if (p->m_headDone)
        return 0;
    p->m_inValue = true;
    if (p->m_value.isNull())
        p->m_value = http::HttpHeaders::intern(at, qsizetype(length));
    else
        p->m_value.append(at, qsizetype(length));
    return 0;
}

int UpstreamResponseParser::onHeadersComplete(http_parser *parser)
{
    UpstreamResponseParser *p = self(parser);
    p->finishField();
    const int status = int(parser->status_code);

    if (parser->upgrade || status == 101) {
        // A switched protocol cannot be relayed through a request/response client.
        p->m_error = QStringLiteral("upstream switched protocols (status 101)");
        return -1;
    }
    if (status >= 100 && status < 200) {
        // 100 Continue, 103 Early Hints: informational, the real response follows on the wire.
        p->m_interim = true;
        return 0;
    }

    const bool noBody = p->m_headRequest || status == 204 || status == 304;
    p->m_head.status = status;
    if (noBody)
        p->m_head.contentLength = 0;
    else if (parser->flags & F_CHUNKED)
        p->m_head.contentLength = -1;
    else if (parser->content_length != ULLONG_MAX)
        p->m_head.contentLength = qint64(parser->content_length);
    else
        p->m_head.contentLength = -1;

    p->m_headDone = true;
    p->m_event = Event::Head;
    http_parser_pause(parser, 1);
    // 1 = skip the body: a 204 or 304 that carries Content-Length must not make us wait for one.
    return noBody ? 1 : 0;
}

int UpstreamResponseParser::onBody(http_parser *parser, const char *at, size_t length)
{
    UpstreamResponseParser *p = self(parser);
    if (!p->m_sink(at, qsizetype(length))) {
        p->m_event = Event::Stopped;
        http_parser_pause(parser, 1);
    }
    return 0;
}

int UpstreamResponseParser::onMessageComplete(http_parser *parser)
{
    UpstreamResponseParser *p = self(parser);
    if (p->m_interim) {
        p->m_interim = false;
        return 0;
    }
    // Still valid here: flags and version are reset only when the next message begins.
    p->m_keepAlive = http_should_keep_alive(parser) != 0;
    p->m_event = Event::Complete;
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace tollgate::proxy
