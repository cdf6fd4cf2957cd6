#pragma once

#include "core/billing/PlanTierMap.h"
#include "server/gateway/Route.h"
#include "server/ops/AccessLog.h"
#include "server/ops/MetricsRegistry.h"
#include "server/proxy/UpstreamInstanceStates.h"

#include <QHash>
#include <QMutex>
#include <QList>
#include <QStringList>
#include <QUrl>

#include <array>
#include <atomic>
#include <functional>
#include <memory>

namespace tollgate {
class BillingService;
class GatewayCore;
}

namespace tollgate::api {
class Authenticator;
}

namespace tollgate::gateway {

// Monotonic, process-wide counts since start for GET /admin/status, from which a client derives rates: every
// answered /v1 and management request (the HTTP front's own refusals before routing, health, metrics and client-closed
// calls are not). Relaxed atomics, each on its own cache line; a reader sums the classes for the total.
struct LiveCounters
{
    struct alignas(64) Cell
    {
        std::atomic<quint64> value{0};
        void add(quint64 n = 1) { value.fetch_add(n, std::memory_order_relaxed); }
        quint64 load() const { return value.load(std::memory_order_relaxed); }
    };
    std::array<Cell, 6> byClass;  // [2] = 2xx … [5] = 5xx
    Cell creditsCharged;
    Cell rateLimited;             // 429s of a rate limit: a key's, or the per-address limit of failed authentications
    Cell rateDecisions;           // rate-limit decisions of /v1 calls, any backend
    Cell overAdmitted;            // admitted calls found beyond a limit after the fact (tollgate_ratelimit_overadmitted_total)

    void answered(int status)
    {
        const int statusClass = status / 100;
        byClass[size_t(statusClass >= 1 && statusClass <= 5 ? statusClass : 5)].add();
    }
};

// What every event-loop thread of the gateway shares: the core, routes, metrics, logs. Read-only after
// start-up except for thread-safe parts (core services, metric families, atomics).
struct GatewayContext
{
    GatewayCore *core = nullptr;
    // [routes]: replaced whole on SIGHUP (Gateway::reload). Each event-loop thread picks the new table up at
    // its next request (GatewayHandler::routes()); a call in flight keeps the table it started with.
    std::shared_ptr<const RouteTable> routeTable() const
    {
        QMutexLocker locker(&routesMutex);
        return currentRoutes;
    }
    void setRouteTable(RouteTable table)
    {
        QMutexLocker locker(&routesMutex);
        currentRoutes = std::make_shared<const RouteTable>(std::move(table));
        routesGeneration.fetch_add(1, std::memory_order_release);
    }
    std::atomic<quint64> routesGeneration{0};
    QHash<QString, QList<QUrl>> upstreams;  // "search" → instances
    // Per upstream, its instances' probe verdicts, breakers and calls in flight: shared by every
    // thread's pool and the health probes (atomics; see UpstreamInstanceStates).
    QHash<QString, std::shared_ptr<proxy::UpstreamInstanceStates>> upstreamStates;
    ops::MetricsRegistry metrics;
    ops::CounterFamily *requests = nullptr;          // route, method, status, tier
    ops::HistogramFamily *requestDuration = nullptr; // route
    ops::CounterFamily *requestBytes = nullptr;      // route
    ops::CounterFamily *responseBytes = nullptr;     // route
    ops::HistogramFamily *upstreamDuration = nullptr;// upstream
    ops::CounterFamily *creditsCharged = nullptr;    // tier
    ops::CounterFamily *rateLimited = nullptr;       // tier
    ops::CounterFamily *authFailures = nullptr;      // reason
    ops::CounterFamily *rateDecisions = nullptr;     // backend (local|redis|fallback), result (admitted|refused|unavailable)
    ops::CounterFamily *overAdmitted = nullptr;      // backend
    ops::CounterFamily *billingEvents = nullptr;     // result (applied|replay|superseded|ignored|rejected|failed), reason
    std::unique_ptr<ops::AccessLog> accessLog;
    api::Authenticator *authenticator = nullptr;
    // The billing webhook (POST /webhooks/billing): null while BILLING_WEBHOOK_SECRET is unset, and the route is off.
    BillingService *billing = nullptr;
    QByteArray billingSecret;
    PlanTierMap billingPlans;
    QStringList corsOrigins;
    std::atomic<int> upstreamInFlight{0};
    std::atomic<quint64> requestsServed{0};  // every answered request, for the live rate
    std::atomic<double> requestRate{0};      // requests per second over the last 10 s
    LiveCounters counters;
    mutable QMutex routesMutex;
    std::shared_ptr<const RouteTable> currentRoutes;
    std::function<int()> inFlight;           // requests being handled now (the HTTP front's count); set by Gateway
    qint64 startedAtMs = 0;
    int authFailureLimit = 20;
    qint64 authFailureWindowMs = 60000;
    int maxKeysPerUser = 100;
    bool opsOnOwnPort = false;               // OPS_PORT set: /health* and /metrics only there
    int upstreamConnectTimeoutMs = 2000;
    // Idle connections a thread keeps per upstream instance. Fewer than the calls in flight means
    // a new TCP connection for many calls (nginx's `keepalive`).
    int upstreamKeepalive = 512;

    // Registers the metric families the request path updates (the catalogue: ops/MetricCatalog.h).
    void registerMetrics();
    // A request refused by a rate limit: the metric and the live counter.
    void countRateLimited(const QByteArray &tier)
    {
        rateLimited->inc({tier});
        counters.rateLimited.add();
    }
};

} // namespace tollgate::gateway
