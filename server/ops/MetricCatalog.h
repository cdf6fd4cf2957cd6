#pragma once

#include <QByteArrayList>

#include <span>

namespace tollgate::ops {

// Every metric family the daemon exports, declared here and nowhere else: its name, help, type and
// label names. The registry only takes a family from this catalogue, so adding a metric is one row
// here plus the code that updates or reads it; /metrics, promtool and the alert-rule check all see
// the same names. Grouped as the README's metrics table.
struct MetricFamily
{
    enum class Type { Counter, Gauge, Histogram };
    const char *name;
    const char *help;
    Type type;
    const char *labels = "";  // comma-separated label names, in the order the code passes values

    QByteArrayList labelNames() const;
};

namespace metric {

using T = MetricFamily::Type;

// Requests and their answers.
inline constexpr MetricFamily requests{"tollgate_requests_total", "Requests answered, by route, method, status and tier.",
                                       T::Counter, "route,method,status,tier"};
inline constexpr MetricFamily requestDuration{"tollgate_request_duration_seconds",
                                              "Time from request head to last response byte.", T::Histogram, "route"};
inline constexpr MetricFamily requestBytes{"tollgate_request_bytes_total",
                                           "Request body bytes received from clients, by route.", T::Counter, "route"};
inline constexpr MetricFamily responseBytes{"tollgate_response_bytes_total",
                                            "Response body bytes sent to clients, by route.", T::Counter, "route"};
inline constexpr MetricFamily openConnections{"tollgate_open_connections", "Client connections open now.", T::Gauge};
inline constexpr MetricFamily inflightRequests{"tollgate_inflight_requests", "Requests being handled now.", T::Gauge};

// Credits, limits and authentication.
inline constexpr MetricFamily creditsCharged{"tollgate_credits_charged_total", "Credits charged for successful calls.",
                                             T::Counter, "tier"};
inline constexpr MetricFamily rateLimited{"tollgate_rate_limited_total", "Requests refused by a rate limit.", T::Counter, "tier"};
inline constexpr MetricFamily rateDecisions{
    "tollgate_ratelimit_decisions_total",
    "Rate-limit decisions by backend (local, redis, fallback: Redis unreachable) and result.", T::Counter, "backend,result"};
inline constexpr MetricFamily overAdmitted{
    "tollgate_ratelimit_overadmitted_total",
    "Admitted calls found after the fact to lie beyond a limit (see README: how it is measured).", T::Counter, "backend"};
inline constexpr MetricFamily authFailures{"tollgate_auth_failures_total", "Failed authentications by reason.", T::Counter,
                                           "reason"};
inline constexpr MetricFamily billingEvents{
    "tollgate_billing_webhook_events_total",
    "Billing webhook deliveries by result (applied, replay, superseded, ignored, rejected, failed) and reason.", T::Counter,
    "result,reason"};
inline constexpr MetricFamily keysCreditsLow{"tollgate_keys_credits_low",
                                             "Loaded keys that have used 80 % or more of this month's credits.", T::Gauge};

// Events out (webhooks and the Redis stream).
inline constexpr MetricFamily eventDeliveries{
    "tollgate_event_deliveries_total",
    "Attempts to deliver an outbox event, by sink (webhook, stream) and result (ok, failed).", T::Counter, "sink,result"};
inline constexpr MetricFamily eventOutboxPending{"tollgate_event_outbox_pending",
                                                 "Events in the outbox not yet delivered to every configured sink.", T::Gauge};

// Upstreams.
inline constexpr MetricFamily upstreamDuration{"tollgate_upstream_duration_seconds",
                                               "Time an upstream took to answer completely.", T::Histogram, "upstream"};
inline constexpr MetricFamily upstreamUp{"tollgate_upstream_up",
                                         "1 when the upstream (or, with instance, the instance) is up.", T::Gauge,
                                         "upstream,instance"};
inline constexpr MetricFamily upstreamBreakerState{
    "tollgate_upstream_breaker_state", "Circuit breaker of an upstream instance: 0 closed, 1 open, 2 half-open.", T::Gauge,
    "upstream,instance"};
inline constexpr MetricFamily upstreamInstanceInflight{"tollgate_upstream_instance_inflight",
                                                       "Calls in flight to an upstream instance, over all threads.",
                                                       T::Gauge, "upstream,instance"};
inline constexpr MetricFamily upstreamInflight{"tollgate_upstream_inflight", "Upstream calls in flight now.", T::Gauge};

// Storage, Redis and usage write-behind.
inline constexpr MetricFamily databaseUp{"tollgate_database_up", "1 while the database answers.", T::Gauge};
inline constexpr MetricFamily redisUp{"tollgate_redis_up",
                                      "1 while Redis answers (RATE_LIMIT_BACKEND=redis); absent with the local backend.",
                                      T::Gauge};
inline constexpr MetricFamily redisLiveInstances{"tollgate_redis_live_instances",
                                                 "Gateway instances heard from through Redis heartbeats (last known).",
                                                 T::Gauge};
inline constexpr MetricFamily usageFlushLag{"tollgate_usage_flush_lag_seconds",
                                            "Seconds since usage was last written to the database.", T::Gauge};
inline constexpr MetricFamily usagePendingRows{"tollgate_usage_pending_rows", "Usage rows waiting to be written.", T::Gauge};
inline constexpr MetricFamily usageWriteFailures{"tollgate_usage_write_failures_total", "Failed usage writes since start.",
                                                 T::Counter};

// The process (the names Prometheus' client libraries use), and the build.
inline constexpr MetricFamily tollgateResidentMemory{"tollgate_process_resident_memory_bytes",
                                                     "Resident memory of the gateway process.", T::Gauge};
inline constexpr MetricFamily processCpu{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                                         T::Counter};
inline constexpr MetricFamily processResidentMemory{"process_resident_memory_bytes", "Resident memory size in bytes.",
                                                    T::Gauge};
inline constexpr MetricFamily processVirtualMemory{"process_virtual_memory_bytes", "Virtual memory size in bytes.", T::Gauge};
inline constexpr MetricFamily processOpenFds{"process_open_fds", "Number of open file descriptors.", T::Gauge};
inline constexpr MetricFamily processMaxFds{"process_max_fds", "Maximum number of open file descriptors.", T::Gauge};
inline constexpr MetricFamily processStartTime{"process_start_time_seconds",
                                               "Start time of the process since unix epoch in seconds.", T::Gauge};
inline constexpr MetricFamily buildInfo{"tollgate_build_info", "Always 1; the labels say which build answers.", T::Gauge,
                                        "version,qt"};

inline constexpr const MetricFamily *all[] = {
    &requests, &requestDuration, &requestBytes, &responseBytes, &openConnections, &inflightRequests,
    &creditsCharged, &rateLimited, &rateDecisions, &overAdmitted, &authFailures, &billingEvents, &keysCreditsLow, &eventDeliveries, &eventOutboxPending,
    &upstreamDuration, &upstreamUp, &upstreamBreakerState, &upstreamInstanceInflight, &upstreamInflight,
    &databaseUp, &redisUp, &redisLiveInstances, &usageFlushLag, &usagePendingRows, &usageWriteFailures,
    &tollgateResidentMemory, &processCpu, &processResidentMemory, &processVirtualMemory, &processOpenFds,
    &processMaxFds, &processStartTime, &buildInfo,
};

} // namespace metric

// The catalogue as a list, for the registry's check and the tests.
std::span<const MetricFamily *const> metricCatalog();

} // namespace tollgate::ops
