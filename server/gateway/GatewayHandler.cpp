#include "server/gateway/GatewayHandler.h"

#include "core/ratelimit/RedisRateLimiter.h"
#include "core/service/GatewayCore.h"
#include "core/util/PromiseHome.h"
#include "server/api/ManagementApi.h"
#include "server/billing/BillingWebhook.h"
#include "server/gateway/ErrorResponse.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/JsonResponse.h"
#include "server/gateway/OpsEndpoints.h"
#include "server/gateway/TraceContext.h"
#include "server/gateway/UpstreamReport.h"
#include "server/gateway/V1Call.h"
#include "server/http/HttpExchange.h"
#include "server/proxy/UpstreamPool.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

namespace tollgate::gateway {

namespace {


bool isMultipart(const http::HttpRequest &head)
{
    return head.headers.value("content-type").trimmed().toLower().startsWith("multipart/");
}

} // namespace

GatewayHandler::GatewayHandler(GatewayContext &context)
    : m_context(context), m_threadContext(std::make_unique<QObject>()),
      m_api(std::make_unique<api::ManagementApi>(context, m_threadContext.get())),
      m_ops(context.opsOnOwnPort ? nullptr : std::make_unique<OpsEndpoints>(context)),
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
    if (const Route *route = routes()->find(head.method, head.path, &pathKnown)) {
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

const std::shared_ptr<const RouteTable> &GatewayHandler::routes()
{
    const quint64 generation = m_context.routesGeneration.load(std::memory_order_acquire);
    if (!m_routes || generation != m_routesGeneration) {
        m_routes = m_context.routeTable();
        m_routesGeneration = generation;
        // The caches are keyed by the old table's routes.
        m_requestCells.clear();
        m_routeMetrics.clear();
    }
    return m_routes;
}

bool GatewayHandler::inCurrentTable(const Route &route) const
{
    if (!m_routes)
        return false;
    const QList<Route> &current = m_routes->routes();
    return &route >= current.constData() && &route < current.constData() + current.size();
}

ops::CounterFamily::Cell &GatewayHandler::requestsCell(const Route &route, const QByteArray &method,
                                                          const QByteArray &status, const QByteArray &tier)
{
    // A call that began before a [routes] reload: its route is not cached (its address may be reused).
    if (!inCurrentTable(route))
        return m_context.requests->cell({route.path, method, status, tier});
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
    auto cellsOf = [this](const Route &route) {
        RouteMetrics cells;
        cells.duration = &m_context.requestDuration->series({route.path});
        cells.upstreamDuration = &m_context.upstreamDuration->series({route.upstream.toLatin1()});
        cells.requestBytes = &m_context.requestBytes->cell({route.path});
        cells.responseBytes = &m_context.responseBytes->cell({route.path});
        return cells;
    };
    if (!inCurrentTable(route)) {
        m_uncachedMetrics = cellsOf(route);
        return m_uncachedMetrics;
    }
    auto it = m_routeMetrics.find(&route);
    if (it == m_routeMetrics.end())
        it = m_routeMetrics.insert(&route, cellsOf(route));
    return it.value();
}

void GatewayHandler::handle(const std::shared_ptr<http::HttpExchange> &exchange)
{
    const http::HttpRequest &request = exchange->request();
    const QByteArray requestId = requestIdFrom(request.headers.value("x-request-id"));
    if (request.path.startsWith("/v1/")) {
        bool pathKnown = false;
        const std::shared_ptr<const RouteTable> &table = routes();
        if (const Route *route = table->find(request.method, request.path, &pathKnown)) {
            std::make_shared<V1Call>(m_context, *this, exchange, table, *route, requestId)->start();
            return;
        }
        QElapsedTimer timer;
        timer.start();
        const ErrorCode code = pathKnown ? ErrorCode::MethodNotAllowed : ErrorCode::NotFound;
        m_context.counters.answered(statusOf(code));
        respondJson(exchange, statusOf(code),
                    errorEnvelope(code, pathKnown ? QStringLiteral("Method not allowed on this route.")
                                                  : QStringLiteral("No such route."), requestId),
                    requestId, allowing(pathKnown ? table->allowedMethods(request.path) : QByteArray()));
        logOther(exchange, statusOf(code), requestId, QByteArrayLiteral("unmatched"), timer.nsecsElapsed() / 1e6);
        return;
    }
    ++m_context.requestsServed;
    if (m_api->handle(exchange, requestId))
        return;
    if (m_billing->handle(exchange, requestId))
        return;
    // With OPS_PORT set, health and metrics are not on this port at all: 404 like any unknown path.
    if (m_ops && m_ops->handle(exchange))
        return;
    respondJson(exchange, 404, errorEnvelope(ErrorCode::NotFound, QStringLiteral("No such route."), requestId), requestId);
}

void GatewayHandler::logOther(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &requestId,
                              const QByteArray &route, double latencyMs)
{
    const http::HttpRequest &request = exchange->request();
    m_context.requests->inc({route, request.method, QByteArray::number(status), QByteArrayLiteral("none")});
    if (m_context.accessLog) {
        // No upstream call, but the line still names the trace the request belongs to.
        const TraceContext trace = TraceContext::forRequest(request.headers);
        m_context.accessLog->write({requestId, {}, request.method, request.path, status, latencyMs, 0, request.body.size(), 0,
                                    request.peerText, {}, trace.traceId(), trace.spanId()});
    }
}

} // namespace tollgate::gateway
