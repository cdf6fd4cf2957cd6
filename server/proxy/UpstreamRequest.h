#pragma once

#include "server/http/HttpHeaders.h"

#include <QByteArray>

namespace tollgate::proxy {

// One request for an upstream. The caller has already dropped the client's hop-by-hop fields; the
// client owns the framing and adds Host (unless the caller set one), Content-Length or
// Transfer-Encoding, and Connection: keep-alive. Framing fields the caller left in are replaced,
// never duplicated: two disagreeing lengths are how requests get smuggled.
struct UpstreamRequest
{
    QByteArray method;         // "POST"
    QByteArray target;         // "/api/v1/search?x=1" (empty means "/")
    http::HttpHeaders headers;
    // Complete "Name: value\r\n" lines the caller built and vouches for (no CR/LF inside a value),
    // sent after the headers: the gateway's identity fields without a header list per request.
    QByteArray extraHeaderLines;
    QByteArray body;           // buffered body (most routes)
    // true: the body comes through UpstreamCall::writeBody()/endBody() (large STT uploads) and
    // bodyLength gives its Content-Length, or -1 to send it chunked.
    bool streamedBody = false;
    qint64 bodyLength = -1;
    int connectTimeoutMs = 2000;
    int totalTimeoutMs = 60000; // from start() to the last response byte
};

} // namespace tollgate::proxy
