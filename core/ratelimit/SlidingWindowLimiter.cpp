#include "core/ratelimit/SlidingWindowLimiter.h"

#include <QHash>
#include <QHashSeed>
#include <QMutex>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace tollgate {

namespace {

constexpr int kShardBits = 4;
constexpr int kShardCount = 1 << kShardBits;
constexpr qsizetype kInitialRingCapacity = 8;

// Admitted hit times of one subject, oldest first. The ring grows on demand up to the subject's
// limit, so a key allowed 100 000/hour only costs that much memory once it is used that much.
struct Entry
{
    std::vector<qint64> ring;
    qsizetype head = 0;
    qsizetype count = 0;
    qint64 windowMs = 0;   // of the latest hit, to tell when the subject has gone idle
    qint64 lastSeenMs = 0; // latest hit(), refused ones included: a subject being refused is the one to keep

    qint64 at(qsizetype i) const { return ring[size_t((head + i) % qsizetype(ring.size()))]; }
    qint64 newest() const { return at(count - 1); }

    void dropOldest(qsizetype n)
    {
        if (n <= 0)
            return;
        head = (head + n) % qsizetype(ring.size());
        count -= n;
    }

    // Keeps the newest min(count, capacity) hits.
    void relayout(qsizetype capacity)
    {
        const qsizetype kept = std::min(count, capacity);
        std::vector<qint64> fresh(static_cast<size_t>(capacity));
        for (qsizetype i = 0; i < kept; ++i)
            fresh[size_t(i)] = at(count - kept + i);
        ring = std::move(fresh);
        head = 0;
        count = kept;
    }

    // A hit at nowMs: never before the newest, so a wall clock stepping back cannot break the order
    // firstCounted() relies on.
    void pushAt(qint64 nowMs, int limit) { push(count > 0 ? std::max(nowMs, newest()) : nowMs, limit); }

    void push(qint64 timeMs, int limit)
    {
        if (count == qsizetype(ring.size()))
            relayout(std::min<qsizetype>(limit, std::max(kInitialRingCapacity, 2 * count)));
        ring[size_t((head + count) % qsizetype(ring.size()))] = timeMs;
        ++count;
    }
};

bool isIdle(const Entry &entry, qint64 nowMs)
{
    return entry.count == 0 || entry.newest() <= nowMs - entry.windowMs;
}

// Index of the oldest hit a decision counts. Hits at or before now - windowMs have left the
// half-open window; after a tier downgrade only the newest `limit` count, as hit() keeps only those.
qsizetype firstCounted(const Entry &entry, qint64 nowMs, int limit, qint64 windowMs)
{
    const qint64 cutoff = nowMs - windowMs;
    // Recorded times never decrease, so the expired hits are a prefix.
    qsizetype lo = 0;
    qsizetype hi = entry.count;
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (entry.at(mid) <= cutoff)
            lo = mid + 1;
        else
            hi = mid;
    }
    return std::max(lo, entry.count - limit);
}

int ceilSeconds(qint64 ms)
{
    const qint64 seconds = ms > 0 ? (ms + 999) / 1000 : 0;
    return int(std::clamp<qint64>(seconds, 1, std::numeric_limits<int>::max()));
}

// The single place the answer is computed, so peek() and hit() cannot disagree.
RateDecision decide(const Entry *entry, qsizetype first, qint64 nowMs, int limit, qint64 windowMs)
{
    RateDecision d;
    d.limit = std::max(limit, 0);
    if (limit <= 0) {
        d.resetAtMs = nowMs + windowMs;
        d.retryAfterSeconds = ceilSeconds(windowMs);
        return d;
    }
    const qsizetype counted = entry ? entry->count - first : 0;
    if (counted < limit) {
        d.allowed = true;
        d.remaining = int(limit - counted - 1);
        d.resetAtMs = (counted > 0 ? entry->at(first) : nowMs) + windowMs;
        return d;
    }
    d.resetAtMs = entry->at(first) + windowMs;
    d.retryAfterSeconds = ceilSeconds(d.resetAtMs - nowMs);
    return d;
}

} // namespace

struct SlidingWindowLimiter::Shard
{
    QMutex mutex;
    QHash<QByteArray, Entry> entries;
};

SlidingWindowLimiter::SlidingWindowLimiter(std::shared_ptr<const Clock> clock, Options options)
    : m_clock(clock ? std::move(clock) : Clock::system())
    , m_shardCapacity(std::max<qsizetype>(1, options.maxSubjects / kShardCount))
    , m_shards(std::make_unique<Shard[]>(kShardCount))
{
}

SlidingWindowLimiter::SlidingWindowLimiter(std::shared_ptr<const Clock> clock)
    : SlidingWindowLimiter(std::move(clock), Options{})
{
}

SlidingWindowLimiter::~SlidingWindowLimiter() = default;

SlidingWindowLimiter::Shard &SlidingWindowLimiter::shardFor(const QByteArray &subject) const
{
    // Top bits, because QHash picks buckets from the low bits: sharding on those would crowd each
    // shard's keys into a sixteenth of its buckets. A per-process seed keeps shards unpredictable.
    const size_t hash = qHash(subject, QHashSeed::globalSeed());
    return m_shards[hash >> (std::numeric_limits<size_t>::digits - kShardBits)];
}

// The subject's entry (made if new, room made if the shard is full) with what left the window dropped.
auto &SlidingWindowLimiter::prunedEntry(Shard &shard, const QByteArray &subject, int limit, qint64 windowMs, qint64 nowMs)
{
    auto it = shard.entries.find(subject);
    if (it == shard.entries.end()) {
        if (shard.entries.size() >= m_shardCapacity)
            makeRoom(shard, nowMs);
        it = shard.entries.insert(subject, Entry{});
    }
    Entry &entry = it.value();
    entry.lastSeenMs = nowMs;
    entry.windowMs = windowMs;
    entry.dropOldest(firstCounted(entry, nowMs, limit, windowMs));
    if (qsizetype(entry.ring.size()) > limit)
        entry.relayout(limit);
    return entry;
}

RateDecision SlidingWindowLimiter::hit(const QByteArray &subject, int limit, qint64 windowMs)
{
    Shard &shard = shardFor(subject);
    QMutexLocker lock(&shard.mutex);
    // Read under the lock so concurrent hits on one subject are recorded in time order.
    const qint64 nowMs = m_clock->nowMs();
    if (limit <= 0)
        return decide(nullptr, 0, nowMs, limit, windowMs);

    Entry &entry = prunedEntry(shard, subject, limit, windowMs, nowMs);
    const RateDecision decision = decide(&entry, 0, nowMs, limit, windowMs);
    if (decision.allowed)
        entry.pushAt(nowMs, limit);
    return decision;
}

QList<RateDecision> SlidingWindowLimiter::hitAll(const QList<Hit> &hits)
{
    if (hits.size() == 1)
        return {hit(hits.front().subject, hits.front().limit, hits.front().windowMs)};
    // Lock each shard involved once, lowest address first: a fixed order, so concurrent calls cannot deadlock.
    std::vector<Shard *> shards;
    shards.reserve(size_t(hits.size()));
    for (const Hit &h : hits)
        shards.push_back(&shardFor(h.subject));
    std::sort(shards.begin(), shards.end());
    shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
    for (Shard *shard : shards)
        shard->mutex.lock();
    const qint64 nowMs = m_clock->nowMs();

    // Check every limit without changing anything, then record in all or none.
    QList<RateDecision> decisions;
    decisions.reserve(hits.size());
    bool all = true;
    for (const Hit &h : hits) {
        Shard &shard = shardFor(h.subject);
        const auto it = shard.entries.constFind(h.subject);
        const Entry *entry = it == shard.entries.cend() || h.limit <= 0 ? nullptr : &it.value();
        decisions.append(decide(entry, entry ? firstCounted(*entry, nowMs, h.limit, h.windowMs) : 0, nowMs, h.limit, h.windowMs));
        all = all && decisions.back().allowed;
    }
    if (all) {
        for (const Hit &h : hits)
            record(shardFor(h.subject), h.subject, h.limit, h.windowMs, nowMs);
    } else {
        // Refused: nothing was consumed, so an admitting limit's remaining count is what it was before.
        for (RateDecision &d : decisions) {
            if (d.allowed)
                d.remaining += 1;
        }
    }
    for (auto it = shards.rbegin(); it != shards.rend(); ++it)
        (*it)->mutex.unlock();
    return decisions;
}

void SlidingWindowLimiter::record(Shard &shard, const QByteArray &subject, int limit, qint64 windowMs, qint64 nowMs)
{
    prunedEntry(shard, subject, limit, windowMs, nowMs).pushAt(nowMs, limit);
}


RateDecision SlidingWindowLimiter::peek(const QByteArray &subject, int limit, qint64 windowMs) const
{
    Shard &shard = shardFor(subject);
    QMutexLocker lock(&shard.mutex);
    const qint64 nowMs = m_clock->nowMs();
    const auto it = shard.entries.constFind(subject);
    if (limit <= 0 || it == shard.entries.cend())
        return decide(nullptr, 0, nowMs, limit, windowMs);
    return decide(&it.value(), firstCounted(it.value(), nowMs, limit, windowMs), nowMs, limit, windowMs);
}

void SlidingWindowLimiter::reset(const QByteArray &subject)
{
    Shard &shard = shardFor(subject);
    QMutexLocker lock(&shard.mutex);
    shard.entries.remove(subject);
}

qsizetype SlidingWindowLimiter::evictIdle()
{
    qsizetype dropped = 0;
    for (int i = 0; i < kShardCount; ++i) {
        Shard &shard = m_shards[i];
        QMutexLocker lock(&shard.mutex);
        const qint64 nowMs = m_clock->nowMs();
        dropped += shard.entries.removeIf([nowMs](auto it) { return isIdle(it.value(), nowMs); });
    }
    return dropped;
}

qsizetype SlidingWindowLimiter::subjectCount() const
{
    qsizetype total = 0;
    for (int i = 0; i < kShardCount; ++i) {
        Shard &shard = m_shards[i];
        QMutexLocker lock(&shard.mutex);
        total += shard.entries.size();
    }
    return total;
}

// The shard is locked and full. Idle subjects go first; if that is not enough the least recently
// hit go too, which can only make the limiter more lenient for them, never refuse wrongly.
// Freeing down to a low-water mark, not one slot, keeps this O(n) pass rare under a flood.
void SlidingWindowLimiter::makeRoom(Shard &shard, qint64 nowMs)
{
    const qsizetype target = m_shardCapacity - std::max<qsizetype>(1, m_shardCapacity / 8);
    shard.entries.removeIf([nowMs](auto it) { return isIdle(it.value(), nowMs); });
    if (shard.entries.size() <= target)
        return;

    std::vector<std::pair<qint64, QByteArray>> byLastSeen;
    byLastSeen.reserve(size_t(shard.entries.size()));
    for (auto it = shard.entries.cbegin(); it != shard.entries.cend(); ++it)
        byLastSeen.emplace_back(it.value().lastSeenMs, it.key());
    const auto excess = std::ptrdiff_t(byLastSeen.size()) - std::ptrdiff_t(target);
    std::nth_element(byLastSeen.begin(), byLastSeen.begin() + excess, byLastSeen.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (std::ptrdiff_t i = 0; i < excess; ++i)
        shard.entries.remove(byLastSeen[size_t(i)].second);
}

} // namespace tollgate
