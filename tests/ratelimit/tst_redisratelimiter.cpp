// RedisRateLimiter against a real redis-server: several limiters (as if several gateways) on their own event-loop
// threads share one Redis and together admit exactly what one would; several limits are all-or-nothing; the script
// comes back after SCRIPT FLUSH; with Redis killed every decision answers within the timeout (a local share of the
// limit, or a refusal), and with Redis back the limiters use it again by themselves.
#include "RedisTestServer.h"
#include "core/ratelimit/RedisRateLimiter.h"
#include "core/ratelimit/RedisScripts.h"

#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace tollgate;
using tollgate::test::RedisTestServer;

namespace {

// What a batch of decisions came to.
struct Tally
{
    std::atomic<int> answered{0};
    std::atomic<int> admitted{0};
    std::atomic<int> refused{0};
    std::atomic<int> unavailable{0};
    std::atomic<int> viaRedis{0};
    std::atomic<int> viaFallback{0};
    std::atomic<int> overAdmitted{0};
    std::atomic<qint64> slowestMs{0};
};

// An event-loop thread that sends decisions to a limiter, all at once (pipelined), as a gateway thread would.
class DecisionThread
{
public:
    DecisionThread()
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
    }
    ~DecisionThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    void send(RateLimiter *limiter, const RateQuery &query, int n, Tally *tally)
    {
        QMetaObject::invokeMethod(&m_context, [limiter, query, n, tally] {
            for (int i = 0; i < n; ++i) {
                auto timer = std::make_shared<QElapsedTimer>();
                timer->start();
                limiter->decide(query, [tally, timer](const RateVerdict &v) {
                    const qint64 ms = timer->elapsed();
                    qint64 seen = tally->slowestMs.load();
                    while (ms > seen && !tally->slowestMs.compare_exchange_weak(seen, ms)) {}
                    (v.unavailable ? tally->unavailable : v.allowed ? tally->admitted : tally->refused)++;
                    (v.backend == RateBackend::Redis ? tally->viaRedis : tally->viaFallback)++;
                    tally->overAdmitted += v.overAdmitted;
                    tally->answered++;
                });
            }
        });
    }
    void prepare(RedisRateLimiter *limiter)
    {
        QMetaObject::invokeMethod(&m_context, [limiter] { limiter->prepareThread(); }, Qt::BlockingQueuedConnection);
    }

private:
    QThread m_thread;
    QObject m_context;
};

RateQuery oneLimit(const QByteArray &subject, int limit, qint64 windowMs = 60000)
{
    return RateQuery{{RateLimit{subject, "key", limit, windowMs}}};
}

} // namespace

class TestRedisRateLimiter : public QObject
{
    Q_OBJECT

private:
    RedisTestServer m_redis;
    int m_prefixes = 0;

    RedisRateLimiter::Options options(RedisRateLimiter::WhenDown whenDown = RedisRateLimiter::WhenDown::Local)
    {
        RedisRateLimiter::Options o;
        o.url = *RedisUrl::parse(m_redis.url());
        o.prefix = "t" + QByteArray::number(++m_prefixes) + ":";  // each test its own keys and instances
        o.timeoutMs = 100;
        o.whenDown = whenDown;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("redis-server")).isEmpty())
            QFAIL("redis-server is not installed (scripts/deps.sh --test)");
        QVERIFY(m_redis.start());
    }

    void init()
    {
        if (m_redis.command({"PING"}) != "PONG")
            QVERIFY(m_redis.start());
    }

    void threeInstancesAdmitExactlyTheLimit()
    {
        // 3 instances × 2 event-loop threads, 20 decisions each in flight at once, against 30 per minute.
        std::vector<std::unique_ptr<RedisRateLimiter>> limiters;
        const auto o = options();
        for (int i = 0; i < 3; ++i)
            limiters.push_back(std::make_unique<RedisRateLimiter>(o, Clock::system()));
        Tally tally;
        {
            std::vector<std::unique_ptr<DecisionThread>> threads;
            for (int i = 0; i < 6; ++i) {
                threads.push_back(std::make_unique<DecisionThread>());
                threads.back()->prepare(limiters[size_t(i % 3)].get());
            }
            QTRY_VERIFY_WITH_TIMEOUT(std::all_of(limiters.begin(), limiters.end(), [](auto &l) { return l->isUp(); }), 5000);
            for (int i = 0; i < 6; ++i)
                threads[size_t(i)]->send(limiters[size_t(i % 3)].get(), oneLimit("shared", 30), 20, &tally);
            QTRY_COMPARE_WITH_TIMEOUT(tally.answered.load(), 120, 10000);
        }
        QCOMPARE(tally.viaRedis.load(), 120);
        QCOMPARE(tally.admitted.load(), 30);
        QCOMPARE(tally.refused.load(), 90);
        QCOMPARE(tally.overAdmitted.load(), 0);
        QCOMPARE(m_redis.command({"ZSCORE", o.prefix + "rl:shared", "#n"}), QByteArray("-30"));
        // The heartbeats: every instance counts the three.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(limiters.begin(), limiters.end(), [](auto &l) { return l->liveInstances() == 3; }), 5000);
    }

    void refusedCallConsumesNoLimit()
    {
        RedisRateLimiter limiter(options(), Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(limiter.isUp(), 5000);
        const RateQuery both{{RateLimit{"k", "key", 10, 60000}, RateLimit{"k:stt", "stt", 3, 3600000}}};
        QList<RateVerdict> verdicts;
        for (int i = 0; i < 6; ++i)
            limiter.decide(both, [&](const RateVerdict &v) { verdicts.append(v); });
        QTRY_COMPARE_WITH_TIMEOUT(verdicts.size(), 6, 5000);
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(verdicts[i].backend, RateBackend::Redis);
            QCOMPARE(verdicts[i].allowed, i < 3);
            QCOMPARE(verdicts[i].limits.size(), 2);
        }
        // The refusal names the endpoint limit and what the key limit still has: 10 - 3, nothing taken by refusals.
        QVERIFY(!verdicts[3].limits[1].allowed);
        QVERIFY(verdicts[3].limits[0].allowed);
        QCOMPARE(verdicts[3].limits[0].remaining, 7);
        QVERIFY(verdicts[3].retryAfterSeconds > 3500 && verdicts[3].retryAfterSeconds <= 3600);
        QCOMPARE(verdicts[2].limits[1].remaining, 0);
        QCOMPARE(verdicts[2].limits[0].remaining, 7);
        // The key limit alone still has exactly the 7 the refused calls did not take.
        int admitted = 0;
        int answered = 0;
        for (int i = 0; i < 9; ++i)
            limiter.decide(RateQuery{{both.limits[0]}}, [&](const RateVerdict &v) { admitted += v.allowed; ++answered; });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 9, 5000);
        QCOMPARE(admitted, 7);
    }

    void scriptFlushedMidRunIsLoadedAgain()
    {
        const auto o = options();
        RedisRateLimiter limiter(o, Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(limiter.isUp(), 5000);
        int admitted = 0;
        int answered = 0;
        auto count = [&](const RateVerdict &v) {
            QCOMPARE(v.backend, RateBackend::Redis);
            admitted += v.allowed;
            ++answered;
        };
        for (int i = 0; i < 5; ++i)
            limiter.decide(oneLimit("flush", 8), count);
        QTRY_COMPARE_WITH_TIMEOUT(answered, 5, 5000);
        QCOMPARE(m_redis.command({"SCRIPT", "FLUSH"}), QByteArray("OK"));
        QCOMPARE(m_redis.command({"SCRIPT", "EXISTS", RedisScripts::decisionSha()}), QByteArray("0"));
        for (int i = 0; i < 5; ++i)
            limiter.decide(oneLimit("flush", 8), count);
        QTRY_COMPARE_WITH_TIMEOUT(answered, 10, 5000);
        QCOMPARE(admitted, 8);
        QCOMPARE(m_redis.command({"ZSCORE", o.prefix + "rl:flush", "#n"}), QByteArray("-8"));
        QCOMPARE(m_redis.command({"SCRIPT", "EXISTS", RedisScripts::decisionSha()}), QByteArray("1"));
    }

    void redisDownFallsBackAndComesBack()
    {
        // Two instances; the one in refuse mode refuses while Redis is gone, the other enforces limit / 2.
        const auto local = options();
        auto refusing = local;
        refusing.whenDown = RedisRateLimiter::WhenDown::Refuse;
        RedisRateLimiter a(local, Clock::system());
        RedisRateLimiter b(refusing, Clock::system());
        DecisionThread threadA;
        DecisionThread threadB;
        threadA.prepare(&a);
        threadB.prepare(&b);
        QTRY_VERIFY_WITH_TIMEOUT(a.isUp() && b.isUp() && a.liveInstances() == 2, 5000);

        m_redis.kill();
        QElapsedTimer timer;
        timer.start();
        Tally down;
        threadA.send(&a, oneLimit("down", 20), 30, &down);
        QTRY_COMPARE_WITH_TIMEOUT(down.answered.load(), 30, 2000);
        QVERIFY2(down.slowestMs.load() <= 100 + 150, qPrintable(QString::number(down.slowestMs.load())));
        QCOMPARE(down.viaFallback.load(), 30);
        QCOMPARE(down.admitted.load(), 10);  // 20 ÷ 2 live instances
        QCOMPARE(down.overAdmitted.load(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!a.isUp(), 2000);

        // Decisions made after the connection is known to be gone answer at once.
        Tally later;
        threadA.send(&a, oneLimit("down-later", 20), 5, &later);
        QTRY_COMPARE_WITH_TIMEOUT(later.answered.load(), 5, 1000);
        QVERIFY(later.slowestMs.load() < 50);

        Tally refused;
        threadB.send(&b, oneLimit("down", 20), 5, &refused);
        QTRY_COMPARE_WITH_TIMEOUT(refused.answered.load(), 5, 2000);
        QCOMPARE(refused.unavailable.load(), 5);
        QVERIFY(refused.slowestMs.load() <= 250);

        // Back: on the same port, found again by each connection on its own.
        QVERIFY(m_redis.start());
        QTRY_VERIFY_WITH_TIMEOUT(a.isUp() && b.isUp(), 10000);
        QTest::qWait(300);  // the decision threads' own connections reconnect with their backoff too
        Tally back;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            Tally probe;
            threadA.send(&a, oneLimit("probe", 1000), 1, &probe);
            QTest::qWaitFor([&] { return probe.answered.load() == 1; }, 1000);
            return probe.viaRedis.load() == 1;
        }()), 10000);
        threadA.send(&a, oneLimit("back", 4), 6, &back);
        threadB.send(&b, oneLimit("back", 4), 6, &back);
        QTRY_COMPARE_WITH_TIMEOUT(back.answered.load(), 12, 5000);
        QTRY_COMPARE(back.viaRedis.load(), 12);
        QCOMPARE(back.admitted.load(), 4);
    }

    void fallbackCallsAreWrittenBackAndExcessMeasured()
    {
        // limit 1 over 2 instances: while Redis is down each may admit one (a share is never 0), together one too
        // many. When Redis is back both write their calls into its log, which then holds 2 of 1: measured, once.
        const auto o = options();
        RedisRateLimiter a(o, Clock::system());
        RedisRateLimiter b(o, Clock::system());
        std::atomic<int> over{0};
        a.onReplayOverAdmitted = [&](int n) { over += n; };
        b.onReplayOverAdmitted = [&](int n) { over += n; };
        QTRY_VERIFY_WITH_TIMEOUT(a.liveInstances() == 2 && b.liveInstances() == 2, 5000);
        m_redis.kill();
        QList<RateVerdict> verdicts;
        for (RedisRateLimiter *limiter : {&a, &a, &b})
            limiter->decide(oneLimit("tiny", 1), [&](const RateVerdict &v) { verdicts.append(v); });
        QTRY_COMPARE_WITH_TIMEOUT(verdicts.size(), 3, 2000);
        QVERIFY(verdicts[0].allowed);
        QVERIFY(!verdicts[1].allowed);
        QVERIFY(verdicts[2].allowed);
        QCOMPARE(verdicts[0].limits[0].limit, 1);  // the headers name the whole limit
        QCOMPARE(a.owedCalls(), 1);
        QCOMPARE(b.owedCalls(), 1);

        QVERIFY(m_redis.start());
        QTRY_VERIFY_WITH_TIMEOUT(a.owedCalls() == 0 && b.owedCalls() == 0 && over.load() == 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_redis.command({"ZSCORE", o.prefix + "rl:tiny", "#n"}), QByteArray("-2"), 2000);
        // The window counts them: the next call is refused through Redis.
        QList<RateVerdict> after;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            after.clear();
            a.decide(oneLimit("tiny", 1), [&](const RateVerdict &v) { after.append(v); });
            QTest::qWaitFor([&] { return after.size() == 1; }, 1000);
            return after.size() == 1 && after[0].backend == RateBackend::Redis;
        }()), 10000);
        QVERIFY(!after[0].allowed);
        QTest::qWait(200);
        QCOMPARE(over.load(), 1);
    }

    void frozenRedisCostsAtMostTheTimeout()
    {
        // Connections stay open but nothing answers: each decision waits the timeout at most, then the connection is
        // dropped and later decisions answer at once; thawed, Redis is used again.
        RedisRateLimiter limiter(options(), Clock::system());
        DecisionThread thread;
        thread.prepare(&limiter);
        QTRY_VERIFY_WITH_TIMEOUT(limiter.isUp(), 5000);
        m_redis.freeze(true);
        Tally first;
        thread.send(&limiter, oneLimit("frozen", 10), 20, &first);
        QTRY_COMPARE_WITH_TIMEOUT(first.answered.load(), 20, 2000);
        QVERIFY2(first.slowestMs.load() <= 100 + 150, qPrintable(QString::number(first.slowestMs.load())));
        QCOMPARE(first.viaFallback.load(), 20);
        QCOMPARE(first.admitted.load(), 10);
        Tally later;
        thread.send(&limiter, oneLimit("frozen-later", 10), 20, &later);
        QTRY_COMPARE_WITH_TIMEOUT(later.answered.load(), 20, 2000);
        QVERIFY2(later.slowestMs.load() <= 100 + 150, qPrintable(QString::number(later.slowestMs.load())));
        m_redis.freeze(false);
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
            Tally probe;
            thread.send(&limiter, oneLimit("thawed", 1000), 1, &probe);
            QTest::qWaitFor([&] { return probe.answered.load() == 1; }, 1000);
            return probe.viaRedis.load() == 1;
        }()), 10000);
    }

    void authAndSelectFromTheUrl()
    {
        RedisTestServer locked("s3cret");
        QVERIFY(locked.start());
        QCOMPARE(locked.command({"PING"}), QByteArray("PONG"));
        RedisRateLimiter::Options o;
        o.url = *RedisUrl::parse(QStringLiteral("redis://:s3cret@127.0.0.1:%1/3").arg(locked.port()));
        RedisRateLimiter limiter(o, Clock::system());
        QTRY_VERIFY_WITH_TIMEOUT(limiter.isUp(), 5000);
        int answered = 0;
        limiter.decide(oneLimit("authed", 5), [&](const RateVerdict &v) {
            QCOMPARE(v.backend, RateBackend::Redis);
            QVERIFY(v.allowed);
            ++answered;
        });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 1, 5000);
        QCOMPARE(locked.command({"ZSCORE", "tollgate:rl:authed", "#n"}, 3), QByteArray("-1"));
        QCOMPARE(locked.command({"EXISTS", "tollgate:rl:authed"}, 0), QByteArray("0"));

        // A wrong password: never up, and every decision still answered (from the local share) at once.
        o.url.password = QStringLiteral("wrong");
        RedisRateLimiter refused(o, Clock::system());
        QTest::qWait(300);
        QVERIFY(!refused.isUp());
        QList<RateVerdict> verdicts;
        refused.decide(oneLimit("authed", 5), [&](const RateVerdict &v) { verdicts.append(v); });
        QTRY_COMPARE_WITH_TIMEOUT(verdicts.size(), 1, 1000);
        QCOMPARE(verdicts[0].backend, RateBackend::Fallback);
    }

    void cleanupTestCase() { m_redis.kill(); }
};

QTEST_GUILESS_MAIN(TestRedisRateLimiter)
#include "tst_redisratelimiter.moc"
