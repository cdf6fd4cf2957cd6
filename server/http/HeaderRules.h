#pragma once

#include "server/http/HttpHeaders.h"

#include <QByteArrayView>

#include <span>

namespace tollgate::http {

// What happens to a header field on each side of the gateway, decided in one table (HeaderRules.cpp), as
// nginx's ngx_http_upstream_headers_in[] decides it: one row per field name. A field without a row is
// end to end: forwarded to the upstream and passed to the client. What reaches the upstream and the
// client is security logic; nothing else in the tree names these fields to decide it.
class HeaderRules
{
public:
    // A client's field on its way to the upstream.
    enum class ToUpstream : quint8 {
        Forward,   // end to end: the upstream sees it as the client sent it
        Withhold,  // never sent: credentials, and client claims the gateway does not vouch for
        HopByHop,  // about the client's connection (RFC 9110 7.6.1); so is every field named in Connection
        Framing,   // written by the upstream request encoder from the body it sends
        Ours,      // the gateway sets its own (identity, Host, trace context); the client's is dropped
    };
    // An upstream's field on its way to the client.
    enum class ToClient : quint8 {
        Pass,      // end to end
        HopByHop,  // about the upstream's connection; so is every field named in its Connection
        Framing,   // written by the response writer from the body it sends
        Hide,      // not for the client: names the upstream's software, or instructs a proxy (X-Accel-*)
        Ours,      // the gateway sets its own (Server, Date, X-Request-ID, rate-limit and credit fields)
    };
    struct Rule
    {
        QByteArrayView name;
        ToUpstream toUpstream;
        ToClient toClient;
    };

    // Case-insensitive; no allocation: a few probes into an index built once.
    static ToUpstream toUpstream(QByteArrayView name);
    static ToClient toClient(QByteArrayView name);
    // The row of that name, null when the field has none (then Forward and Pass, but for the X-Accel-*
    // prefix, hidden from the client).
    static const Rule *find(QByteArrayView name);
    static std::span<const Rule> all();

    // True for the fields a response writer drops from any handler's headers and writes itself
    // (framing and connection management), and for the encoder of upstream requests likewise.
    static bool writerOwnsToClient(QByteArrayView name);
    static bool encoderOwnsToUpstream(QByteArrayView name);

    // The client's fields the upstream may see: Forward rows, none named in the client's Connection.
    static HttpHeaders forUpstream(const HttpHeaders &client);
    // The upstream's fields the client may see: Pass rows, none named in the upstream's Connection.
    // Shares the list (no copy) when every field passes.
    static HttpHeaders forClient(const HttpHeaders &upstream);

    // Whether `name` is one of the tokens of the Connection fields in `headers` (close and keep-alive
    // are options, not field names, and never match a field).
    static bool namedInConnection(const HttpHeaders &headers, QByteArrayView name);
};

} // namespace tollgate::http
