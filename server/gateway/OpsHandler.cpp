#include "server/gateway/OpsHandler.h"

#include "server/gateway/ErrorResponse.h"
#include "server/gateway/JsonResponse.h"
#include "server/http/HttpExchange.h"

namespace tollgate::gateway {

http::BodyPolicy OpsHandler::bodyPolicy(const http::HttpRequest &head)
{
    Q_UNUSED(head);
    // Nothing here reads a body: judged on the head, a sent one is never buffered (and a POST gets its 405,
    // not a 413 for a body no limit was meant for).
    return {1 << 20, false, true};
}

void OpsHandler::handle(const std::shared_ptr<http::HttpExchange> &exchange)
{
    if (m_ops.handle(exchange))
        return;
    const QByteArray requestId = newRequestId();
    respondJson(exchange, 404,
                errorEnvelope(ErrorCode::NotFound,
                              QStringLiteral("Only /health, /health/live, /health/ready and /metrics are served on the ops port."),
                              requestId),
                requestId);
}

} // namespace tollgate::gateway
