#pragma once

#include "server/http/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>

namespace tollgate::http {

// Serializes a status line and header block into the buffer that then goes to the socket in one write().
class HttpResponseHead
{
public:
    enum class Framing { Length, Chunked, UntilClose, None };
    enum class ConnectionToken { Default, KeepAlive, Close };

    // Appends "HTTP/1.1 <status> <reason>\r\n…\r\n". The framing and connection headers are ours:
    // the handler's hop-by-hop and framing fields (HeaderRules::writerOwnsToClient: Content-Length,
    // Connection, Transfer-Encoding, Keep-Alive, TE, Trailer, Upgrade, Proxy-*) are dropped (a proxied
    // upstream's framing must never reach the client), as is any field containing CR or LF (response
    // splitting). Server and Date are added unless given.
    // extraLines are complete "Name: value\r\n" lines the caller built itself (and vouches for),
    // written after the headers: the gateway's own fields without a header list per response.
    static void append(QByteArray &out, int status, const HttpHeaders &headers, Framing framing,
                       qint64 contentLength, ConnectionToken connection, qsizetype bodyReserve = 0,
                       QByteArrayView extraLines = {});

    static QByteArrayView reasonPhrase(int status);
    // 1xx, 204 and 304 never carry a body (RFC 9110 6.4.1).
    static bool statusForbidsBody(int status) { return status < 200 || status == 204 || status == 304; }
    // The handler asked to close the connection after this response.
    static bool asksToClose(const HttpHeaders &headers);
};

} // namespace tollgate::http
