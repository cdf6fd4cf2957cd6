#pragma once

#include "server/http/HttpHeaders.h"

#include <QByteArray>

#include <memory>

namespace tollgate::http {
class HttpExchange;
}

namespace tollgate::gateway {

// A JSON answer the gateway writes itself (not an upstream's): the answer's own fields (Allow on a 405, Retry-After,
// Cache-Control, CORS, …) plus Content-Type and X-Request-ID.
void respondJson(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                 const QByteArray &requestId, http::HttpHeaders headers = {});
// Allow on a 405: the methods the path answers (RFC 9110 15.5.6); none when empty.
http::HttpHeaders allowing(const QByteArray &methods);

} // namespace tollgate::gateway
