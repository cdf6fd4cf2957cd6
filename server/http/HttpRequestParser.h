#pragma once

#include "server/http/ChunkLineScanner.h"
#include "server/http/HttpHeadScanner.h"
#include "server/http/HttpLimits.h"
#include "server/http/HttpRequest.h"

#include <QByteArray>
#include <QString>

#include <http_parser.h>

#include <functional>

namespace tollgate::http {

// Frames the requests of one client connection with http_parser and holds them to our rules, which
// are stricter than the lenient Debian build of the parser (see HttpHeadScanner, ChunkLineScanner):
// head and trailer limits, Content-Length / Transfer-Encoding agreement, Host, chunk framing. The
// parser's callbacks become events the connection acts on outside the parser, as in
// proxy::UpstreamResponseParser: a complete head (with its HttpRequest), the end of the message, or
// an error with the status, code and message to answer it with. Body bytes go to the sink as they
// are decoded (chunk framing removed); nothing of a body is kept here.
//
// After an Error nothing more can be framed on the connection: the caller answers and closes.
class HttpRequestParser
{
public:
    enum class Event {
        NeedMore, // everything given was consumed
        Head,     // takeRequest() is ready; set the body limit, then feed the rest again
        Complete, // the message ended (body and trailers included); feed the rest for the next one
        Error,    // failure() says how to answer; the connection is unusable
    };
    enum class Phase {
        Idle,     // between messages (nothing of the next one consumed yet)
        Head,     // request line and header fields
        Body,     // after the head: body bytes, chunk framing
        Trailers, // after the last chunk
    };
    struct Failure
    {
        int status = 0;
        QByteArray code;  // "INVALID_REQUEST"
        QString message;
    };
    using BodySink = std::function<void(const char *data, qsizetype size)>;

    // limits must outlive the parser (the worker's limits do).
    HttpRequestParser(const HttpLimits &limits, BodySink sink);
    HttpRequestParser(const HttpRequestParser &) = delete;
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    // Copied into every request (HttpRequest::peerAddress…); set once per connection.
    void setPeer(const QHostAddress &address, quint16 port, const QByteArray &text);

    // Parses from data up to the next event. *consumed says how much of data was used; after Head and
    // Complete, feed the rest again. A head is never given more bytes than its limit allows.
    Event feed(const char *data, qsizetype size, qsizetype *consumed);

    Phase phase() const { return m_phase; }
    const Failure &failure() const { return m_failure; }

    // The request being parsed: complete after Head (method, target, path, query, version, headers,
    // contentLength, authority), partial before. The connection takes it at Head (or at an Error, for
    // the exchange that answers).
    HttpRequest takeRequest();
    // Valid from Head on.
    bool isHeadMethod() const { return m_headMethod; }
    bool keepAlive() const { return m_keepAlive; }
    bool chunked() const { return m_chunked; }

    // After Head: body bytes beyond limit are refused with 413 (the announcement alone is the
    // connection's to judge, with the handler's policy).
    void setBodyLimit(qint64 limit) { m_bodyLimit = limit; }
    qint64 bodyReceived() const { return m_bodyReceived; }

private:
    enum class Pause { None, Head, ChunkHeader, ChunkComplete, Complete };

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static int onChunkHeader(http_parser *parser);
    static int onChunkComplete(http_parser *parser);
    static const http_parser_settings settings;

    Event fail(int status, QByteArrayView code, QString message);
    Event failFromParser(http_errno error);
    Event finishHead();
    bool splitTarget();
    Event checkHost();
    void finishHeaderField();
    void setCallbackError(int status, QByteArrayView code, QString message);

    const HttpLimits &m_limits;
    BodySink m_sink;
    http_parser m_parser;
    HttpHeadScanner m_scanner;
    ChunkLineScanner m_chunkLine;
    HttpRequest m_request;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QByteArray m_peerText;
    Failure m_failure;
    Phase m_phase = Phase::Idle;
    Pause m_pause = Pause::None;
    bool m_failed = false;

    // Of the current message.
    qsizetype m_headBytes = 0;     // request line + headers, or trailers, consumed so far
    int m_fieldCount = 0;          // header fields, or trailer fields
    bool m_inValue = false;
    bool m_inSizeLine = false;     // the bytes being consumed belong to a chunk-size line
    char m_lastByte = 0;           // the last byte the parser consumed (a CRLF may straddle two feeds)
    bool m_urlChecked = false;
    bool m_badFieldName = false;
    bool m_sawTransferEncoding = false;
    bool m_badTransferEncoding = false;
    int m_contentLengthCount = 0;
    qint64 m_contentLength = -1;
    bool m_contentLengthConflict = false;
    int m_hostCount = 0;
    bool m_headMethod = false;
    bool m_keepAlive = false;
    bool m_chunked = false;
    qint64 m_bodyLimit = -1;       // -1: none set
    qint64 m_bodyReceived = 0;
    Failure m_callbackFailure;     // what a callback that stopped the parser wants answered
};

} // namespace tollgate::http
