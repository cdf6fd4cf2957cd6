#pragma once

#include "core/ratelimit/RateLimiter.h"
#include "server/http/HttpHandler.h"
#include "server/ops/MetricsRegistry.h"

#include <QHash>
#include <QObject>

#include <map>
#include <unordered_map>
#include <memory>

namespace tollgate::proxy {
class UpstreamPool;
}
namespace tollgate::api {
class ManagementApi;
}
namespace tollgate::billing {
class BillingWebhook;
}

namespace tollgate::gateway {

struct Route;
class RouteTable;

struct GatewayContext;
class OpsEndpoints;
class V1Call;

// The gateway's handler in one event-loop thread: /v1 through the pipeline (V1Call), the management API, and
// health and metrics unless OPS_PORT serves those.
// Owns this thread's upstream connection pools.
class GatewayHandler : public http::HttpHandler
{
public:
    explicit GatewayHandler(GatewayContext &context);
    ~GatewayHandler() override;

    http::BodyPolicy bodyPolicy(const http::HttpRequest &head) override;
    void handle(const std::shared_ptr<http::HttpExchange> &exchange) override;
    QByteArray errorBody(int status, QByteArrayView code, const QString &message) override;

    proxy::UpstreamPool &pool(const QString &upstream);
    // Calls waiting on something asynchronous (a key lookup, an upstream) are kept alive here; their
    // callbacks only hold weak references, so a call that ended is gone at once.
    void holdUntilDone(std::shared_ptr<V1Call> call) { m_live.emplace(call.get(), std::move(call)); }
    void release(V1Call *call) { m_live.erase(call); }
    // A tier slug as a metric label, made once per thread rather than per request.
    const QByteArray &label(const QString &slug);

    // Metric cells for one kind of answer and for one route, looked up once per thread and then
    // updated without a lock, a label list or hashing labels.
    ops::CounterFamily::Cell &requestsCell(const Route &route, const QByteArray &method, const QByteArray &status,
                                               const QByteArray &tier);
    struct RouteMetrics
    {
        ops::HistogramFamily::Series *duration = nullptr;
        ops::HistogramFamily::Series *upstreamDuration = nullptr;
        ops::CounterFamily::Cell *requestBytes = nullptr;   // body bytes in, by route
        ops::CounterFamily::Cell *responseBytes = nullptr;  // body bytes out, by route
    };
    const RouteMetrics &routeMetrics(const Route &route);
    // The route table this thread serves from: the newest one, picked up after a [routes] reload.
    const std::shared_ptr<const RouteTable> &routes();
    // Made on the first charge, so that a tier never charged has no series.
    ops::CounterFamily::Cell &creditsCharged(const QByteArray &tier);
    // A rate decision, in tollgate_ratelimit_decisions_total (and _overadmitted_total when it was one too many).
    void countRateDecision(const RateVerdict &verdict);
    // Lives in this thread: results computed elsewhere (key lookups) are queued back through it.
    QObject *threadContext() { return m_threadContext.get(); }

private:
    void logOther(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &requestId,
                  const QByteArray &route, double latencyMs);

    GatewayContext &m_context;
    std::unique_ptr<QObject> m_threadContext;
    std::unique_ptr<api::ManagementApi> m_api;
    std::unique_ptr<OpsEndpoints> m_ops;  // null when OPS_PORT serves them
    std::unique_ptr<billing::BillingWebhook> m_billing;
    std::map<QString, std::unique_ptr<proxy::UpstreamPool>> m_pools;
    std::unordered_map<V1Call *, std::shared_ptr<V1Call>> m_live;
    QHash<QString, QByteArray> m_labels;
    struct AnswerKey
    {
        const Route *route;
        QByteArray method, status, tier;
        bool operator==(const AnswerKey &other) const
        {
            return route == other.route && method == other.method && status == other.status && tier == other.tier;
        }
        friend size_t qHash(const AnswerKey &key, size_t seed)
        {
            return qHashMulti(seed, key.route, key.method, key.status, key.tier);
        }
    };
    QHash<AnswerKey, ops::CounterFamily::Cell *> m_requestCells;
    QHash<const Route *, RouteMetrics> m_routeMetrics;
    RouteMetrics m_uncachedMetrics;
    std::shared_ptr<const RouteTable> m_routes;
    quint64 m_routesGeneration = 0;
    bool inCurrentTable(const Route &route) const;
    QHash<QByteArray, ops::CounterFamily::Cell *> m_creditCells;
    ops::CounterFamily::Cell *m_decisionCells[3][3] = {};  // backend × admitted/refused/unavailable
    ops::CounterFamily::Cell *m_overAdmittedCells[3] = {};
    QString m_lastPoolName;
    proxy::UpstreamPool *m_lastPool = nullptr;
};

} // namespace tollgate::gateway
