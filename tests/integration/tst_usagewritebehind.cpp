// Usage and credits written behind, read back exactly; a database outage during writes loses nothing.
#include "TestDatabase.h"
#include "core/keys/SecretGenerator.h"
#include "core/service/GatewayCore.h"
#include "core/storage/KeyStore.h"
#include "core/storage/UsageStore.h"
#include "core/storage/Sql.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>
#include <vector>

using namespace tollgate;
using namespace tollgate::test;

namespace {

Settings settingsFor(const QString &url)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), url);
    env.insert(QStringLiteral("USAGE_FLUSH_INTERVAL_MS"), QStringLiteral("200"));
    QString error;
    auto settings = Settings::load(nullptr, env, Settings::Profile::Daemon, &error);
    if (!settings)
        qFatal("%s", qPrintable(error));
    return *settings;
}

template<typename T>
T await(QFuture<T> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 15000))
        qFatal("future did not finish");
    return future.result();
}

bool serverControl(const QString &action)
{
    const QString control = TestDatabase::postgresControl();
    if (control.isEmpty())
        return false;
    return QProcess::execute(QStringLiteral("sh"), {QStringLiteral("-c"), control + QLatin1Char(' ') + action}) == 0;
}

// As V1Call reserves: out of this instance's credit lease, or through the leaser (a storage job) when the lease
// cannot cover the cost. Any thread; a failed job refuses.
CreditReservation reserveCredits(GatewayCore &core, const QString &keyId, qint64 cost)
{
    const CreditReservation r = core.ledger().reserve(keyId, cost);
    if (r.status() != CreditReservation::Status::NeedsLease)
        return r;
    QFuture<CreditReservation> leased = core.leaser().reserve(keyId, cost);
    try {
        if (QThread::currentThread() == QCoreApplication::instance()->thread())
            return await(leased);
        leased.waitForFinished();
        return leased.result();
    } catch (const StorageError &) {
        return {};
    }
}

struct Fixture
{
    explicit Fixture(const QString &url, std::shared_ptr<const Clock> clock = Clock::system())
        : core(settingsFor(url), std::move(clock)) {}
    GatewayCore core;
    QString keyId;

    bool setUp()
    {
        core.start();
        if (!QTest::qWaitFor([this] { return core.isReady(); }, 15000))
            return false;
        CreateKeyRequest request;
        request.userId = QStringLiteral("dave");
        request.name = QStringLiteral("usage");
        request.tier = QStringLiteral("pro");
        const CreatedKey created = await(core.keyService().createKey(request, QStringLiteral("test")));
        keyId = created.view.key.id;
        return bool(await(core.keyCache().lookup(created.view.key.keyHash)));
    }

    // One charged call through the ledger, as the pipeline will make it.
    void call(const QString &endpoint, qint64 credits, bool error, qint64 latency, qint64 in, qint64 out, qint64 atMs = 0)
    {
        const CreditReservation reservation = reserveCredits(core, keyId, credits);
        QVERIFY(reservation.ok());
        core.usage().recordCharge(reservation, error ? 0 : credits, {keyId, endpoint, 0, error, latency, in, out, atMs});
    }

    QString addKey(const QString &name)
    {
        CreateKeyRequest request;
        request.userId = QStringLiteral("erin");
        request.name = name;
        request.tier = QStringLiteral("enterprise");
        const CreatedKey created = await(core.keyService().createKey(request, QStringLiteral("test")));
        await(core.keyCache().lookup(created.view.key.keyHash));
        return created.view.key.id;
    }

    // Settles a reservation and records its usage, as the pipeline does (V1Call::finishCall).
    void charge(const CreditReservation &r, const QString &key, const QString &endpoint, qint64 cost)
    {
        core.usage().recordCharge(r, cost, {key, endpoint, 0, false, 1, 10, 10, 0});
    }

    QList<UsageRow> stored()
    {
        const QString id = keyId;
        return await(core.storage().run<QList<UsageRow>>([id](QSqlDatabase &db) {
            return UsageStore::forKey(db, id, QStringLiteral("2000-01-01"));
        }));
    }
    CreditPeriodRow storedCredits()
    {
        const QString id = keyId;
        const QString period = core.ledger().currentPeriod();
        return await(core.storage().run<CreditPeriodRow>([id, period](QSqlDatabase &db) {
            return KeyStore::creditPeriod(db, id, period);
        }));
    }
};

UsageCounters total(const QList<UsageRow> &rows)
{
    UsageCounters sum;
    for (const UsageRow &row : rows)
        sum += row.counters;
    return sum;
}

// Per key and period: credit_periods.credits_used, and the credits of that key's usage_daily rows of the
// period's days. At every committed batch the two must be equal.
struct Books
{
    QHash<QString, qint64> used;    // "key|period" → credits_used
    QHash<QString, qint64> usage;   // "key|period" → sum(usage_daily.credits)
};

Books books(QSqlDatabase &db)
{
    Books b;
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT key_id, period, credits_used FROM credit_periods"));
    while (q.next()) {
        if (q.value(2).toLongLong())
            b.used[q.value(0).toString() + QLatin1Char('|') + q.value(1).toString()] = q.value(2).toLongLong();
    }
    q = sql::exec(db, QStringLiteral("SELECT key_id, substr(day, 1, 7), SUM(credits) FROM usage_daily GROUP BY key_id, substr(day, 1, 7)"));
    while (q.next()) {
        if (q.value(2).toLongLong())
            b.usage[q.value(0).toString() + QLatin1Char('|') + q.value(1).toString()] = q.value(2).toLongLong();
    }
    return b;
}

qint64 total(const QHash<QString, qint64> &values)
{
    qint64 sum = 0;
    for (qint64 v : values)
        sum += v;
    return sum;
}

} // namespace

class TestUsageWriteBehind : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writtenBehindAndReadBackExactly_data() { TestDatabase::addBackendRows(); }
    void writtenBehindAndReadBackExactly()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        Fixture f(db.url());
        QVERIFY(f.setUp());

        const qint64 yesterday = QDateTime::currentMSecsSinceEpoch() - 24 * 3600 * 1000;
        const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
        const QString dayBefore = QDateTime::fromMSecsSinceEpoch(yesterday, QTimeZone::utc()).date().toString(Qt::ISODate);
        for (int i = 0; i < 25; ++i)
            f.call(QStringLiteral("search"), 1, false, 10 + i, 100, 1000);
        for (int i = 0; i < 3; ++i)
            f.call(QStringLiteral("search"), 1, true, 5, 100, 50);
        f.call(QStringLiteral("extract/bulk"), 7, false, 300, 2000, 90000);
        f.call(QStringLiteral("search"), 1, false, 20, 100, 1000, yesterday);

        QTRY_COMPARE_WITH_TIMEOUT(f.core.usage().stats().pendingRows, 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(f.stored().size(), 3, 5000);
        const QList<UsageRow> rows = f.stored();
        // Ordered by day, then endpoint.
        QCOMPARE(rows.at(0).day, dayBefore);
        QCOMPARE(rows.at(0).counters, (UsageCounters{1, 1, 0, 20, 100, 1000}));
        QCOMPARE(rows.at(1).day, today);
        QCOMPARE(rows.at(1).endpoint, QStringLiteral("extract/bulk"));
        QCOMPARE(rows.at(1).counters, (UsageCounters{1, 7, 0, 300, 2000, 90000}));
        QCOMPARE(rows.at(2).endpoint, QStringLiteral("search"));
        QCOMPARE(rows.at(2).counters, (UsageCounters{28, 25, 3, (10 + 34) * 25 / 2 + 15, 2800, 25000 + 150}));
        // The call dated yesterday is charged to yesterday's month, as its row is dated yesterday: on the
        // first of a month that is the previous period.
        const bool yesterdayElsewhere = CreditLedger::periodOf(yesterday) != f.core.ledger().currentPeriod();
        const qint64 thisMonth = yesterdayElsewhere ? 32 : 33;
        QTRY_COMPARE_WITH_TIMEOUT(f.storedCredits().used, thisMonth, 5000);
        QCOMPARE(f.core.ledger().balance(f.keyId).remaining(), 5000 - thisMonth);

        // Shutdown writes what is still pending.
        f.call(QStringLiteral("tts/synthesize"), 2, false, 40, 500, 64000);
        QVERIFY(f.core.shutdown());
        QCOMPARE(f.stored().size(), 4);
        QCOMPARE(f.storedCredits().used, thisMonth + 2);
        const Books end = await(f.core.storage().run<Books>([](QSqlDatabase &c) { return books(c); }));
        QCOMPARE(end.used, end.usage);
    }

    void outageLosesNothing_data() { TestDatabase::addBackendRows(); }
    void outageLosesNothing()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        const bool sqlite = backend == QLatin1String("sqlite");
        if (!sqlite && TestDatabase::postgresControl().isEmpty()) {
            if (TestDatabase::postgresRequired())
                QFAIL("TOLLGATE_TEST_PG_CTL is not set");
            QSKIP("TOLLGATE_TEST_PG_CTL is not set: cannot stop the server");
        }
        // SQLite: a short busy timeout, so a writer holding the lock is an outage.
        Fixture f(sqlite ? db.url() + QStringLiteral("?busy_timeout_ms=50") : db.url());
        QVERIFY(f.setUp());
        for (int i = 0; i < 10; ++i)
            f.call(QStringLiteral("search"), 1, false, 10, 100, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(f.storedCredits().used, 10, 5000);

        // The database goes away.
        QSqlDatabase blocker;
        if (sqlite) {
            blocker = db.open(QStringLiteral("blocker"));
            QSqlQuery lock(blocker);
            QVERIFY2(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(lock.lastError().text()));
        } else {
            QVERIFY(serverControl(QStringLiteral("stop -m fast")));
        }
        const qint64 failedBefore = f.core.usage().stats().failedFlushes;
        for (int i = 0; i < 40; ++i) {
            f.call(i % 2 ? QStringLiteral("search") : QStringLiteral("extract"), 1, i % 5 == 0, 10, 100, 1000);
            QTest::qWait(10);
        }
        QTRY_VERIFY_WITH_TIMEOUT(f.core.usage().stats().failedFlushes >= failedBefore + 2, 15000);
        QVERIFY(!f.core.usage().stats().writing);
        QVERIFY(f.core.usage().stats().pendingRows > 0);

        // It comes back: everything is written exactly once.
        if (sqlite) {
            QSqlQuery(blocker).exec(QStringLiteral("ROLLBACK"));
            blocker.close();
            blocker = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
        } else {
            QVERIFY(serverControl(QStringLiteral("start")));
        }
        QTRY_VERIFY_WITH_TIMEOUT(f.core.usage().stats().writing && f.core.usage().stats().pendingRows == 0, 20000);
        const UsageCounters sum = total(f.stored());
        QCOMPARE(sum.requests, 50);
        QCOMPARE(sum.errors, 8);
        QCOMPARE(sum.credits, 42);
        QCOMPARE(sum.bytesOut, 50000);
        QCOMPARE(f.storedCredits().used, 42);
        QCOMPARE(f.core.usage().stats().droppedEvents, 0);
        QVERIFY(f.core.shutdown());
    }

    // Many HTTP-like threads charge and record while the write-behind flushes as fast as it can on the real
    // storage worker: after every committed batch, each key's credits_used equals its usage rows exactly.
    // A kill -9 after any commit leaves what that commit left, so this is the crash invariant.
    void everyBatchAgrees_data() { TestDatabase::addBackendRows(); }
    void everyBatchAgrees()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        Fixture f(db.url());
        QVERIFY(f.setUp());
        f.core.usage().stop();  // the test flushes, back to back, and looks after each one
        QStringList keys{f.keyId};
        for (int i = 1; i < 4; ++i)
            keys.append(f.addKey(QStringLiteral("k%1").arg(i)));

        // ~1.5 s of calls, paced so that flushes cut through them many times.
        constexpr int kThreads = 6;
        std::atomic<int> running{kThreads};
        std::atomic<qint64> charged{0};
        std::vector<std::thread> threads;
        QElapsedTimer elapsed;
        elapsed.start();
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; elapsed.elapsed() < 1500; ++i) {
                    std::this_thread::sleep_for(std::chrono::microseconds(100));
                    const QString &key = keys.at((t + i) % keys.size());
                    const qint64 cost = 1 + (i % 2);
                    const CreditReservation r = reserveCredits(f.core, key, cost);
                    if (!r.ok())
                        continue;
                    f.charge(r, key, QStringLiteral("search"), cost);
                    charged.fetch_add(cost);
                }
                running.fetch_sub(1);
            });
        }
        int batches = 0;
        int checked = 0;
        QString firstMismatch;
        while (running.load() > 0 || f.core.usage().stats().pendingRows > 0) {
            if (!await(f.core.usage().flush()))
                continue;
            ++batches;
            // Queued behind the flush on the same worker: it sees exactly the state that batch committed.
            const Books b = await(f.core.storage().run<Books>([](QSqlDatabase &c) { return books(c); }));
            ++checked;
            if (b.used != b.usage && firstMismatch.isEmpty()) {
                firstMismatch = QStringLiteral("after batch %1: credits_used %2, usage rows %3")
                                    .arg(batches).arg(total(b.used)).arg(total(b.usage));
            }
        }
        for (std::thread &t : threads)
            t.join();
        QVERIFY(await(f.core.usage().flush()));
        qInfo("%d batches checked, %lld credits charged", checked, charged.load());
        QVERIFY2(firstMismatch.isEmpty(), qPrintable(firstMismatch));
        QVERIFY(checked >= 10);
        const Books end = await(f.core.storage().run<Books>([](QSqlDatabase &c) { return books(c); }));
        QCOMPARE(end.used, end.usage);
        QCOMPARE(total(end.used), charged.load());
        QVERIFY(f.core.shutdown());
    }

    // Calls settle while the clock crosses midnight at the end of a month: each charge lands in the month
    // of the day its usage row is dated, so both months' books agree, and the ledger's new month holds
    // exactly the new month's rows.
    void monthRolloverKeepsBooks()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        TOLLGATE_REQUIRE_DATABASE(db);
        const qint64 beforeMidnight
            = QDateTime(QDate(2026, 11, 30), QTime(23, 59, 59, 900), QTimeZone::utc()).toMSecsSinceEpoch();
        auto clock = std::make_shared<ManualClock>(beforeMidnight);
        Fixture f(db.url(), clock);
        QVERIFY(f.setUp());
        f.core.usage().stop();
        const QString key = f.addKey(QStringLiteral("midnight"));  // enterprise: November's credits last past midnight

        std::atomic<bool> ticking{true};
        std::thread ticker([&] {
            for (int i = 0; i < 200; ++i) {  // 200 ms of clock, across midnight
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                clock->advanceMs(1);
            }
            ticking.store(false);
        });
        std::vector<std::thread> callers;
        for (int t = 0; t < 4; ++t) {
            callers.emplace_back([&] {
                while (ticking.load()) {
                    std::this_thread::sleep_for(std::chrono::microseconds(20));
                    const CreditReservation r = reserveCredits(f.core, key, 1);
                    if (r.ok())
                        f.charge(r, key, QStringLiteral("search"), 1);
                }
            });
        }
        while (ticking.load())
            await(f.core.usage().flush());
        ticker.join();
        for (std::thread &t : callers)
            t.join();
        QVERIFY(await(f.core.usage().flush()));
        const Books b = await(f.core.storage().run<Books>([](QSqlDatabase &c) { return books(c); }));
        const QString nov = key + QStringLiteral("|2026-11");
        const QString dec = key + QStringLiteral("|2026-12");
        qInfo("November %lld/%lld, December %lld/%lld (credits_used/usage rows)", b.used.value(nov), b.usage.value(nov),
              b.used.value(dec), b.usage.value(dec));
        QVERIFY(b.usage.value(nov) > 0);
        QVERIFY(b.usage.value(dec) > 0);
        QCOMPARE(b.used, b.usage);
        QVERIFY(b.usage.value(nov) < 50000);  // November's allowance was not what ended it
        QCOMPARE(f.core.ledger().balance(key).period, QStringLiteral("2026-12"));
        QCOMPARE(f.core.ledger().balance(key).used, b.usage.value(dec));
        QVERIFY(f.core.shutdown());
    }
};

QTEST_GUILESS_MAIN(TestUsageWriteBehind)
#include "tst_usagewritebehind.moc"
