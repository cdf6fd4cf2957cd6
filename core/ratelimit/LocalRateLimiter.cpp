#include "core/ratelimit/LocalRateLimiter.h"

namespace tollgate {

LocalRateLimiter::LocalRateLimiter(std::shared_ptr<SlidingWindowLimiter> log) : m_log(std::move(log)) {}

RateVerdict LocalRateLimiter::decideNow(const RateQuery &query, RateBackend backend)
{
    // Most calls have one limit: no list of hits to build for them.
    if (query.limits.size() == 1) {
        const RateLimit &limit = query.limits.front();
        return verdictOf({m_log->hit(limit.subject, limit.limit, limit.windowMs)}, backend);
    }
    QList<SlidingWindowLimiter::Hit> hits;
    hits.reserve(query.limits.size());
    for (const RateLimit &limit : query.limits)
        hits.append({limit.subject, limit.limit, limit.windowMs});
    return verdictOf(m_log->hitAll(hits), backend);
}

void LocalRateLimiter::decide(const RateQuery &query, Callback done)
{
    done(decideNow(query));
}

void LocalRateLimiter::reset(const QByteArray &subject)
{
    m_log->reset(subject);
}

} // namespace tollgate
