#pragma once

#include "server/proxy/UpstreamResponseHead.h"

#include <QByteArray>
#include <QString>

#include <http_parser.h>

#include <functional>

namespace tollgate::proxy {

// Parses one upstream response at a time with http_parser, turning its callbacks into events the
// connection can act on outside the parser: the head, the end of the message, or a stop the body
// sink asked for. Body bytes go to the sink as they are decoded (chunked framing removed), so a
// response body is never collected here.
class UpstreamResponseParser
{
public:
    enum class Event {
        NeedMore, // everything given was consumed
        Head,     // head() is ready; feed the rest again
        Complete, // the response ended; keepAlive() says whether the connection may serve another
        Stopped,  // the sink returned false; feed the rest again later
        Error,    // errorString() says why; the connection is unusable
    };
    // Receives decoded body bytes; returning false stops parsing right after them.
    using BodySink = std::function<bool(const char *data, qsizetype size)>;

    explicit UpstreamResponseParser(BodySink sink);

    // Before each response. A HEAD request's response has no body whatever its fields say.
    void reset(bool headRequest);
    Event feed(const char *data, qsizetype size, qsizetype *consumed);
    // The upstream closed the connection: completes a response delimited by the close, and is an
    // Error for any other unfinished one.
    Event finish();

    const UpstreamResponseHead &head() const { return m_head; }
    UpstreamResponseHead takeHead() { return std::move(m_head); }
    bool headSeen() const { return m_headDone; }
    bool keepAlive() const { return m_keepAlive; }
    QString errorString() const { return m_error; }

private:
    static int onMessageBegin(http_parser *parser);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings settings;

    Event takeEvent(size_t consumed, qsizetype *consumedOut);
    void finishField();

    http_parser m_parser;
    BodySink m_sink;
    UpstreamResponseHead m_head;
    QByteArray m_field;
    QByteArray m_value;
    QString m_error;
    Event m_event = Event::NeedMore;
    bool m_headRequest = false;
    bool m_inValue = false;
    bool m_interim = false;  // a 1xx head: skipped, the real response follows
    bool m_headDone = false; // later header callbacks are chunked trailers, which we drop
    bool m_keepAlive = false;
};

} // namespace tollgate::proxy
