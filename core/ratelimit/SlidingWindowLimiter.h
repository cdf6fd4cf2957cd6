#pragma once

#include "core/util/Clock.h"

#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <memory>

namespace tollgate {

// Why a sliding log and not GCRA / token bucket: with burst = limit, GCRA admits a full burst at the
// end of one period and nearly another full burst right after, i.e. up to ~2x limit inside one
// rolling window. Customers are promised "at most `limit` requests in any `windowMs`", and the
// failed-auth limiter must not let a brute-forcer double its guesses at a boundary, so we keep the
// admitted timestamps themselves (at most `limit` of them per subject) and count exactly.
// Exact per instance only: several gateway instances each enforce their own log.

struct RateDecision
{
    bool allowed = false;
    int limit = 0;
    int remaining = 0;         // after this hit (allowed) or 0 when refused
    qint64 resetAtMs = 0;      // when the oldest counted hit leaves the window (now + windowMs if none)
    int retryAfterSeconds = 0; // refused: ceil((oldest + windowMs - now) / 1000), at least 1; allowed: 0
};

// Thread-safe: subjects are spread over independently locked shards, so event-loop threads only
// contend when they hit subjects in the same shard.
class SlidingWindowLimiter
{
public:
    struct Options
    {
        // Memory bound. Split evenly over the shards, so the effective bound is rounded down to a
        // multiple of the shard count (and is at least one subject per shard).
        qsizetype maxSubjects = 200000;
    };

    // Two constructors instead of `Options options = {}`: a nested struct with member initialisers
    // cannot be a default argument inside its enclosing class (GCC rejects it).
    explicit SlidingWindowLimiter(std::shared_ptr<const Clock> clock);
    SlidingWindowLimiter(std::shared_ptr<const Clock> clock, Options options);
    ~SlidingWindowLimiter();
    SlidingWindowLimiter(const SlidingWindowLimiter &) = delete;
    SlidingWindowLimiter &operator=(const SlidingWindowLimiter &) = delete;

    // Admits and records the hit when fewer than `limit` hits lie in (now - windowMs, now];
    // otherwise refuses and records nothing. limit <= 0 always refuses.
    RateDecision hit(const QByteArray &subject, int limit, qint64 windowMs);
    struct Hit
    {
        QByteArray subject;
        int limit = 0;
        qint64 windowMs = 0;
    };
    // All or nothing over several subjects: every hit is recorded when each one is admitted, none otherwise.
    // Their shards are locked together, in shard order (so two calls cannot deadlock), for the check and the
    // record, so no concurrent call sees some recorded and others not. Decisions in the order of `hits`.
    QList<RateDecision> hitAll(const QList<Hit> &hits);
    // Same answer as hit() would give, but records nothing.
    RateDecision peek(const QByteArray &subject, int limit, qint64 windowMs) const;
    // Forget a subject (e.g. key revoked).
    void reset(const QByteArray &subject);
    // Drops subjects with no hit inside their window; returns how many were dropped. hit() does the
    // same (then drops the least recently hit) when a shard is full, so memory stays bounded even
    // without the timer that calls this; the timer just returns memory sooner.
    qsizetype evictIdle();
    qsizetype subjectCount() const;

private:
    struct Shard;
    Shard &shardFor(const QByteArray &subject) const;
    void makeRoom(Shard &shard, qint64 nowMs);
    // The shard is locked. Records an admitted hit (drops what left the window first).
    void record(Shard &shard, const QByteArray &subject, int limit, qint64 windowMs, qint64 nowMs);
    // Its type (Entry) is the .cpp's own; defined there before its uses.
    auto &prunedEntry(Shard &shard, const QByteArray &subject, int limit, qint64 windowMs, qint64 nowMs);

    std::shared_ptr<const Clock> m_clock;
    qsizetype m_shardCapacity;
    std::unique_ptr<Shard[]> m_shards;
};

} // namespace tollgate
