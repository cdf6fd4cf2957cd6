#include "core/ratelimit/SlidingWindowLimiter.h"
#include "core/util/Clock.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace tollgate;

namespace {
// Far from zero so nothing can pass by treating 0 as "no hit yet".
constexpr qint64 kEpochMs = 1'700'000'000'000;
const QByteArray kSubject = QByteArrayLiteral("key-1");
} // namespace

class TestSlidingWindowLimiter : public QObject
{
    Q_OBJECT

private slots:
    void admitsExactlyLimitPerWindow_data();
    void admitsExactlyLimitPerWindow();
    void retryAfterAndReset_data();
    void retryAfterAndReset();
    void rollingNotFixedWindow_data();
    void rollingNotFixedWindow();
    void nonPositiveLimitAlwaysRefuses_data();
    void nonPositiveLimitAlwaysRefuses();
    void peekRecordsNothing_data();
    void peekRecordsNothing();
    void limitChangeKeepsNewestHits();
    void clockSteppingBackKeepsLimit();
    void resetForgetsSubject();
    void evictIdleDropsOnlyIdleSubjects();
    void maxSubjectsBoundHolds_data();
    void maxSubjectsBoundHolds();
    void concurrentHitsAdmitExactlyLimit_data();
    void concurrentHitsAdmitExactlyLimit();
};

void TestSlidingWindowLimiter::admitsExactlyLimitPerWindow_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("stepMs"); // between attempts; (limit - 1) * stepMs < windowMs

    QTest::newRow("1 per second") << 1 << qint64(1000) << qint64(0);
    QTest::newRow("3 per minute, spread") << 3 << qint64(60000) << qint64(10000);
    QTest::newRow("10 per second, burst") << 10 << qint64(1000) << qint64(0);
    QTest::newRow("100 per hour, spread") << 100 << qint64(3600000) << qint64(36000 - 1);
    QTest::newRow("5 per millisecond") << 5 << qint64(1) << qint64(0);
}

void TestSlidingWindowLimiter::admitsExactlyLimitPerWindow()
{
    QFETCH(int, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, stepMs);
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);

    for (int i = 0; i < limit; ++i) {
        const RateDecision d = limiter.hit(kSubject, limit, windowMs);
        QVERIFY2(d.allowed, qPrintable(QStringLiteral("hit %1").arg(i)));
        QCOMPARE(d.limit, limit);
        QCOMPARE(d.remaining, limit - 1 - i);
        QCOMPARE(d.retryAfterSeconds, 0);
        QCOMPARE(d.resetAtMs, kEpochMs + windowMs);
        if (i + 1 < limit)
            clock->advanceMs(stepMs);
    }
    const RateDecision refused = limiter.hit(kSubject, limit, windowMs);
    QVERIFY(!refused.allowed);
    QCOMPARE(refused.remaining, 0);
    QVERIFY(refused.retryAfterSeconds >= 1);
    QCOMPARE(refused.resetAtMs, kEpochMs + windowMs);

    // One step before the first hit leaves the window: still full. Exactly then: one slot again.
    clock->setMs(kEpochMs + windowMs - 1);
    QVERIFY(!limiter.hit(kSubject, limit, windowMs).allowed);
    clock->setMs(kEpochMs + windowMs);
    QVERIFY(limiter.hit(kSubject, limit, windowMs).allowed);
    if (stepMs > 0)
        QVERIFY(!limiter.hit(kSubject, limit, windowMs).allowed);
}

void TestSlidingWindowLimiter::retryAfterAndReset_data()
{
    // Hits at t = 0, 10 s, 20 s with limit 3 per 60 s, then one probe at `atMs`.
    QTest::addColumn<qint64>("atMs");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<int>("remaining");
    QTest::addColumn<qint64>("resetAtMs");
    QTest::addColumn<int>("retryAfterSeconds");

    QTest::newRow("30 s") << qint64(30000) << false << 0 << qint64(60000) << 30;
    QTest::newRow("30.001 s rounds up") << qint64(30001) << false << 0 << qint64(60000) << 30;
    QTest::newRow("31 s") << qint64(31000) << false << 0 << qint64(60000) << 29;
    QTest::newRow("59.5 s") << qint64(59500) << false << 0 << qint64(60000) << 1;
    QTest::newRow("59.999 s") << qint64(59999) << false << 0 << qint64(60000) << 1;
    QTest::newRow("60 s, first hit left") << qint64(60000) << true << 0 << qint64(70000) << 0;
    QTest::newRow("70 s, two left") << qint64(70000) << true << 1 << qint64(80000) << 0;
    QTest::newRow("80 s, all left") << qint64(80000) << true << 2 << qint64(140000) << 0;
}

void TestSlidingWindowLimiter::retryAfterAndReset()
{
    QFETCH(qint64, atMs);
    QFETCH(bool, allowed);
    QFETCH(int, remaining);
    QFETCH(qint64, resetAtMs);
    QFETCH(int, retryAfterSeconds);
    constexpr int limit = 3;
    constexpr qint64 windowMs = 60000;
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);

    for (qint64 t : {0, 10000, 20000}) {
        clock->setMs(kEpochMs + t);
        const RateDecision d = limiter.hit(kSubject, limit, windowMs);
        QVERIFY(d.allowed);
        QCOMPARE(d.resetAtMs, kEpochMs + windowMs); // the t = 0 hit stays the oldest
    }

    clock->setMs(kEpochMs + atMs);
    const RateDecision d = limiter.hit(kSubject, limit, windowMs);
    QCOMPARE(d.allowed, allowed);
    QCOMPARE(d.remaining, remaining);
    QCOMPARE(d.resetAtMs, kEpochMs + resetAtMs);
    QCOMPARE(d.retryAfterSeconds, retryAfterSeconds);
}

void TestSlidingWindowLimiter::rollingNotFixedWindow_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("stepMs"); // attempt cadence for the long run

    QTest::newRow("3 per minute") << 3 << qint64(60000) << qint64(1000);
    QTest::newRow("10 per second") << 10 << qint64(1000) << qint64(7);
    QTest::newRow("50 per 10 s") << 50 << qint64(10000) << qint64(33);
}

void TestSlidingWindowLimiter::rollingNotFixedWindow()
{
    QFETCH(int, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, stepMs);
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);

    // A full burst just before a fixed-window boundary and another just after would be 2x limit
    // within a few ms; the sliding log admits none of the second burst.
    clock->setMs(kEpochMs + windowMs - 1);
    for (int i = 0; i < limit; ++i)
        QVERIFY(limiter.hit(kSubject, limit, windowMs).allowed);
    clock->setMs(kEpochMs + windowMs + 1);
    for (int i = 0; i < limit; ++i)
        QVERIFY(!limiter.hit(kSubject, limit, windowMs).allowed);

    // Steady pressure over many windows: no rolling window ever holds more than `limit` admits.
    const QByteArray other = QByteArrayLiteral("key-2");
    std::vector<qint64> admitted;
    for (qint64 t = 0; t < 6 * windowMs; t += stepMs) {
        clock->setMs(kEpochMs + t);
        if (limiter.hit(other, limit, windowMs).allowed)
            admitted.push_back(t);
    }
    QVERIFY(admitted.size() > size_t(limit));
    for (size_t i = 0; i + limit < admitted.size(); ++i)
        QVERIFY2(admitted[i + limit] - admitted[i] >= windowMs, qPrintable(QString::number(i)));
}

void TestSlidingWindowLimiter::nonPositiveLimitAlwaysRefuses_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<int>("retryAfterSeconds");

    QTest::newRow("0 per minute") << 0 << qint64(60000) << 60;
    QTest::newRow("-1 per 1.5 s") << -1 << qint64(1500) << 2;
}

void TestSlidingWindowLimiter::nonPositiveLimitAlwaysRefuses()
{
    QFETCH(int, limit);
    QFETCH(qint64, windowMs);
    QFETCH(int, retryAfterSeconds);
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);

    for (int i = 0; i < 3; ++i) {
        const RateDecision d = limiter.hit(kSubject, limit, windowMs);
        QVERIFY(!d.allowed);
        QCOMPARE(d.remaining, 0);
        QCOMPARE(d.retryAfterSeconds, retryAfterSeconds);
        QCOMPARE(d.resetAtMs, kEpochMs + windowMs);
    }
    QVERIFY(!limiter.peek(kSubject, limit, windowMs).allowed);
    QCOMPARE(limiter.subjectCount(), 0);
}

void TestSlidingWindowLimiter::peekRecordsNothing_data()
{
    QTest::addColumn<int>("priorHits");

    QTest::newRow("unknown subject") << 0;
    QTest::newRow("some hits") << 2;
    QTest::newRow("full") << 5;
}

void TestSlidingWindowLimiter::peekRecordsNothing()
{
    QFETCH(int, priorHits);
    constexpr int limit = 5;
    constexpr qint64 windowMs = 60000;
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);
    for (int i = 0; i < priorHits; ++i) {
        limiter.hit(kSubject, limit, windowMs);
        clock->advanceMs(1000);
    }
    const qsizetype subjects = limiter.subjectCount();

    const RateDecision first = limiter.peek(kSubject, limit, windowMs);
    for (int i = 0; i < 10; ++i) {
        const RateDecision again = limiter.peek(kSubject, limit, windowMs);
        QCOMPARE(again.allowed, first.allowed);
        QCOMPARE(again.remaining, first.remaining);
        QCOMPARE(again.resetAtMs, first.resetAtMs);
    }
    QCOMPARE(limiter.subjectCount(), subjects);

    const RateDecision hit = limiter.hit(kSubject, limit, windowMs);
    QCOMPARE(hit.allowed, first.allowed);
    QCOMPARE(hit.limit, first.limit);
    QCOMPARE(hit.remaining, first.remaining);
    QCOMPARE(hit.resetAtMs, first.resetAtMs);
    QCOMPARE(hit.retryAfterSeconds, first.retryAfterSeconds);
}

void TestSlidingWindowLimiter::limitChangeKeepsNewestHits()
{
    constexpr qint64 windowMs = 60000;
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);
    for (int i = 0; i < 5; ++i) { // t = 0..4 s
        clock->setMs(kEpochMs + i * 1000);
        QVERIFY(limiter.hit(kSubject, 5, windowMs).allowed);
    }

    // Upgrade: the five hits still count against the bigger limit.
    clock->setMs(kEpochMs + 5000);
    RateDecision d = limiter.peek(kSubject, 10, windowMs);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 4);

    // Downgrade to 3: only the newest three (2 s, 3 s, 4 s) count, for peek as for hit.
    d = limiter.peek(kSubject, 3, windowMs);
    QVERIFY(!d.allowed);
    QCOMPARE(d.resetAtMs, kEpochMs + 2000 + windowMs);
    d = limiter.hit(kSubject, 3, windowMs);
    QVERIFY(!d.allowed);
    QCOMPARE(d.resetAtMs, kEpochMs + 2000 + windowMs);
    QCOMPARE(d.retryAfterSeconds, 57);

    // Back up to 10: only those three remain recorded.
    clock->setMs(kEpochMs + 6000);
    d = limiter.hit(kSubject, 10, windowMs);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 6);
    QCOMPARE(d.resetAtMs, kEpochMs + 2000 + windowMs);
}

void TestSlidingWindowLimiter::clockSteppingBackKeepsLimit()
{
    constexpr qint64 windowMs = 10000;
    auto clock = std::make_shared<ManualClock>(kEpochMs + 5000);
    SlidingWindowLimiter limiter(clock);
    QVERIFY(limiter.hit(kSubject, 2, windowMs).allowed);
    clock->setMs(kEpochMs); // wall clock stepped back 5 s
    QVERIFY(limiter.hit(kSubject, 2, windowMs).allowed);
    QVERIFY(!limiter.hit(kSubject, 2, windowMs).allowed);
    clock->setMs(kEpochMs + 5000 + windowMs - 1);
    QVERIFY(!limiter.hit(kSubject, 2, windowMs).allowed);
    clock->setMs(kEpochMs + 5000 + windowMs);
    QCOMPARE(limiter.peek(kSubject, 2, windowMs).remaining, 1);
}

void TestSlidingWindowLimiter::resetForgetsSubject()
{
    constexpr int limit = 3;
    constexpr qint64 windowMs = 60000;
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);
    const QByteArray other = QByteArrayLiteral("10.0.0.1");
    for (int i = 0; i < limit; ++i) {
        limiter.hit(kSubject, limit, windowMs);
        limiter.hit(other, limit, windowMs);
    }
    QVERIFY(!limiter.peek(kSubject, limit, windowMs).allowed);
    QCOMPARE(limiter.subjectCount(), 2);

    limiter.reset(kSubject);
    QCOMPARE(limiter.subjectCount(), 1);
    const RateDecision d = limiter.hit(kSubject, limit, windowMs);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, limit - 1);
    QVERIFY(!limiter.peek(other, limit, windowMs).allowed);

    limiter.reset(QByteArrayLiteral("never seen"));
    QCOMPARE(limiter.subjectCount(), 2);
}

void TestSlidingWindowLimiter::evictIdleDropsOnlyIdleSubjects()
{
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);
    for (int i = 0; i < 1000; ++i)
        limiter.hit("idle-" + QByteArray::number(i), 5, 1000);
    for (int i = 0; i < 10; ++i)
        limiter.hit("long-" + QByteArray::number(i), 5, 60000);
    clock->advanceMs(900);
    for (int i = 0; i < 10; ++i)
        limiter.hit("recent-" + QByteArray::number(i), 5, 1000);
    QCOMPARE(limiter.subjectCount(), 1020);

    QCOMPARE(limiter.evictIdle(), 0); // nothing has left its window yet
    clock->setMs(kEpochMs + 1000);    // the idle ones' only hit just left their 1 s window
    QCOMPARE(limiter.evictIdle(), 1000);
    QCOMPARE(limiter.subjectCount(), 20);

    // A still-limited subject survives with its log intact.
    for (int i = 0; i < 4; ++i)
        limiter.hit("long-0", 5, 60000);
    QVERIFY(!limiter.peek("long-0", 5, 60000).allowed);
}

void TestSlidingWindowLimiter::maxSubjectsBoundHolds_data()
{
    QTest::addColumn<qsizetype>("maxSubjects");

    QTest::newRow("64") << qsizetype(64);
    QTest::newRow("1000") << qsizetype(1000);
    QTest::newRow("4096") << qsizetype(4096);
}

void TestSlidingWindowLimiter::maxSubjectsBoundHolds()
{
    QFETCH(qsizetype, maxSubjects);
    constexpr qint64 windowMs = 3600000; // nothing goes idle: eviction must fall back to LRU
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock, {maxSubjects});
    const QByteArray attacker = QByteArrayLiteral("203.0.113.7");
    QVERIFY(limiter.hit(attacker, 1, windowMs).allowed);

    for (qsizetype i = 0; i < 10 * maxSubjects; ++i) {
        clock->advanceMs(1);
        QVERIFY(limiter.hit("198.51." + QByteArray::number(i), 1, windowMs).allowed);
        // The subject being refused keeps being seen, so it is never the least recent.
        QVERIFY(!limiter.hit(attacker, 1, windowMs).allowed);
        QVERIFY(limiter.subjectCount() <= maxSubjects);
    }
    QVERIFY(limiter.subjectCount() > maxSubjects / 2);
}

void TestSlidingWindowLimiter::concurrentHitsAdmitExactlyLimit_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("attemptsPerThread");

    QTest::newRow("4 threads x 2000") << 4 << 2000;
    QTest::newRow("4 threads x 251") << 4 << 251;
    QTest::newRow("8 threads x 500") << 8 << 500;
}

void TestSlidingWindowLimiter::concurrentHitsAdmitExactlyLimit()
{
    QFETCH(int, threads);
    QFETCH(int, attemptsPerThread);
    constexpr int limit = 1000;
    constexpr qint64 windowMs = 3600000;
    auto clock = std::make_shared<ManualClock>(kEpochMs);
    SlidingWindowLimiter limiter(clock);
    std::atomic<int> admitted{0};

    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            const QByteArray own = "thread-" + QByteArray::number(t);
            for (int i = 0; i < attemptsPerThread; ++i) {
                if (limiter.hit(kSubject, limit, windowMs).allowed)
                    admitted.fetch_add(1, std::memory_order_relaxed);
                limiter.hit(own, limit, windowMs); // traffic on other shards at the same time
                if (t == 0 && i % 100 == 0)
                    clock->advanceMs(1); // time moves while others hit, but stays in the window
            }
        });
    }
    for (auto &worker : workers)
        worker.join();

    QCOMPARE(admitted.load(), std::min(limit, threads * attemptsPerThread));
    QVERIFY(!limiter.peek(kSubject, limit, windowMs).allowed);
}

QTEST_APPLESS_MAIN(TestSlidingWindowLimiter)
#include "tst_slidingwindowlimiter.moc"
