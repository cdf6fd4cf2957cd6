// The operator's side of the real daemon (issue 11 §3, §2): OPS_PORT takes /metrics and /health* off the public
// port; every metric family comes from the one catalogue; bytes in and out are counted per route; SIGHUP applies a
// changed [routes] section to the next call, and a bad one leaves the running routes alone.
#include "BlockingHttp.h"
#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "GatewayFixture.h"

#include "server/ops/MetricCatalog.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tollgate;
using namespace tollgate::test;

namespace {

// The value of one sample in a Prometheus text page, or -1 when the page has no such line.
double sample(const QByteArray &page, const QByteArray &series)
{
    for (const QByteArray &line : page.split('\n')) {
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}

QByteArray metricsOf(quint16 port)
{
    return blockingRequest(port, "GET", "/metrics").body;
}

} // namespace

class TestOpsPort : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opsPortServesOnlyOps()
    {
        QTemporaryDir dir;
        FakeUpstream upstream;
        DaemonProcess daemon;
        daemon.withOpsPort = true;
        QVERIFY(daemon.start(QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db")), upstream.url()));
        QVERIFY(daemon.opsPort != 0 && daemon.opsPort != daemon.port);

        // The public port: the API answers, the ops paths are unknown there (404, not 403: nothing to find).
        for (const QByteArray path : {"/metrics", "/health", "/health/live", "/health/ready"}) {
            const HttpTestResponse r = blockingRequest(daemon.port, "GET", path);
            QVERIFY2(r.status == 404, path.constData());
            QCOMPARE(r.errorCode(), QByteArray("NOT_FOUND"));
        }
        QCOMPARE(blockingRequest(daemon.port, "GET", "/v1/search/engines").status, 401);

        // The ops port: those four and nothing else.
        const HttpTestResponse metrics = blockingRequest(daemon.opsPort, "GET", "/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.header("content-type").startsWith("text/plain; version=0.0.4"));
        QVERIFY(metrics.body.contains("# TYPE tollgate_requests_total counter"));
        const HttpTestResponse health = blockingRequest(daemon.opsPort, "GET", "/health");
        QCOMPARE(health.status, 200);
        QVERIFY2(health.body.contains("\"version\""), health.body.constData());
        QCOMPARE(blockingRequest(daemon.opsPort, "GET", "/health/live").status, 200);
        QCOMPARE(blockingRequest(daemon.opsPort, "GET", "/health/ready").status, 200);
        const HttpTestResponse post = blockingRequest(daemon.opsPort, "POST", "/metrics", {}, "x");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("allow"), QByteArray("GET, HEAD"));
        for (const QByteArray path : {"/v1/search/engines", "/api-keys", "/admin/status", "/openapi.json"}) {
            const HttpTestResponse r = blockingRequest(daemon.opsPort, "GET", path);
            QVERIFY2(r.status == 404, path.constData());
        }
        ::kill(pid_t(daemon.process.processId()), SIGTERM);
        QVERIFY(daemon.waitForExit(15000));
        QCOMPARE(daemon.process.exitCode(), 0);
    }

    // Without OPS_PORT they stay where they were, on the one port; POST is 405 with Allow.
    void withoutOpsPortOnThePublicPort()
    {
        QTemporaryDir dir;
        FakeUpstream upstream;
        DaemonProcess daemon;
        QVERIFY(daemon.start(QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db")), upstream.url()));
        QCOMPARE(blockingRequest(daemon.port, "GET", "/metrics").status, 200);
        QCOMPARE(blockingRequest(daemon.port, "GET", "/health").status, 200);
        const HttpTestResponse post = blockingRequest(daemon.port, "DELETE", "/health");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("allow"), QByteArray("GET, HEAD"));
    }

    void opsPortEqualToPortIsExitTwo()
    {
        QTemporaryDir dir;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PORT"), QStringLiteral("38111"));
        env.insert(QStringLiteral("OPS_PORT"), QStringLiteral("38111"));
        env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db")));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(TOLLGATED_PATH), {QStringLiteral("serve")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(process.readAllStandardError()),
                 QStringLiteral("tollgated: OPS_PORT: must differ from PORT (38111)\n"));
        env.insert(QStringLiteral("OPS_PORT"), QStringLiteral("70000"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(TOLLGATED_PATH), {QStringLiteral("serve")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("OPS_PORT: invalid value \"70000\": not a port"));
    }

    // The families the daemon exports are exactly the catalogue's, each with its declared type.
    void everyFamilyFromTheCatalogue()
    {
        QTemporaryDir dir;
        FakeUpstream upstream;
        DaemonProcess daemon;
        QVERIFY(daemon.start(QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db")), upstream.url()));
        const QByteArray page = metricsOf(daemon.port);
        QSet<QByteArray> exported;
        static const QRegularExpression type(QStringLiteral("^# TYPE (\\S+) (\\S+)$"), QRegularExpression::MultilineOption);
        for (auto it = type.globalMatch(QString::fromLatin1(page)); it.hasNext();) {
            const auto m = it.next();
            exported.insert(m.captured(1).toLatin1() + ' ' + m.captured(2).toLatin1());
        }
        QSet<QByteArray> declared;
        for (const ops::MetricFamily *family : ops::metricCatalog()) {
            const char *kind = family->type == ops::MetricFamily::Type::Counter ? "counter"
                : family->type == ops::MetricFamily::Type::Gauge               ? "gauge"
                                                                               : "histogram";
            declared.insert(QByteArray(family->name) + ' ' + kind);
        }
        QCOMPARE(exported, declared);
    }

    // Body bytes per route: what the client sent and what it got back, in bytes.
    void bytesInAndOutPerRoute()
    {
        QTemporaryDir dir;
        const QString db = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db"));
        FakeUpstream upstream;
        DaemonProcess daemon;
        QVERIFY(daemon.start(db, upstream.url()));
        CliRunner cli(db);
        cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("load"), QStringLiteral("--rate"),
                 QStringLiteral("100000"), QStringLiteral("--credits"), QStringLiteral("100000"), QStringLiteral("--endpoints"),
                 QStringLiteral("search")});
        const QByteArray key = cli.createKey(QStringLiteral("bytes"), QStringLiteral("load")).raw.toLatin1();
        QVERIFY(key.startsWith("sk_"));
        QTest::qWait(2500);  // a key made by another process reaches the daemon within 2 s
        qint64 sentBytes = 0, receivedBytes = 0;
        for (int i = 0; i < 5; ++i) {
            const QByteArray body = "{\"query\":\"" + QByteArray(100 * (i + 1), 'q') + "\"}";
            const HttpTestResponse r = blockingRequest(daemon.port, "POST", "/v1/search",
                                                       {{"X-API-Key", key}, {"Content-Type", "application/json"}}, body);
            QCOMPARE(r.status, 200);
            sentBytes += body.size();
            receivedBytes += r.body.size();
        }
        const QByteArray page = metricsOf(daemon.port);
        QCOMPARE(sample(page, "tollgate_request_bytes_total{route=\"/v1/search\"}"), double(sentBytes));
        QCOMPARE(sample(page, "tollgate_response_bytes_total{route=\"/v1/search\"}"), double(receivedBytes));
        QVERIFY(receivedBytes > 0);
    }

    // SIGHUP re-reads [routes]: the next call goes where the file now says; a bad entry refuses the reload.
    void sighupReloadsRoutes()
    {
        QTemporaryDir dir;
        const QString db = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db"));
        const QString confPath = dir.filePath(QStringLiteral("tollgate.conf"));
        const auto writeConf = [&](const QByteArray &text) { QVERIFY(DaemonProcess::writeFile(confPath, text)); };
        writeConf("[routes]\nsearch.upstreamPath = /first/search\n");
        FakeUpstream upstream;
        DaemonProcess daemon;
        daemon.stdoutFile = dir.filePath(QStringLiteral("stdout.log"));
        QVERIFY(daemon.start(db, upstream.url(), {}, {QStringLiteral("--config"), confPath}));
        const auto logText = [&] { return daemon.stdoutText(); };
        CliRunner cli(db);
        const QByteArray key = cli.createKey(QStringLiteral("routes"), QStringLiteral("pro")).raw.toLatin1();
        QTest::qWait(2500);
        const auto search = [&] {
            upstream.clear();
            const HttpTestResponse r = blockingRequest(daemon.port, "POST", "/v1/search",
                                                       {{"X-API-Key", key}, {"Content-Type", "application/json"}},
                                                       "{\"query\":\"q\"}");
            return r.status == 200 && !upstream.requests().isEmpty() ? upstream.last().target : QByteArray::number(r.status);
        };
        QCOMPARE(search(), QByteArray("/first/search"));

        writeConf("[routes]\nsearch.upstreamPath = /second/search\n");
        ::kill(pid_t(daemon.process.processId()), SIGHUP);
        QVERIFY2(QTest::qWaitFor([&] { return logText().contains("[routes] 1 overrides"); }, 3000), logText().constData());
        QVERIFY2(!logText().contains("only a restart applies them: [routes]"), logText().constData());
        QCOMPARE(search(), QByteArray("/second/search"));

        writeConf("[routes]\nsearch.upstreamPath = no-slash\n");
        ::kill(pid_t(daemon.process.processId()), SIGHUP);
        QVERIFY(QTest::qWaitFor([&] { return logText().contains("[routes] search.upstreamPath: must be a path"); }, 3000));
        QVERIFY(logText().contains("reload refused, the running settings stay"));
        QCOMPARE(search(), QByteArray("/second/search"));
        QCOMPARE(daemon.process.state(), QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TestOpsPort)
#include "tst_opsport.moc"
