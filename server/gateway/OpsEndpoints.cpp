#include "server/gateway/OpsEndpoints.h"

#include "core/ratelimit/RedisRateLimiter.h"
#include "core/service/GatewayCore.h"
#include "server/gateway/ErrorResponse.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/JsonResponse.h"
#include "server/gateway/UpstreamReport.h"
#include "server/http/HttpExchange.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace tollgate::gateway {

bool OpsEndpoints::isOpsPath(const QByteArray &path)
{
    return path == "/health" || path == "/health/live" || path == "/health/ready" || path == "/metrics";
}

bool OpsEndpoints::handle(const std::shared_ptr<http::HttpExchange> &exchange)
{
    const http::HttpRequest &request = exchange->request();
    if (!isOpsPath(request.path))
        return false;
    const QByteArray requestId = requestIdFrom(request.headers.value("x-request-id"));
    if (request.method != "GET" && request.method != "HEAD") {
        respondJson(exchange, 405, errorEnvelope(ErrorCode::MethodNotAllowed, QStringLiteral("Use GET or HEAD."), requestId),
                    requestId, allowing("GET, HEAD"));
        return true;
    }
    if (request.path == "/health")
        serveHealth(exchange);
    else if (request.path == "/health/live")
        respondJson(exchange, 200, QByteArrayLiteral("{\"status\":\"ok\"}"), requestId);
    else if (request.path == "/health/ready")
        serveReady(exchange);
    else
        serveMetrics(exchange);
    return true;
}

void OpsEndpoints::serveHealth(const std::shared_ptr<http::HttpExchange> &exchange)
{
    GatewayCore &core = *m_context.core;
    const bool database = core.storage().isAvailable();
    bool upstreamsUp = true;
    QJsonObject upstreams;
    for (auto it = m_context.upstreamStates.constBegin(); it != m_context.upstreamStates.constEnd(); ++it) {
        const UpstreamReport report = UpstreamReport::of(*it.value());
        upstreamsUp = upstreamsUp && report.status == QLatin1String("up");
        upstreams.insert(it.key(), report.toJson(false));
    }
    // With the Redis backend, a Redis that is down degrades the gateway (limits are local shares, or refused).
    const RedisRateLimiter *redis = core.redisLimiter();
    const bool redisUp = !redis || redis->isUp();
    const QJsonObject body{
        {QStringLiteral("status"), database && upstreamsUp && redisUp ? QStringLiteral("ok") : QStringLiteral("degraded")},
        {QStringLiteral("database"), database ? QStringLiteral("up") : QStringLiteral("down")},
        {QStringLiteral("redis"), !redis ? QStringLiteral("disabled") : redisUp ? QStringLiteral("up") : QStringLiteral("down")},
        {QStringLiteral("upstreams"), upstreams},
        {QStringLiteral("version"), QStringLiteral(TOLLGATE_VERSION)},
        {QStringLiteral("uptimeSeconds"), (QDateTime::currentMSecsSinceEpoch() - m_context.startedAtMs) / 1000},
    };
    respondJson(exchange, 200, QJsonDocument(body).toJson(QJsonDocument::Compact), requestIdFrom({}));
}

void OpsEndpoints::serveReady(const std::shared_ptr<http::HttpExchange> &exchange)
{
    const bool ready = m_context.core->isReady() && m_context.core->storage().isAvailable();
    respondJson(exchange, ready ? 200 : 503,
                ready ? QByteArrayLiteral("{\"status\":\"ready\"}") : QByteArrayLiteral("{\"status\":\"unavailable\",\"database\":\"down\"}"),
                requestIdFrom({}));
}

void OpsEndpoints::serveMetrics(const std::shared_ptr<http::HttpExchange> &exchange)
{
    http::HttpHeaders headers;
    headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange->respond(200, headers, m_context.metrics.render());
}

} // namespace tollgate::gateway
