// tollgated serve as a process: SIGTERM drains and flushes; kill -9 under load loses at most ~1 s of usage
// and charges nothing twice after a restart; under systemd (Type=notify) it says READY, WATCHDOG and STOPPING;
// with no writable home it uses $STATE_DIRECTORY, and a database directory it cannot make is exit 2, not a retry loop.
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
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QDir>
#include <QFile>

#include <csignal>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

// The receiving end of $NOTIFY_SOCKET, as systemd holds it: an AF_UNIX datagram socket, one message a datagram.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path) : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        qstrncpy(address.sun_path, QFile::encodeName(path).constData(), sizeof address.sun_path);
        ::unlink(address.sun_path);
        m_bound = ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    }
    ~NotifySocket()
    {
        ::close(m_fd);
        ::unlink(QFile::encodeName(m_path).constData());
    }
    bool isBound() const { return m_bound; }
    // Every datagram received so far, appended to what came before.
    QList<QByteArray> &received()
    {
        char buffer[4096];
        ssize_t n;
        while ((n = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0)
            m_messages.append(QByteArray(buffer, n));
        return m_messages;
    }
    bool saw(const QByteArray &line)
    {
        for (const QByteArray &message : received()) {
            if (message.split('\n').contains(line))
                return true;
        }
        return false;
    }

private:
    QString m_path;
    int m_fd = -1;
    bool m_bound = false;
    QList<QByteArray> m_messages;
};

} // namespace

class TestDaemonLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // As systemd runs the unit: NOTIFY_SOCKET and WATCHDOG_USEC set, no writable HOME, STATE_DIRECTORY given.
    void systemdNotifyAndStateDirectory()
    {
        QTemporaryDir dir;
        NotifySocket notify(dir.filePath(QStringLiteral("notify")));
        QVERIFY(notify.isBound());
        FakeUpstream upstream;
        DaemonProcess daemon;
        const QString state = dir.filePath(QStringLiteral("state"));
        QDir().mkpath(state);
        QVERIFY(daemon.start(QString(), upstream.url(),
                             {QStringLiteral("NOTIFY_SOCKET=") + dir.filePath(QStringLiteral("notify")), QStringLiteral("WATCHDOG_USEC=400000"),
                              QStringLiteral("HOME=/proc"), QStringLiteral("STATE_DIRECTORY=") + state}));
        QVERIFY2(QTest::qWaitFor([&] { return notify.saw("READY=1"); }, 5000), "no READY=1");
        QVERIFY2(QFile::exists(state + QStringLiteral("/tollgate.db")), "the default database is not in $STATE_DIRECTORY");
        // Pings at half the watchdog interval (200 ms) from the main loop.
        QTest::qWait(1100);
        const qsizetype pings = std::count_if(notify.received().cbegin(), notify.received().cend(),
                                              [](const QByteArray &m) { return m == "WATCHDOG=1"; });
        QVERIFY2(pings >= 3, qPrintable(QStringLiteral("%1 watchdog pings in 1.1 s").arg(pings)));
        ::kill(pid_t(daemon.process.processId()), SIGTERM);
        QVERIFY(daemon.waitForExit(15000));
        QCOMPARE(daemon.process.exitCode(), 0);
        QVERIFY2(notify.saw("STOPPING=1"), "no STOPPING=1");
    }

    void unusableDatabaseDirectoryIsExitTwo()
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), QStringLiteral("/proc"));
        env.remove(QStringLiteral("STATE_DIRECTORY"));
        env.remove(QStringLiteral("DATABASE_URL"));
        env.remove(QStringLiteral("XDG_DATA_HOME"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(TOLLGATED_PATH), {QStringLiteral("serve"), QStringLiteral("--port"), QString::number(freePort())});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String("DATABASE_URL: cannot create directory")), qPrintable(err));
    }

    // A bad [routes] entry is judged like any other setting: one line on stderr naming it, exit 2.
    void badRoutesStopStartUp()
    {
        QTemporaryDir dir;
        QFile conf(dir.filePath(QStringLiteral("tollgate.conf")));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("LOG_LEVEL=info\n[routes]\nsearch.timeoutMs = soon\n");
        conf.close();
        QProcess process;
        process.start(QStringLiteral(TOLLGATED_PATH), {QStringLiteral("serve"), QStringLiteral("--config"), conf.fileName(),
                                                      QStringLiteral("--database-url"), QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db"))});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(err, QStringLiteral("tollgated: %1: [routes] search.timeoutMs: must be a positive number of milliseconds\n").arg(conf.fileName()));
    }

    // SIGHUP applies ACCESS_LOG and LOG_LEVEL from the file again; a keep-alive connection open across it keeps
    // working; a file that no longer reads leaves the running settings alone.
    void sighupReloads()
    {
        QTemporaryDir dir;
        const QString confPath = dir.filePath(QStringLiteral("tollgate.conf"));
        const auto writeConf = [&](const QByteArray &text) { QVERIFY(DaemonProcess::writeFile(confPath, text)); };
        writeConf("ACCESS_LOG=on\nLOG_LEVEL=info\n");
        FakeUpstream upstream;
        DaemonProcess daemon;
        daemon.stdoutFile = dir.filePath(QStringLiteral("stdout.log"));
        daemon.accessLogOff = false;
        const QString db = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db"));
        QVERIFY(daemon.start(db, upstream.url(), {QStringLiteral("LOG_FORMAT=json")}, {QStringLiteral("--config"), confPath}));
        const auto logText = [&] { return daemon.stdoutText(); };
        QTcpSocket kept;
        kept.connectToHost(QHostAddress::LocalHost, daemon.port);
        QVERIFY(kept.waitForConnected(3000));
        const auto callOnKept = [&](const QByteArray &requestId) {
            kept.write("GET /v1/search/engines HTTP/1.1\r\nHost: x\r\nX-Request-ID: " + requestId + "\r\n\r\n");
            QByteArray answer;
            QTest::qWaitFor([&] { kept.waitForReadyRead(50); answer += kept.readAll(); return answer.contains("\r\n\r\n"); }, 3000);
            return answer;
        };
        QVERIFY(callOnKept("before-reload").startsWith("HTTP/1.1 401"));
        QVERIFY2(QTest::qWaitFor([&] { return logText().contains("before-reload"); }, 3000), "no access-log line while ACCESS_LOG=on");

        writeConf("ACCESS_LOG=off\nLOG_LEVEL=debug\nHTTP_IDLE_TIMEOUT_MS=5000\n");
        ::kill(pid_t(daemon.process.processId()), SIGHUP);
        QVERIFY2(QTest::qWaitFor([&] { return logText().contains("reloaded: LOG_LEVEL debug ACCESS_LOG off"); }, 3000), logText().constData());
        QVERIFY2(logText().contains("only a restart applies them: HTTP_IDLE_TIMEOUT_MS"), "a setting that needs a restart was not called out");
        QVERIFY(callOnKept("after-reload").startsWith("HTTP/1.1 401"));
        QTest::qWait(500);  // the access log writes every 200 ms
        QVERIFY2(!logText().contains("after-reload"), "an access-log line after ACCESS_LOG=off");

        writeConf("LOG_LEVEL=loud\n");
        ::kill(pid_t(daemon.process.processId()), SIGHUP);
        QVERIFY(QTest::qWaitFor([&] { return logText().contains("reload refused, the running settings stay"); }, 3000));
        QVERIFY(callOnKept("still-serving").startsWith("HTTP/1.1 401"));
        QCOMPARE(daemon.process.state(), QProcess::Running);
        ::kill(pid_t(daemon.process.processId()), SIGTERM);
        QVERIFY(daemon.waitForExit(15000));
        QCOMPARE(daemon.process.exitCode(), 0);
    }

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
