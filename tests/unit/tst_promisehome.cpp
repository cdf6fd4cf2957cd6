// PromiseHome: futures finished in the thread that attaches continuations to them (Qt 6.4 may run a
// continuation twice when attaching races another thread's finish).
#include "core/util/PromiseHome.h"

#include <QFuture>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using tollgate::PromiseHome;

class TestPromiseHome : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { PromiseHome::setDeliversHere(false); }

    void finishedInTheHomeThreadWhenItOptsIn()
    {
        PromiseHome::setDeliversHere(true);
        auto promise = std::make_shared<QPromise<int>>();
        promise->start();
        QFuture<int> future = promise->future();
        const PromiseHome home;
        QThread *ranIn = nullptr;
        int runs = 0;
        QFuture<void> next = future.then(QtFuture::Launch::Sync, [&](int value) {
            QCOMPARE(value, 42);
            ranIn = QThread::currentThread();
            ++runs;
        });
        std::thread worker([promise, home] {
            promise->addResult(42);
            home.finish(promise);
        });
        worker.join();
        QVERIFY(!future.isFinished()); // waits for this thread's event loop
        QTRY_VERIFY(next.isFinished());
        QCOMPARE(runs, 1);
        QCOMPARE(ranIn, QThread::currentThread());
    }

    void finishedWhereTheWorkEndsOtherwise()
    {
        auto promise = std::make_shared<QPromise<int>>();
        promise->start();
        QFuture<int> future = promise->future();
        const PromiseHome home; // this thread did not opt in (it may block on the future)
        std::thread worker([promise, home] {
            promise->addResult(7);
            home.finish(promise);
        });
        worker.join();
        QVERIFY(future.isFinished());
        QCOMPARE(future.result(), 7);
    }

    void everyContinuationRunsOnceUnderRaces()
    {
        // The pattern that crashed: work finishing on another thread right as the caller attaches.
        PromiseHome::setDeliversHere(true);
        constexpr int Rounds = 2000;
        std::atomic<int> runs{0};
        QList<QFuture<void>> continuations;
        for (int i = 0; i < Rounds; ++i) {
            auto promise = std::make_shared<QPromise<int>>();
            promise->start();
            const PromiseHome home;
            std::thread worker([promise, home, i] {
                promise->addResult(i);
                home.finish(promise);
            });
            continuations.append(promise->future().then(QtFuture::Launch::Sync, [&runs](int) { ++runs; }));
            worker.join();
        }
        QTRY_COMPARE_WITH_TIMEOUT(runs.load(), Rounds, 10000);
        for (const QFuture<void> &continuation : continuations)
            QVERIFY(continuation.isFinished());
    }

    void homeThreadGoneFinishesWhereTheWorkEnds()
    {
        // A home thread that has ended (its dispatcher is gone): the future must still finish.
        auto promise = std::make_shared<QPromise<int>>();
        promise->start();
        QFuture<int> future = promise->future();
        QThread thread;
        std::shared_ptr<PromiseHome> home;
        QObject::connect(&thread, &QThread::started, [&home] {
            PromiseHome::setDeliversHere(true);
            home = std::make_shared<PromiseHome>();
        });
        thread.start();
        QTRY_VERIFY(home != nullptr);
        thread.quit();
        QVERIFY(thread.wait(5000));
        promise->addResult(5);
        home->finish(promise);
        promise.reset();
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result(), 5);
    }
};

QTEST_GUILESS_MAIN(TestPromiseHome)
#include "tst_promisehome.moc"
