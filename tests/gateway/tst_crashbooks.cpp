// The books after kill -9 (issue 8 §5): the real `tollgated serve`, many concurrent /v1/search calls, killed
// mid-load and restarted several times. After every kill, and at the end, each key's credit_periods.credits_used
// equals the credits of its usage_daily rows exactly, and no key was charged more than the 2xx answers its
// clients received. Meanwhile every committed state is sampled: each is what a kill at that moment would leave.
#include "BlockingHttp.h"
#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "GatewayFixture.h"
#include "HttpTestClient.h"
#include "TestDatabase.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTest>


#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

using namespace tollgate;
using namespace tollgate::test;

namespace {

constexpr int kKills = 4;
constexpr int kClientThreads = 24;
constexpr qint64 kSmallAllowance = 300;

// Many small commits: a kill lands between two of them far more often than with the default 1 s.
const QStringList DaemonSettings{QStringLiteral("LOG_LEVEL=warning"), QStringLiteral("USAGE_FLUSH_INTERVAL_MS=50")};

// Per key: credits_used over all periods, and the credits, requests of its usage_daily rows; plus whether
// every (key, period) pair agrees on its own.
struct KeyBooks
{
    qint64 creditsUsed = 0;
    qint64 usageCredits = 0;
    qint64 usageRequests = 0;
};

struct Books
{
    QHash<QString, KeyBooks> keys;
    QStringList periodMismatches;
};

Books readBooks(const TestDatabase &db)
{
    Books books;
    {
        QSqlDatabase c = db.open(QStringLiteral("books"));
        QSqlQuery q(c);
        QHash<QString, qint64> used;
        QHash<QString, qint64> usage;
        q.exec(QStringLiteral("SELECT key_id, period, credits_used FROM credit_periods"));
        while (q.next()) {
            books.keys[q.value(0).toString()].creditsUsed += q.value(2).toLongLong();
            if (q.value(2).toLongLong())
                used[q.value(0).toString() + QLatin1Char('|') + q.value(1).toString()] = q.value(2).toLongLong();
        }
        q.exec(QStringLiteral("SELECT key_id, substr(day, 1, 7), SUM(credits), SUM(requests) FROM usage_daily"
                              " GROUP BY key_id, substr(day, 1, 7)"));
        while (q.next()) {
            KeyBooks &k = books.keys[q.value(0).toString()];
            k.usageCredits += q.value(2).toLongLong();
            k.usageRequests += q.value(3).toLongLong();
            if (q.value(2).toLongLong())
                usage[q.value(0).toString() + QLatin1Char('|') + q.value(1).toString()] = q.value(2).toLongLong();
        }
        for (auto it = used.constBegin(); it != used.constEnd(); ++it) {
            if (usage.value(it.key()) != it.value())
                books.periodMismatches.append(QStringLiteral("%1: used %2, usage %3").arg(it.key()).arg(it.value()).arg(usage.value(it.key())));
        }
        for (auto it = usage.constBegin(); it != usage.constEnd(); ++it) {
            if (!used.contains(it.key()))
                books.periodMismatches.append(QStringLiteral("%1: used 0, usage %2").arg(it.key()).arg(it.value()));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("books"));
    return books;
}

// Watches the database while the daemon runs: every committed state is what a kill at that instant would
// leave, so each one is read (both sums in one statement, hence one snapshot) and must agree per key.
struct Sampler
{
    std::atomic<bool> running{true};
    std::atomic<qint64> samples{0};
    std::atomic<qint64> mismatches{0};
    QString firstMismatch;  // written by the thread, read after join()
    std::thread thread;

    void start(const TestDatabase &db)
    {
        thread = std::thread([this, &db] {
            {
                QSqlDatabase c = db.open(QStringLiteral("sampler"));
                QSqlQuery q(c);
                while (running.load()) {
                    if (q.exec(QStringLiteral(
                            "SELECT k.id, (SELECT COALESCE(SUM(credits_used), 0) FROM credit_periods p WHERE p.key_id = k.id),"
                            " (SELECT COALESCE(SUM(credits), 0) FROM usage_daily u WHERE u.key_id = k.id) FROM api_keys k"))) {
                        while (q.next()) {
                            if (q.value(1).toLongLong() != q.value(2).toLongLong() && mismatches.fetch_add(1) == 0) {
                                firstMismatch = QStringLiteral("key %1: credits_used %2, usage_daily credits %3")
                                                    .arg(q.value(0).toString()).arg(q.value(1).toLongLong()).arg(q.value(2).toLongLong());
                            }
                        }
                        samples.fetch_add(1);
                    }
                    q.finish();
                    std::this_thread::sleep_for(std::chrono::milliseconds(3));
                }
            }
            QSqlDatabase::removeDatabase(QStringLiteral("sampler"));
        });
    }
    void stop()
    {
        running.store(false);
        if (thread.joinable())
            thread.join();
    }
};

using TestKey = CliRunner::CreatedKey;

TestKey createKey(const TestDatabase &db, const QString &name, const QString &tier)
{
    return CliRunner(db.url()).createKey(name, tier);
}

// One blocking call on its own connection; the status line's code, or 0 when no whole answer came.
int postSearch(quint16 port, const QByteArray &rawKey)
{
    return blockingRequest(port, "POST", "/v1/search", {{"X-API-Key", rawKey}, {"Content-Type", "application/json"}},
                           R"({"q":"x"})").status;
}

} // namespace

class TestCrashBooks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The fake upstream's server says so each time a kill cuts one of its connections.
    void initTestCase() { QLoggingCategory::setFilterRules(QStringLiteral("tollgate.server.http.debug=false")); }

    void killNineKeepsBooksExact_data() { TestDatabase::addBackendRows(); }
    void killNineKeepsBooksExact()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        FakeUpstream upstream;
        CliRunner(db.url()).run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("load"), QStringLiteral("--rate"),
                                 QStringLiteral("1000000"), QStringLiteral("--credits"), QStringLiteral("100000000"),
                                 QStringLiteral("--endpoints"), QStringLiteral("search")});
        CliRunner(db.url()).run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("small"), QStringLiteral("--rate"),
                                 QStringLiteral("1000000"), QStringLiteral("--credits"), QString::number(kSmallAllowance),
                                 QStringLiteral("--endpoints"), QStringLiteral("search")});
        // Three keys that never run out, and one that does (402s under concurrency).
        QList<TestKey> keys;
        for (int i = 0; i < 3; ++i)
            keys.append(createKey(db, QStringLiteral("load%1").arg(i), QStringLiteral("load")));
        keys.append(createKey(db, QStringLiteral("small"), QStringLiteral("small")));
        for (const TestKey &k : keys)
            QVERIFY2(!k.raw.isEmpty() && !k.id.isEmpty(), "key not created");
        const QString smallId = keys.last().id;

        // Clients: each thread sends calls back to back on fresh connections, through kills and restarts.
        std::atomic<quint16> port{0};
        std::atomic<bool> loading{true};
        std::vector<std::atomic<qint64>> seen2xx(size_t(keys.size()));
        std::vector<std::atomic<qint64>> seen402(size_t(keys.size()));
        std::atomic<qint64> unanswered{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < kClientThreads; ++t) {
            clients.emplace_back([&, t] {
                for (int i = t; loading.load(); ++i) {
                    const quint16 p = port.load();
                    if (!p) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(5));
                        continue;
                    }
                    const size_t k = size_t(i % keys.size());
                    const int status = postSearch(p, keys.at(qsizetype(k)).raw.toLatin1());
                    if (status >= 200 && status < 300)
                        seen2xx[k].fetch_add(1);
                    else if (status == 402)
                        seen402[k].fetch_add(1);
                    else if (status == 0) {
                        unanswered.fetch_add(1);
                        std::this_thread::sleep_for(std::chrono::milliseconds(2));
                    }
                }
            });
        }
        const auto stopClients = qScopeGuard([&] {
            loading.store(false);
            for (std::thread &c : clients)
                c.join();
        });

        const auto checkBooks = [&](const QString &when) {
            const Books books = readBooks(db);
            QVERIFY2(books.periodMismatches.isEmpty(), qPrintable(when + QLatin1String(": ") + books.periodMismatches.join(QLatin1String("; "))));
            for (qsizetype i = 0; i < keys.size(); ++i) {
                const KeyBooks k = books.keys.value(keys.at(i).id);
                const qint64 seen = seen2xx[size_t(i)].load();
                qInfo("%s, key %lld: credits_used %lld, usage_daily credits %lld (requests %lld), 2xx seen %lld",
                      qPrintable(when), qint64(i), k.creditsUsed, k.usageCredits, k.usageRequests, seen);
                QVERIFY2(k.creditsUsed == k.usageCredits, qPrintable(when + QLatin1String(": credits_used and usage_daily disagree")));
                QVERIFY2(k.usageCredits <= seen, qPrintable(when + QLatin1String(": charged more than the 2xx answers seen")));
                // One credit per charged call, once: a key that never runs out has one per request recorded.
                if (keys.at(i).id != smallId)
                    QVERIFY2(k.usageCredits == k.usageRequests, qPrintable(when + QLatin1String(": a call charged other than once")));
            }
            QVERIFY2(books.keys.value(smallId).creditsUsed <= kSmallAllowance, "the small key spent more than it has");
        };

        Sampler sampler;
        sampler.start(db);
        const auto stopSampler = qScopeGuard([&] { sampler.stop(); });

        QElapsedTimer total;
        total.start();
        DaemonProcess daemon;
        QVERIFY(daemon.start(db.url(), upstream.url(), DaemonSettings));
        for (int kill = 1; kill <= kKills; ++kill) {
            port.store(daemon.port);
            // Mid-load, at a moment the flush interval does not line up with.
            QTest::qWait(700 + QRandomGenerator::global()->bounded(600));
            ::kill(pid_t(daemon.process.processId()), SIGKILL);
            QVERIFY(daemon.waitForExit(5000));
            port.store(0);
            QTest::qWait(300);  // let the clients take in the answers that arrived before the kill
            checkBooks(QStringLiteral("after kill %1").arg(kill));
            if (QTest::currentTestFailed())
                return;
            upstream.clear();
            QVERIFY(daemon.start(db.url(), upstream.url(), DaemonSettings));
        }
        // A last stretch of load, then a clean stop: everything the last run charged is written.
        port.store(daemon.port);
        QTest::qWait(500);
        port.store(0);
        QTest::qWait(300);
        ::kill(pid_t(daemon.process.processId()), SIGTERM);
        QVERIFY(daemon.waitForExit(15000));
        QCOMPARE(daemon.process.exitCode(), 0);
        checkBooks(QStringLiteral("after SIGTERM"));
        qint64 all2xx = 0;
        qint64 all402 = 0;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            all2xx += seen2xx[size_t(i)].load();
            all402 += seen402[size_t(i)].load();
        }
        sampler.stop();
        qInfo("%s: %d kills in %lld ms; %lld 2xx, %lld 402, %lld unanswered calls; %lld committed states sampled, %lld disagreed",
              qPrintable(backend), kKills, total.elapsed(), all2xx, all402, unanswered.load(), sampler.samples.load(),
              sampler.mismatches.load());
        QVERIFY2(sampler.mismatches.load() == 0, qPrintable(sampler.firstMismatch));
        QVERIFY(sampler.samples.load() > 100);
        QVERIFY2(all2xx > 1000, "too little load to mean anything");
        QVERIFY2(seen402[size_t(keys.size() - 1)].load() > 0, "the small key never ran out");
    }
};

QTEST_GUILESS_MAIN(TestCrashBooks)
#include "tst_crashbooks.moc"
