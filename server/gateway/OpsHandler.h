#pragma once

#include "server/gateway/OpsEndpoints.h"
#include "server/http/HttpHandler.h"

namespace tollgate::gateway {

struct GatewayContext;

// The handler of OPS_PORT's one event-loop thread: the ops endpoints and nothing else (any other path
// is 404, so the API cannot be reached around the public port's pipeline).
class OpsHandler : public http::HttpHandler
{
public:
    explicit OpsHandler(GatewayContext &context) : m_ops(context) {}

    http::BodyPolicy bodyPolicy(const http::HttpRequest &head) override;
    void handle(const std::shared_ptr<http::HttpExchange> &exchange) override;

private:
    OpsEndpoints m_ops;
};

} // namespace tollgate::gateway
