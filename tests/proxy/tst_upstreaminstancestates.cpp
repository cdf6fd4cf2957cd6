// The per-instance state every pool and the health probes share: the breaker's transitions on a
// given clock (open after N consecutive failures, one trial per open period, closed by an answered
// trial or a probe after the period, a lost trial replaced), and one trial among racing threads.

#include "server/proxy/UpstreamInstanceStates.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace tollgate::proxy;
using Breaker = UpstreamInstanceStates::Breaker;

class tst_UpstreamInstanceStates : public QObject
{
    Q_OBJECT

    static UpstreamInstanceStates make(int failuresToOpen = 3, int openMs = 1000)
    {
        return UpstreamInstanceStates(QStringLiteral("test"),
                                      {QUrl(QStringLiteral("http://127.0.0.1:1")), QUrl(QStringLiteral("http://127.0.0.1:2"))},
                                      {failuresToOpen, openMs, 100});
    }

private slots:
    void opensAfterConsecutiveFailures()
    {
        UpstreamInstanceStates states = make();
        states.recordFailure(0, 10, QStringLiteral("x"));
        states.recordFailure(0, 11, QStringLiteral("x"));
        states.recordSuccess(0); // not consecutive any more
        states.recordFailure(0, 12, QStringLiteral("x"));
        states.recordFailure(0, 13, QStringLiteral("x"));
        QCOMPARE(states.breaker(0), Breaker::Closed);
        states.recordFailure(0, 14, QStringLiteral("x"));
        QCOMPARE(states.breaker(0), Breaker::Open);
        QCOMPARE(states.breaker(1), Breaker::Closed); // per instance
        QVERIFY(!states.breakerAdmits(0, 14 + 999));
        QVERIFY(states.breakerAdmits(0, 14 + 1000));
        // A call that started before it opened and is answered now says nothing: still open.
        states.recordSuccess(0);
        QCOMPARE(states.breaker(0), Breaker::Open);
    }

    void oneTrialPerOpenPeriod()
    {
        UpstreamInstanceStates states = make(1, 1000);
        states.recordFailure(0, 0, QStringLiteral("x"));
        QVERIFY(!states.claimTrial(0, 999));
        QVERIFY(states.claimTrial(0, 1000));
        QCOMPARE(states.breaker(0), Breaker::HalfOpen);
        QVERIFY(!states.claimTrial(0, 1001));  // one at a time
        QVERIFY(!states.claimTrial(0, 1999));
        QVERIFY(states.claimTrial(0, 2000));   // the first never reported: another may go
        states.recordFailure(0, 2100, QStringLiteral("trial failed"));
        QCOMPARE(states.breaker(0), Breaker::Open);
        QVERIFY(!states.claimTrial(0, 3099));  // a full period again, from the failure
        QVERIFY(states.claimTrial(0, 3100));
        states.recordSuccess(0);
        QCOMPARE(states.breaker(0), Breaker::Closed);
        QVERIFY(!states.claimTrial(0, 9999)); // closed: no trial to claim
    }

    void abandonedTrialFreesTheNext()
    {
        UpstreamInstanceStates states = make(1, 1000);
        states.recordFailure(0, 0, QStringLiteral("x"));
        QVERIFY(states.claimTrial(0, 1000));
        states.trialAbandoned(0, 1010);
        QVERIFY(states.claimTrial(0, 1011));
    }

    void probeClosesOnlyAfterTheOpenPeriod()
    {
        UpstreamInstanceStates states = make(1, 1000);
        states.recordFailure(0, 0, QStringLiteral("x"));
        states.recordProbe(0, true, 3, 1, 500);
        QCOMPARE(states.breaker(0), Breaker::Open);
        states.recordProbe(0, true, 3, 2, 1000);
        QCOMPARE(states.breaker(0), Breaker::Closed);
        states.recordProbe(0, false, -1, 3, 1100);
        QCOMPARE(states.probe(0), UpstreamInstanceStates::Probe::Down);
        QCOMPARE(states.breaker(0), Breaker::Closed); // probes do not count as calls
    }

    void statesAsShown()
    {
        UpstreamInstanceStates states = make(1, 1000);
        QCOMPARE(states.snapshot(0, 0).state(), QStringLiteral("unknown"));
        QCOMPARE(states.snapshot(0, 0).status(), QStringLiteral("unknown"));
        QVERIFY(states.snapshot(0, 0).routable());
        QCOMPARE(states.snapshot(0, 0).checkedAtMs, 0);
        states.recordProbe(0, true, 7, 1234, 0);
        QCOMPARE(states.snapshot(0, 0).state(), QStringLiteral("up"));
        QCOMPARE(states.snapshot(0, 0).latencyMs, 7);
        QCOMPARE(states.snapshot(0, 0).checkedAtMs, 1234);
        states.connectFailed(0, 10);
        QCOMPARE(states.snapshot(0, 50).state(), QStringLiteral("down"));
        QCOMPARE(states.snapshot(0, 110).state(), QStringLiteral("up")); // the mark lasts markDownMs
        states.recordFailure(0, 200, QStringLiteral("x"));
        QCOMPARE(states.snapshot(0, 200).state(), QStringLiteral("open"));
        QCOMPARE(states.snapshot(0, 200).status(), QStringLiteral("down"));
        QVERIFY(states.claimTrial(0, 1200));
        QCOMPARE(states.snapshot(0, 1200).state(), QStringLiteral("half-open"));
        QCOMPARE(UpstreamInstanceStates::breakerName(Breaker::HalfOpen), QLatin1StringView("half-open"));
    }

    void racingThreadsClaimOneTrial()
    {
        for (int round = 0; round < 50; ++round) {
            UpstreamInstanceStates states = make(1, 10);
            states.recordFailure(0, 0, QStringLiteral("x"));
            std::atomic<int> winners{0};
            std::atomic<bool> go{false};
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back([&] {
                    while (!go.load())
                        std::this_thread::yield();
                    states.callStarted(1);
                    if (states.claimTrial(0, 100))
                        ++winners;
                    states.callEnded(1);
                });
            }
            go = true;
            for (std::thread &thread : threads)
                thread.join();
            QCOMPARE(winners.load(), 1);
            QCOMPARE(states.inFlight(1), 0);
        }
    }
};

QTEST_APPLESS_MAIN(tst_UpstreamInstanceStates)
#include "tst_upstreaminstancestates.moc"
