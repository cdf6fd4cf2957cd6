#include "server/gateway/JsonResponse.h"

#include "server/http/HttpExchange.h"

namespace tollgate::gateway {

void respondJson(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                 const QByteArray &requestId, const QByteArray &allow)
{
    http::HttpHeaders headers;
    headers.add("Content-Type", "application/json");
    headers.add("X-Request-ID", requestId);
    if (!allow.isEmpty())
        headers.add("Allow", allow);
    exchange->respond(status, headers, body);
}

} // namespace tollgate::gateway
