// Usage and credits written behind, read back exactly; a database outage during writes loses nothing.
#include "TestDatabase.h"
#include "core/keys/SecretGenerator.h"
#include "core/service/GatewayCore.h"
#include "core/storage/KeyStore.h"
#include "core/storage/UsageStore.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

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

struct Fixture
{
    explicit Fixture(const QString &url) : core(settingsFor(url)) {}
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
        const CreditReservation reservation = core.ledger().reserve(keyId, credits);
        QVERIFY(reservation.ok());
        core.ledger().settle(reservation, error ? 0 : credits);
        core.usage().record({keyId, endpoint, error ? 0 : credits, error, latency, in, out, atMs});
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
        QTRY_COMPARE_WITH_TIMEOUT(f.storedCredits().used, 33, 5000);
        QCOMPARE(f.core.ledger().balance(f.keyId).remaining(), 5000 - 33);

        // Shutdown writes what is still pending.
        f.call(QStringLiteral("tts/synthesize"), 2, false, 40, 500, 64000);
        QVERIFY(f.core.shutdown());
        QCOMPARE(f.stored().size(), 4);
        QCOMPARE(f.storedCredits().used, 35);
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
};

QTEST_GUILESS_MAIN(TestUsageWriteBehind)
#include "tst_usagewritebehind.moc"
