#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tollgate::proxy {

struct UpstreamRequest;

// Serialises requests for an upstream: the request head with the framing this client owns, and
// the chunked framing of streamed bodies of unknown length.
class UpstreamRequestEncoder
{
public:
    // Request line, fields and framing, ending with the blank line. hostHeader is used unless the
    // caller set Host itself.
    static QByteArray head(const UpstreamRequest &request, QByteArrayView hostHeader);
    // Empty when the request can be sent; otherwise why not. Guards the request line and fields
    // against CR/LF and spaces, which would let a value start a second request on the connection.
    static QString validate(const UpstreamRequest &request);
    // One chunk of a chunked body; an empty chunk would end the body, so callers skip those.
    static QByteArray chunk(QByteArrayView data);
    static QByteArray lastChunk() { return QByteArrayLiteral("0\r\n\r\n"); }
    // True when a request with this method and no body still announces Content-Length: 0 (servers
    // answer 411 to a bodiless POST otherwise).
    static bool methodExpectsBody(QByteArrayView method);
};

} // namespace tollgate::proxy
