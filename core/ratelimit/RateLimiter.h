#pragma once

#include "core/ratelimit/SlidingWindowLimiter.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace tollgate {

// One limit that applies to a call: at most `limit` admitted calls of `subject` in any rolling `windowMs`.
struct RateLimit
{
    QByteArray subject;  // what is counted: "key:<id>", "key:<id>:stt"
    QByteArray policy;   // the name in RateLimit-Policy: "key", "stt"
    int limit = 0;
    qint64 windowMs = 0;
};

// Every limit that applies to one call. The decision is all-or-nothing: admitted only if every limit admits,
// and then recorded in all of them; a refused call consumes none.
struct RateQuery
{
    QList<RateLimit> limits;
};

enum class RateBackend { Local, Redis, Fallback };

struct RateVerdict
{
    bool allowed = false;
    // The shared store could not be asked and REDIS_FAILURE_MODE=refuse: 503, not 429.
    bool unavailable = false;
    RateBackend backend = RateBackend::Local;
    QList<RateDecision> limits;  // one per query limit, in the query's order
    int retryAfterSeconds = 0;   // refused: the longest wait any refusing limit asks for
    // Found after the fact: this admitted call took a window beyond its limit (Redis counted more than the limit
    // after adding it; or a local fallback share that, times the live instances, passes the whole limit).
    int overAdmitted = 0;

    // The decision the X-RateLimit-* fields describe: the limit with the fewest calls left.
    const RateDecision *tightest() const;
};

// Decides a RateQuery. The answer may come later (Redis), but always on the calling thread, exactly once, and
// within the implementation's timeout: requests are never held waiting for a store that is gone.
class RateLimiter
{
public:
    using Callback = std::function<void(const RateVerdict &)>;
    virtual ~RateLimiter() = default;
    virtual void decide(const RateQuery &query, Callback done) = 0;
    // Forget a subject's recorded calls where the implementation can (key revoked).
    virtual void reset(const QByteArray &subject) { Q_UNUSED(subject); }
    // Called once on each event-loop thread that will decide, before its first decision.
    virtual void prepareThread() {}
};

// The verdict of one all-or-nothing check over several limits, shared by every implementation.
RateVerdict verdictOf(const QList<RateDecision> &decisions, RateBackend backend);

} // namespace tollgate
