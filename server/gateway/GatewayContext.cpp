#include "server/gateway/GatewayContext.h"

namespace tollgate::gateway {

void GatewayContext::registerMetrics()
{
    requests = &metrics.counter("tollgate_requests_total", "Requests answered, by route, method, status and tier.",
                                {"route", "method", "status", "tier"});
    requestDuration = &metrics.histogram("tollgate_request_duration_seconds", "Time from request head to last response byte.",
                                         {"route"}, ops::MetricsRegistry::latencyBuckets());
    upstreamDuration = &metrics.histogram("tollgate_upstream_duration_seconds", "Time an upstream took to answer completely.",
                                          {"upstream"}, ops::MetricsRegistry::latencyBuckets());
    creditsCharged = &metrics.counter("tollgate_credits_charged_total", "Credits charged for successful calls.", {"tier"});
    rateLimited = &metrics.counter("tollgate_rate_limited_total", "Requests refused by a rate limit.", {"tier"});
    rateDecisions = &metrics.counter("tollgate_ratelimit_decisions_total",
                                     "Rate-limit decisions by backend (local, redis, fallback: Redis unreachable) and result.",
                                     {"backend", "result"});
    overAdmitted = &metrics.counter("tollgate_ratelimit_overadmitted_total",
                                    "Admitted calls found after the fact to lie beyond a limit (see README: how it is measured).",
                                    {"backend"});
    billingEvents = &metrics.counter("tollgate_billing_webhook_events_total",
                                     "Billing webhook deliveries by result (applied, replay, superseded, ignored, rejected, failed) and reason.",
                                     {"result", "reason"});
    authFailures = &metrics.counter("tollgate_auth_failures_total", "Failed authentications by reason.", {"reason"});
}

} // namespace tollgate::gateway
