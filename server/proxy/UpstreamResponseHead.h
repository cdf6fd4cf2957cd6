#pragma once

#include "server/http/HttpHeaders.h"

namespace tollgate::proxy {

// The upstream's status line and header fields, as received: hop-by-hop fields (Connection,
// Keep-Alive, Transfer-Encoding) are left in for the caller to filter, since the caller re-frames
// the body for its own client anyway.
struct UpstreamResponseHead
{
    int status = 0;
    http::HttpHeaders headers;
    // Body bytes that onData will deliver: -1 when not known in advance (chunked, or delimited by
    // the upstream closing); 0 for HEAD responses, 204 and 304, whatever their Content-Length says.
    qint64 contentLength = -1;
};

} // namespace tollgate::proxy
