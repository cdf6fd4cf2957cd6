#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace tollgate::http {

// Debian builds libhttp_parser with HTTP_PARSER_STRICT=0, which lets through exactly the kind of
// sloppiness request smuggling lives on: any byte where the LF after a final CR should be, "HTTX/1.1",
// folded header lines, control characters, spaces in field names. The connection runs the bytes the
// parser consumed in a request head (and in chunked trailers) through this scanner, which puts the
// strictness back; the chunk framing is checked by HttpRequestParser (and ChunkLineScanner).
class HttpHeadScanner
{
public:
    // A new message begins (also: leading empty lines are allowed again).
    void reset();
    // Trailers follow the last chunk: header lines without a request line, each ending in CRLF. (A head
    // may end its lines in a bare LF, as RFC 9112 §2.2 lets a server accept; trailers are chunk framing,
    // where a bare LF is one of the ways a front proxy and we could disagree about where a body ends.)
    void startTrailers();
    // Feeds consumed head bytes; false at the first violation.
    bool scan(const char *data, qsizetype length);
    // A CR was the last byte seen: the next byte of the stream must be LF.
    bool awaitingLineFeed() const { return m_prevCR; }
    // "METHOD SP target SP HTTP/d.d", single spaces. Valid once the head is complete.
    bool requestLineValid() const;

    // RFC 9110 tchar.
    static bool isTokenChar(unsigned char c);
    static bool isToken(QByteArrayView text);

private:
    QByteArray m_requestLine;
    bool m_inRequestLine = true;
    bool m_lineStart = true;
    bool m_prevCR = false;
    bool m_requireCrLf = false;
};

} // namespace tollgate::http
