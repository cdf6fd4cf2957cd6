#include "server/gateway/GatewayContext.h"

namespace tollgate::gateway {

void GatewayContext::registerMetrics()
{
    using namespace ops::metric;
    requests = &metrics.counter(ops::metric::requests);
    requestDuration = &metrics.histogram(ops::metric::requestDuration, ops::MetricsRegistry::latencyBuckets());
    requestBytes = &metrics.counter(ops::metric::requestBytes);
    responseBytes = &metrics.counter(ops::metric::responseBytes);
    upstreamDuration = &metrics.histogram(ops::metric::upstreamDuration, ops::MetricsRegistry::latencyBuckets());
    creditsCharged = &metrics.counter(ops::metric::creditsCharged);
    rateLimited = &metrics.counter(ops::metric::rateLimited);
    rateDecisions = &metrics.counter(ops::metric::rateDecisions);
    overAdmitted = &metrics.counter(ops::metric::overAdmitted);
    authFailures = &metrics.counter(ops::metric::authFailures);
    billingEvents = &metrics.counter(ops::metric::billingEvents);
}

} // namespace tollgate::gateway
