#pragma once

#include <QByteArray>

#include <memory>

namespace tollgate::http {
class HttpExchange;
}

namespace tollgate::gateway {

struct GatewayContext;

// What operators and orchestrators read: /health (version, database, Redis, every upstream instance),
// /health/live, /health/ready and /metrics. On the public port unless OPS_PORT gives them a port of
// their own (OpsHandler), since the version and upstream latencies are not for the internet.
class OpsEndpoints
{
public:
    explicit OpsEndpoints(GatewayContext &context) : m_context(context) {}

    static bool isOpsPath(const QByteArray &path);
    // Answers an ops path (a method other than GET or HEAD is 405 with Allow); false for any other path.
    bool handle(const std::shared_ptr<http::HttpExchange> &exchange);

private:
    void serveHealth(const std::shared_ptr<http::HttpExchange> &exchange);
    void serveReady(const std::shared_ptr<http::HttpExchange> &exchange);
    void serveMetrics(const std::shared_ptr<http::HttpExchange> &exchange);

    GatewayContext &m_context;
};

} // namespace tollgate::gateway
