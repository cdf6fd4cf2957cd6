#pragma once

#include "server/http/HttpHeaders.h"

#include <QByteArray>
#include <QHostAddress>

namespace tollgate::http {

// One parsed request head (and, for buffered bodies, its body). Bytes throughout: the gateway
// routes and forwards them as they came, and decoding belongs to whoever needs text.
struct HttpRequest
{
    HttpRequest() = default;
    // With the peer from the start: a default QHostAddress allocates (one per request otherwise).
    HttpRequest(const QHostAddress &peer, quint16 port, const QByteArray &text) : peerAddress(peer), peerPort(port), peerText(text) {}

    QByteArray method;        // "GET"
    QByteArray target;        // raw request target "/v1/search?q=1"
    QByteArray path;          // "/v1/search" (not decoded)
    QByteArray query;         // "q=1"
    // host[:port] the request is for: an absolute-form target's authority, which wins over Host
    // (RFC 9112 §3.2.2), else the Host field; empty for an HTTP/1.0 request without Host.
    QByteArray authority;
    int versionMinor = 1;     // HTTP/1.x
    HttpHeaders headers;
    QByteArray body;          // buffered bodies only
    QHostAddress peerAddress; // IPv4 clients of a dual-stack socket appear as IPv4, not ::ffff:a.b.c.d
    quint16 peerPort = 0;
    QByteArray peerText;      // peerAddress as text, formatted once per connection
    qint64 contentLength = -1; // -1 unknown/chunked, 0 when the request has no body
};

} // namespace tollgate::http
