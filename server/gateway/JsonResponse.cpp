#include "server/gateway/JsonResponse.h"

#include "server/http/HttpExchange.h"

namespace tollgate::gateway {

void respondJson(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                 const QByteArray &requestId, http::HttpHeaders headers)
{
    headers.add("Content-Type", "application/json");
    headers.add("X-Request-ID", requestId);
    exchange->respond(status, headers, body);
}

http::HttpHeaders allowing(const QByteArray &methods)
{
    http::HttpHeaders headers;
    if (!methods.isEmpty())
        headers.add("Allow", methods);
    return headers;
}

} // namespace tollgate::gateway
