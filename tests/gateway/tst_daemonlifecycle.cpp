// tollgated serve as a process: SIGTERM drains and flushes; kill -9 under load loses at most ~1 s of usage
// and charges nothing twice after a restart.
#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "GatewayFixture.h"
#include "HttpTestClient.h"
#include "TestDatabase.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace tollgate;
using namespace tollgate::test;

namespace {

struct Totals
{
    qint64 requests = 0;
    qint64 credits = 0;
    qint64 creditsUsed = 0;
};

Totals stored(const TestDatabase &db)
{
    Totals totals;
    {
        QSqlDatabase c = db.open(QStringLiteral("totals"));
        QSqlQuery q(c);
        q.exec(QStringLiteral("SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(credits), 0) FROM usage_daily"));
        if (q.next()) {
            totals.requests = q.value(0).toLongLong();
            totals.credits = q.value(1).toLongLong();
        }
        q.exec(QStringLiteral("SELECT COALESCE(SUM(credits_used), 0) FROM credit_periods"));
        if (q.next())
            totals.creditsUsed = q.value(0).toLongLong();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("totals"));
    return totals;
}

// A key whose limits the load never reaches, so every call is a charged success.
QString createKey(const TestDatabase &db)
{
    CliRunner(db.url()).run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("load"), QStringLiteral("--rate"),
                             QStringLiteral("1000000"), QStringLiteral("--credits"), QStringLiteral("100000000"),
                             QStringLiteral("--endpoints"), QStringLiteral("search")});
    const CliResult r = CliRunner(db.url()).run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"),
                                                 QStringLiteral("u"), QStringLiteral("--name"), QStringLiteral("k"),
                                                 QStringLiteral("--tier"), QStringLiteral("load"), QStringLiteral("--json")});
    return r.json()[QLatin1String("key")].toString();
}

} // namespace

class TestDaemonLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigtermDrainsAndFlushes_data() { TestDatabase::addBackendRows(); }
    void sigtermDrainsAndFlushes()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        FakeUpstream upstream;
        const QString key = createKey(db);
        DaemonProcess daemon;
        QVERIFY(daemon.start(db.url(), upstream.url()));
        const HttpTestClient client(daemon.port);
        QCOMPARE(client.send({"POST", "/v1/search", {{"X-API-Key", key.toLatin1()}}, R"({"q":"x"})"}).status, 200);

        // A slow call in flight when SIGTERM arrives still completes, and its usage is written before exit.
        QList<HttpTestResponse> slow;
        QTimer::singleShot(300, [&daemon] { ::kill(pid_t(daemon.process.processId()), SIGTERM); });
        slow = client.sendConcurrently({{"POST", "/v1/search", {{"X-API-Key", key.toLatin1()}, {"X-Test-Delay-Ms", "1500"}}, R"({"q":"x"})"}});
        QCOMPARE(slow.value(0).status, 200);
        QVERIFY(daemon.waitForExit(15000));
        QCOMPARE(daemon.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(daemon.process.exitCode(), 0);
        const Totals totals = stored(db);
        QCOMPARE(totals.requests, 2);
        QCOMPARE(totals.credits, 2);
        QCOMPARE(totals.creditsUsed, 2);
    }

    void killNineUnderLoad_data() { TestDatabase::addBackendRows(); }
    void killNineUnderLoad()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        FakeUpstream upstream;
        const QString key = createKey(db);
        DaemonProcess daemon;
        QVERIFY(daemon.start(db.url(), upstream.url()));
        const HttpTestClient client(daemon.port);

        // Load in waves of 20 concurrent calls for ~3 s, remembering when each success came back.
        QList<qint64> successAt;
        QElapsedTimer clock;
        clock.start();
        QList<HttpTestRequest> wave;
        for (int i = 0; i < 20; ++i)
            wave.append({"POST", "/v1/search", {{"X-API-Key", key.toLatin1()}}, R"({"q":"x"})"});
        while (clock.elapsed() < 3000) {
            for (const HttpTestResponse &r : client.sendConcurrently(wave)) {
                if (r.status == 200)
                    successAt.append(clock.elapsed());
            }
        }
        const qint64 killedAt = clock.elapsed();
        ::kill(pid_t(daemon.process.processId()), SIGKILL);
        QVERIFY(daemon.waitForExit(5000));
        const qint64 total = successAt.size();
        const qint64 lastSecond = std::count_if(successAt.begin(), successAt.end(), [&](qint64 t) { return t > killedAt - 1000; });

        // After a restart the database holds everything but at most the last second, each call once.
        DaemonProcess again;
        QVERIFY(again.start(db.url(), upstream.url()));
        QCOMPARE(HttpTestClient(again.port).send({"POST", "/v1/search", {{"X-API-Key", key.toLatin1()}}, R"({"q":"x"})"}).status, 200);
        ::kill(pid_t(again.process.processId()), SIGTERM);
        QVERIFY(again.waitForExit(15000));
        const Totals totals = stored(db);
        qInfo("%lld calls served before kill -9, %lld in its last second; %lld + 1 recorded", total, lastSecond, totals.requests - 1);
        QVERIFY2(totals.requests - 1 >= total - lastSecond, "more than the last second of usage was lost");
        QVERIFY2(totals.requests - 1 <= total, "usage counted twice");
        QCOMPARE(totals.credits, totals.requests);      // one credit per call, never twice
        QCOMPARE(totals.creditsUsed, totals.credits);   // the ledger and the usage agree
    }
};

QTEST_GUILESS_MAIN(TestDaemonLifecycle)
#include "tst_daemonlifecycle.moc"
