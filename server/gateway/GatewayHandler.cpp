#include "server/gateway/GatewayHandler.h"

#include "core/ratelimit/RedisRateLimiter.h"
#include "core/service/GatewayCore.h"
#include "core/util/PromiseHome.h"
#include "server/api/ManagementApi.h"
#include "server/billing/BillingWebhook.h"
#include "server/gateway/ErrorResponse.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/UpstreamReport.h"
#include "server/gateway/V1Call.h"
#include "server/http/HttpExchange.h"
#include "server/proxy/UpstreamPool.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

namespace tollgate::gateway {

namespace {

const QByteArray JsonType = QByteArrayLiteral("application/json");

bool isMultipart(const http::HttpRequest &head)
{
    return head.headers.value("content-type").trimmed().toLower().startsWith("multipart/");
}

} // namespace

GatewayHandler::GatewayHandler(GatewayContext &context)
    : m_context(context), m_threadContext(std::make_unique<QObject>()),
      m_api(std::make_unique<api::ManagementApi>(context, m_threadContext.get())),
      m_billing(std::make_unique<billing::BillingWebhook>(context, m_threadContext.get()))
{
    // Made in its event-loop thread, which never blocks: storage results come back as events.
    PromiseHome::setDeliversHere(true);
    // The Redis limiter's connection for this thread, open before the first call needs it.
    if (context.core)
        context.core->rateLimiter().prepareThread();
}

void GatewayHandler::countRateDecision(const RateVerdict &verdict)
{
    static const QByteArray backends[3] = {QByteArrayLiteral("local"), QByteArrayLiteral("redis"), QByteArrayLiteral("fallback")};
    static const QByteArray results[3] = {QByteArrayLiteral("admitted"), QByteArrayLiteral("refused"), QByteArrayLiteral("unavailable")};
    const int backend = int(verdict.backend);
    const int result = verdict.unavailable ? 2 : verdict.allowed ? 0 : 1;
    ops::CounterFamily::Cell *&cell = m_decisionCells[backend][result];
    if (!cell)
        cell = &m_context.rateDecisions->cell({backends[backend], results[result]});
    cell->add(1);
    m_context.counters.rateDecisions.add();
    if (verdict.overAdmitted > 0) {
        m_context.counters.overAdmitted.add(quint64(verdict.overAdmitted));
        ops::CounterFamily::Cell *&over = m_overAdmittedCells[backend];
        if (!over)
            over = &m_context.overAdmitted->cell({backends[backend]});
        over->add(double(verdict.overAdmitted));
    }
}

GatewayHandler::~GatewayHandler() = default;

http::BodyPolicy GatewayHandler::bodyPolicy(const http::HttpRequest &head)
{
    // Every request is judged on its head (judgeHead): whoever reads a body asks for it once the
    // credentials allow it, and everything else (an unknown route, health, metrics) never reads one.
    bool pathKnown = false;
    if (const Route *route = m_context.routes.find(head.method, head.path, &pathKnown)) {
        // STT takes multipart uploads up to 100 MB, streamed through; any other body is held, up to 1 MB.
        if (route->streamBody && isMultipart(head))
            return {route->bodyLimit, true, true};
        return {qMin<qint64>(route->bodyLimit > 0 ? route->bodyLimit : 1 << 20, 1 << 20), false, true};
    }
    if (head.path == billing::BillingWebhook::Path)
        return {billing::BillingWebhook::BodyLimit, false, true};
    return {1 << 20, false, true};
}

QByteArray GatewayHandler::errorBody(int status, QByteArrayView code, const QString &message)
{
    Q_UNUSED(status);
    return errorEnvelope(code, message, newRequestId());
}

proxy::UpstreamPool &GatewayHandler::pool(const QString &upstream)
{
    // Routes share their upstream names' data with the last lookup more often than not.
    if (m_lastPool && m_lastPoolName.constData() == upstream.constData())
        return *m_lastPool;
    auto &slot = m_pools[upstream];
    if (!slot) {
        proxy::UpstreamPool::Options options;
        options.maxIdlePerInstance = m_context.upstreamKeepalive;
        slot = std::make_unique<proxy::UpstreamPool>(upstream, m_context.upstreams.value(upstream), options,
                                                     m_context.upstreamStates.value(upstream));
    }
    m_lastPoolName = upstream;
    m_lastPool = slot.get();
    return *slot;
}

const QByteArray &GatewayHandler::label(const QString &slug)
{
    auto it = m_labels.find(slug);
    if (it == m_labels.end())
        it = m_labels.insert(slug, slug.toLatin1());
    return it.value();
}

ops::CounterFamily::Cell &GatewayHandler::requestsCell(const Route &route, const QByteArray &method,
                                                          const QByteArray &status, const QByteArray &tier)
{
    const AnswerKey key{&route, method, status, tier};
    auto it = m_requestCells.find(key);
    if (it == m_requestCells.end())
        it = m_requestCells.insert(key, &m_context.requests->cell({route.path, method, status, tier}));
    return *it.value();
}

ops::CounterFamily::Cell &GatewayHandler::creditsCharged(const QByteArray &tier)
{
    auto it = m_creditCells.find(tier);
    if (it == m_creditCells.end())
        it = m_creditCells.insert(tier, &m_context.creditsCharged->cell({tier}));
    return *it.value();
}

const GatewayHandler::RouteMetrics &GatewayHandler::routeMetrics(const Route &route)
{
    auto it = m_routeMetrics.find(&route);
    if (it == m_routeMetrics.end()) {
        RouteMetrics cells;
        cells.duration = &m_context.requestDuration->series({route.path});
        cells.upstreamDuration = &m_context.upstreamDuration->series({route.upstream.toLatin1()});
        it = m_routeMetrics.insert(&route, cells);
    }
    return it.value();
}

void GatewayHandler::handle(const std::shared_ptr<http::HttpExchange> &exchange)
{
    const http::HttpRequest &request = exchange->request();
    const QByteArray requestId = requestIdFrom(request.headers.value("x-request-id"));
    if (request.path.startsWith("/v1/")) {
        bool pathKnown = false;
        if (const Route *route = m_context.routes.find(request.method, request.path, &pathKnown)) {
            std::make_shared<V1Call>(m_context, *this, exchange, *route, requestId)->start();
            return;
        }
        QElapsedTimer timer;
        timer.start();
        const ErrorCode code = pathKnown ? ErrorCode::MethodNotAllowed : ErrorCode::NotFound;
        m_context.counters.answered(statusOf(code));
        respondJson(exchange, statusOf(code),
                    errorEnvelope(code, pathKnown ? QStringLiteral("Method not allowed on this route.")
                                                  : QStringLiteral("No such route."), requestId),
                    requestId);
        logOther(exchange, statusOf(code), requestId, QByteArrayLiteral("unmatched"), timer.nsecsElapsed() / 1e6);
        return;
    }
    ++m_context.requestsServed;
    if (m_api->handle(exchange, requestId))
        return;
    if (m_billing->handle(exchange, requestId))
        return;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (get && request.path == "/health")
        return serveHealth(exchange);
    if (get && request.path == "/health/live")
        return respondJson(exchange, 200, QByteArrayLiteral("{\"status\":\"ok\"}"), requestId);
    if (get && request.path == "/health/ready")
        return serveReady(exchange);
    if (get && request.path == "/metrics")
        return serveMetrics(exchange);
    const bool known = request.path == "/health" || request.path == "/health/live" || request.path == "/health/ready"
        || request.path == "/metrics";
    const ErrorCode code = known ? ErrorCode::MethodNotAllowed : ErrorCode::NotFound;
    respondJson(exchange, statusOf(code), errorEnvelope(code, known ? QStringLiteral("Method not allowed on this route.")
                                                                   : QStringLiteral("No such route."), requestId),
                requestId);
}

void GatewayHandler::respondJson(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                                 const QByteArray &requestId)
{
    http::HttpHeaders headers;
    headers.add("Content-Type", JsonType);
    headers.add("X-Request-ID", requestId);
    exchange->respond(status, headers, body);
}

void GatewayHandler::logOther(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &requestId,
                              const QByteArray &route, double latencyMs)
{
    const http::HttpRequest &request = exchange->request();
    m_context.requests->inc({route, request.method, QByteArray::number(status), QByteArrayLiteral("none")});
    if (m_context.accessLog) {
        m_context.accessLog->write({requestId, {}, request.method, request.path, status, latencyMs, 0, request.body.size(), 0,
                                    request.peerText, {}});
    }
}

void GatewayHandler::serveHealth(const std::shared_ptr<http::HttpExchange> &exchange)
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

void GatewayHandler::serveReady(const std::shared_ptr<http::HttpExchange> &exchange)
{
    const bool ready = m_context.core->isReady() && m_context.core->storage().isAvailable();
    respondJson(exchange, ready ? 200 : 503,
                ready ? QByteArrayLiteral("{\"status\":\"ready\"}") : QByteArrayLiteral("{\"status\":\"unavailable\",\"database\":\"down\"}"),
                requestIdFrom({}));
}

void GatewayHandler::serveMetrics(const std::shared_ptr<http::HttpExchange> &exchange)
{
    http::HttpHeaders headers;
    headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange->respond(200, headers, m_context.metrics.render());
}

} // namespace tollgate::gateway
