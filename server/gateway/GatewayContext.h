#pragma once

#include "server/gateway/Route.h"
#include "server/ops/AccessLog.h"
#include "server/ops/MetricsRegistry.h"

#include <QHash>
#include <QList>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <memory>

namespace tollgate {
class GatewayCore;
}

namespace tollgate::api {
class Authenticator;
}

namespace tollgate::gateway {

class UpstreamHealth;

// What every event-loop thread of the gateway shares: the core, routes, metrics, logs. Read-only after
// start-up except for thread-safe parts (core services, metric families, atomics).
struct GatewayContext
{
    GatewayCore *core = nullptr;
    RouteTable routes;
    QHash<QString, QList<QUrl>> upstreams;  // "search" → instances
    ops::MetricsRegistry metrics;
    ops::CounterFamily *requests = nullptr;          // route, method, status, tier
    ops::HistogramFamily *requestDuration = nullptr; // route
    ops::HistogramFamily *upstreamDuration = nullptr;// upstream
    ops::CounterFamily *creditsCharged = nullptr;    // tier
    ops::CounterFamily *rateLimited = nullptr;       // tier
    ops::CounterFamily *authFailures = nullptr;      // reason
    std::unique_ptr<ops::AccessLog> accessLog;
    UpstreamHealth *upstreamHealth = nullptr;
    api::Authenticator *authenticator = nullptr;
    QStringList corsOrigins;
    std::atomic<int> upstreamInFlight{0};
    std::atomic<quint64> requestsServed{0};  // every answered request, for the live rate
    std::atomic<double> requestRate{0};      // requests per second over the last 10 s
    qint64 startedAtMs = 0;
    int authFailureLimit = 20;
    qint64 authFailureWindowMs = 60000;
    int maxKeysPerUser = 100;
    int upstreamConnectTimeoutMs = 2000;
    // Idle connections a thread keeps per upstream instance. Fewer than the calls in flight means
    // a new TCP connection for many calls (nginx's `keepalive`).
    int upstreamKeepalive = 512;

    // Registers the contract's metric families.
    void registerMetrics();
};

} // namespace tollgate::gateway
