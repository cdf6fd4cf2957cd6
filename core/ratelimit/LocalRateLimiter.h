#pragma once

#include "core/ratelimit/RateLimiter.h"

#include <memory>

namespace tollgate {

// In process, exact: the sliding log of SlidingWindowLimiter, several limits checked and recorded under their
// shards' locks at once (SlidingWindowLimiter::hitAll). Answers synchronously, through the callback.
class LocalRateLimiter final : public RateLimiter
{
public:
    explicit LocalRateLimiter(std::shared_ptr<SlidingWindowLimiter> log);
    void decide(const RateQuery &query, Callback done) override;
    void reset(const QByteArray &subject) override;
    // The synchronous form, for callers that can use it (and the Redis limiter's fallback).
    RateVerdict decideNow(const RateQuery &query, RateBackend backend = RateBackend::Local);
    SlidingWindowLimiter &log() { return *m_log; }

private:
    std::shared_ptr<SlidingWindowLimiter> m_log;
};

} // namespace tollgate
