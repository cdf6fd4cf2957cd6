// LocalRateLimiter: several limits decided all-or-nothing over the sliding log, exact under concurrency (no call is
// recorded in one limit and refused by another), and the admission query a key and its tier make.
#include "core/ratelimit/AdmissionQuery.h"
#include "core/ratelimit/LocalRateLimiter.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace tollgate;

namespace {
constexpr qint64 kEpochMs = 1'700'000'000'000;
}

class TestLocalRateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedCallConsumesNoLimit()
    {
        auto clock = std::make_shared<ManualClock>(kEpochMs);
        LocalRateLimiter limiter(std::make_shared<SlidingWindowLimiter>(clock));
        const RateQuery both{{RateLimit{"k", "key", 10, 60000}, RateLimit{"k:stt", "stt", 3, 3600000}}};
        for (int i = 0; i < 3; ++i) {
            const RateVerdict v = limiter.decideNow(both);
            QVERIFY(v.allowed);
            QCOMPARE(v.limits[0].remaining, 9 - i);
            QCOMPARE(v.limits[1].remaining, 2 - i);
            clock->advanceMs(1000);
        }
        const RateVerdict refused = limiter.decideNow(both);
        QVERIFY(!refused.allowed);
        QVERIFY(refused.limits[0].allowed);
        QCOMPARE(refused.limits[0].remaining, 7);  // nothing taken
        QVERIFY(!refused.limits[1].allowed);
        QCOMPARE(refused.retryAfterSeconds, 3600 - 3);
        QCOMPARE(refused.tightest(), &refused.limits[1]);
        // The key's own limit has its 7 left for other endpoints.
        for (int i = 0; i < 7; ++i)
            QVERIFY(limiter.decideNow(RateQuery{{both.limits[0]}}).allowed);
        QVERIFY(!limiter.decideNow(RateQuery{{both.limits[0]}}).allowed);
    }

    void callbackAnswersAtOnce()
    {
        LocalRateLimiter limiter(std::make_shared<SlidingWindowLimiter>(std::make_shared<ManualClock>(kEpochMs)));
        int answered = 0;
        limiter.decide(RateQuery{{RateLimit{"k", "key", 1, 1000}}}, [&](const RateVerdict &v) {
            QVERIFY(v.allowed);
            QCOMPARE(v.backend, RateBackend::Local);
            ++answered;
        });
        QCOMPARE(answered, 1);
    }

    void concurrentMultiLimitIsAllOrNothing()
    {
        // Threads on overlapping limit pairs (a shared key limit, per-thread endpoint limits) in both orders:
        // no deadlock, the shared limit admits exactly its limit, and every admitted call is in both of its logs.
        auto log = std::make_shared<SlidingWindowLimiter>(std::make_shared<ManualClock>(kEpochMs));
        LocalRateLimiter limiter(log);
        constexpr int threads = 8;
        constexpr int perThread = 2000;
        std::atomic<int> admitted{0};
        std::vector<int> admittedBy(threads, 0);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                const RateLimit shared{"key", "key", 500, 60000};
                const RateLimit own{"key:" + QByteArray::number(t), "g", 100, 60000};
                const RateQuery query{t % 2 ? QList<RateLimit>{shared, own} : QList<RateLimit>{own, shared}};
                for (int i = 0; i < perThread; ++i) {
                    if (limiter.decideNow(query).allowed) {
                        ++admitted;
                        ++admittedBy[size_t(t)];
                    }
                }
            });
        }
        for (auto &thread : pool)
            thread.join();
        // How many calls a log holds, from what peek() says of one more.
        auto recorded = [&](const QByteArray &subject, int limit) {
            const RateDecision d = log->peek(subject, limit, 60000);
            return d.allowed ? limit - d.remaining - 1 : limit;
        };
        QCOMPARE(admitted.load(), 500);
        QCOMPARE(recorded("key", 500), 500);
        for (int t = 0; t < threads; ++t) {
            QVERIFY(admittedBy[size_t(t)] <= 100);
            // What the thread's own limit recorded is exactly what it was admitted: no half-recorded call.
            QCOMPARE(recorded("key:" + QByteArray::number(t), 100), admittedBy[size_t(t)]);
        }
    }

    void admissionQueryNamesEveryApplyingLimit()
    {
        Tier pro{QStringLiteral("pro"), QStringLiteral("Pro"), 100, 60, 5000, {QStringLiteral("search"), QStringLiteral("stt")}, 1900};
        pro.endpointLimits.insert(QStringLiteral("stt"), EndpointLimit{5, 3600});
        ApiKey key;
        key.id = QStringLiteral("key-1");
        const RateQuery search = admissionQuery(key, pro, QStringLiteral("search"));
        QCOMPARE(search.limits.size(), 1);
        QCOMPARE(search.limits[0].subject, QByteArray("key-1"));
        QCOMPARE(search.limits[0].policy, QByteArray("key"));
        QCOMPARE(search.limits[0].limit, 100);
        QCOMPARE(search.limits[0].windowMs, 60000);
        key.rateLimit = 7;  // an override replaces the tier's key limit, not the endpoint limit
        const RateQuery stt = admissionQuery(key, pro, QStringLiteral("stt"));
        QCOMPARE(stt.limits.size(), 2);
        QCOMPARE(stt.limits[0].limit, 7);
        QCOMPARE(stt.limits[1].subject, QByteArray("key-1:stt"));
        QCOMPARE(stt.limits[1].policy, QByteArray("stt"));
        QCOMPARE(stt.limits[1].limit, 5);
        QCOMPARE(stt.limits[1].windowMs, 3600000);
    }
};

QTEST_GUILESS_MAIN(TestLocalRateLimiter)
#include "tst_localratelimiter.moc"
