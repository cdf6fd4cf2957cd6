#pragma once

#include <QByteArray>

#include <memory>

namespace tollgate::http {
class HttpExchange;
}

namespace tollgate::gateway {

// A JSON answer the gateway writes itself (not an upstream's): Content-Type, X-Request-ID and, on a 405, the
// methods the path answers in Allow (RFC 9110 15.5.6).
void respondJson(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                 const QByteArray &requestId, const QByteArray &allow = {});

} // namespace tollgate::gateway
