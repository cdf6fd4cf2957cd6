#include "core/ratelimit/RateLimiter.h"

#include <algorithm>

namespace tollgate {

const RateDecision *RateVerdict::tightest() const
{
    const RateDecision *best = nullptr;
    for (const RateDecision &d : limits) {
        // A refusing limit first (it is why the call was refused), then the fewest remaining.
        if (!best || (best->allowed && !d.allowed) || (best->allowed == d.allowed && d.remaining < best->remaining))
            best = &d;
    }
    return best;
}

RateVerdict verdictOf(const QList<RateDecision> &decisions, RateBackend backend)
{
    RateVerdict verdict;
    verdict.backend = backend;
    verdict.limits = decisions;
    verdict.allowed = std::all_of(decisions.begin(), decisions.end(), [](const RateDecision &d) { return d.allowed; });
    for (const RateDecision &d : decisions) {
        if (!d.allowed)
            verdict.retryAfterSeconds = std::max(verdict.retryAfterSeconds, d.retryAfterSeconds);
    }
    return verdict;
}

} // namespace tollgate
