// Several gateways as one (issue 10): three real `tollgated serve` processes on one PostgreSQL and one Redis, all on
// loopback, started and stopped here (PostgreSQL by scripts/test.sh, Redis and the upstreams by this test). What a
// load balancer in front of them would see: shared rate limits, exact shared credits, revocation everywhere within
// a second, a gateway killed with -9, Redis stopped under load, an upstream instance killed, per-endpoint limits.
#include "BlockingHttp.h"
#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "GatewayFixture.h"
#include "RedisProcess.h"
#include "TestDatabase.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QScopeGuard>
#include <QTest>

#include <atomic>
#include <csignal>
#include <memory>
#include <thread>
#include <vector>

using namespace tollgate;
using namespace tollgate::test;

namespace {

constexpr int kGateways = 3;

using TestKey = CliRunner::CreatedKey;

// Calls spread over the gateways by many client threads, each answer's status kept with when it came.
class Load
{
public:
    struct Answer
    {
        qint64 atMs;
        int status;
    };

    Load(std::vector<quint16> ports, QByteArray key, QByteArray target = "/v1/search", QByteArray body = R"({"q":"x"})")
        : m_ports(std::move(ports)), m_key(std::move(key)), m_target(std::move(target)), m_body(std::move(body))
    {
    }
    ~Load() { stop(); }

    void start(int threads, int pauseMs = 0)
    {
        m_clock.start();
        for (int t = 0; t < threads; ++t) {
            m_threads.emplace_back([this, t, pauseMs] {
                for (size_t i = size_t(t); m_running.load(); ++i) {
                    const quint16 port = m_ports.at(i % m_ports.size());
                    const HttpTestResponse r = blockingRequest(port, "POST", m_target,
                                                               {{"X-API-Key", m_key}, {"Content-Type", "application/json"}}, m_body);
                    {
                        QMutexLocker lock(&m_mutex);
                        m_answers.push_back({m_clock.elapsed(), r.status});
                    }
                    if (pauseMs)
                        std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
                }
            });
        }
    }
    void stop()
    {
        m_running.store(false);
        for (std::thread &t : m_threads)
            t.join();
        m_threads.clear();
    }
    qint64 elapsedMs() const { return m_clock.elapsed(); }
    // Answers with status in [low, high] that came at or after fromMs.
    qint64 count(int low, int high, qint64 fromMs = 0) const
    {
        QMutexLocker lock(&m_mutex);
        qint64 n = 0;
        for (const Answer &a : m_answers)
            n += a.atMs >= fromMs && a.status >= low && a.status <= high;
        return n;
    }
    qint64 total() const
    {
        QMutexLocker lock(&m_mutex);
        return qint64(m_answers.size());
    }

private:
    std::vector<quint16> m_ports;
    QByteArray m_key;
    QByteArray m_target;
    QByteArray m_body;
    QElapsedTimer m_clock;
    std::atomic<bool> m_running{true};
    std::vector<std::thread> m_threads;
    mutable QMutex m_mutex;
    std::vector<Answer> m_answers;
};

class Cluster
{
public:
    explicit Cluster(const TestDatabase &db) : m_db(db) {}

    const TestDatabase &m_db;
    RedisProcess redis;
    std::vector<std::unique_ptr<FakeUpstream>> upstreams;
    std::vector<std::unique_ptr<DaemonProcess>> gateways;
    QStringList extraSettings;

    bool start(int upstreamInstances = 1)
    {
        if (!redis.start())
            return false;
        for (int i = 0; i < upstreamInstances; ++i)
            upstreams.push_back(std::make_unique<FakeUpstream>());
        for (int i = 0; i < kGateways; ++i) {
            gateways.push_back(std::make_unique<DaemonProcess>());
            if (!startGateway(i))
                return false;
        }
        return true;
    }

    bool startGateway(int i)
    {
        QStringList urls;
        for (const auto &u : upstreams)
            urls << QStringLiteral("http://127.0.0.1:%1").arg(u->port());
        const QString upstreamList = urls.join(QLatin1Char(','));
        QStringList settings{QStringLiteral("LOG_LEVEL=warning"),
                             QStringLiteral("RATE_LIMIT_BACKEND=redis"),
                             QStringLiteral("REDIS_URL=") + redis.url(),
                             QStringLiteral("STT_SERVICE_URL=") + upstreamList,
                             QStringLiteral("TTS_SERVICE_URL=") + upstreamList,
                             QStringLiteral("UPSTREAM_HEALTH_INTERVAL_MS=300"),
                             QStringLiteral("UPSTREAM_FAILURES_TO_OPEN=2"),
                             QStringLiteral("UPSTREAM_OPEN_MS=1000"),
                             QStringLiteral("USAGE_FLUSH_INTERVAL_MS=100")};
        settings += extraSettings;
        return gateways.at(size_t(i))->start(m_db.url(), upstreamList.toLatin1(), settings);
    }

    std::vector<quint16> ports() const
    {
        std::vector<quint16> out;
        for (const auto &g : gateways)
            out.push_back(g->port);
        return out;
    }

    CliResult cli(const QStringList &arguments) const { return CliRunner(m_db.url()).run(arguments); }

    bool setTier(const QString &slug, int rate, int windowSeconds, qint64 credits, const QStringList &more = {}) const
    {
        return cli(QStringList{QStringLiteral("tiers"), QStringLiteral("set"), slug, QStringLiteral("--rate"), QString::number(rate),
                               QStringLiteral("--window"), QString::number(windowSeconds), QStringLiteral("--credits"),
                               QString::number(credits), QStringLiteral("--endpoints"), QStringLiteral("search,stt")}
                   + more)
                   .exitCode
            == 0;
    }

    TestKey createKey(const QString &tier) const { return CliRunner(m_db.url()).createKey(tier, tier); }

    QJsonObject showKey(const QString &id) const
    {
        return cli({QStringLiteral("keys"), QStringLiteral("show"), id, QStringLiteral("--json")}).json().object();
    }

    QString adminToken() const
    {
        return cli({QStringLiteral("admin-token"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("cluster"),
                    QStringLiteral("--json")})
            .json()
            .object()[QLatin1String("token")]
            .toString();
    }

    // Every gateway has applied the tiers just set (they read them at start; a tier set later reaches them
    // through the change feed): a call with the key answers something other than 401 on each.
    bool keyWorksEverywhere(const TestKey &key) const
    {
        for (const quint16 port : ports()) {
            const bool ok = QTest::qWaitFor([&] {
                return blockingRequest(port, "GET", "/v1/search/engines", {{"X-API-Key", key.raw.toLatin1()}}).status == 200;
            }, 5000);
            if (!ok)
                return false;
        }
        return true;
    }
};

int search(quint16 port, const TestKey &key)
{
    return blockingRequest(port, "POST", "/v1/search", {{"X-API-Key", key.raw.toLatin1()}, {"Content-Type", "application/json"}},
                           R"({"q":"x"})")
        .status;
}

QJsonObject health(quint16 port)
{
    return QJsonDocument::fromJson(blockingRequest(port, "GET", "/health").body).object();
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;

    bool freshDatabase()
    {
        m_db = std::make_unique<TestDatabase>(QStringLiteral("postgresql"));
        return m_db->isAvailable();
    }

private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(QStringLiteral("tollgate.*.debug=false")); }

    void init()
    {
        if (!freshDatabase()) {
            if (TestDatabase::postgresRequired())
                QFAIL(qPrintable(m_db->unavailableReason()));
            QSKIP(qPrintable(QStringLiteral("PostgreSQL not available: ") + m_db->unavailableReason()));
        }
    }

    // 30 per minute over all three admits 30, however the calls are spread.
    void rateLimitIsSharedByAll()
    {
        Cluster c(*m_db);
        QVERIFY(c.setTier(QStringLiteral("thirty"), 30, 60, 1000000));
        QVERIFY(c.start());
        const TestKey key = c.createKey(QStringLiteral("thirty"));
        QVERIFY(c.keyWorksEverywhere(key));
        std::atomic<int> ok{0}, limited{0}, other{0};
        std::vector<std::thread> clients;
        const std::vector<quint16> ports = c.ports();
        for (int t = 0; t < 30; ++t) {
            clients.emplace_back([&, t] {
                for (int i = 0; i < 3; ++i) {
                    const int status = search(ports.at(size_t(t + i) % ports.size()), key);
                    (status == 200 ? ok : status == 429 ? limited : other).fetch_add(1);
                }
            });
        }
        for (std::thread &t : clients)
            t.join();
        // keyWorksEverywhere() made one admitted call on each gateway: they count in the same window.
        qInfo("90 calls over %d gateways against 30/min, after %d warm-up calls: %d admitted, %d refused 429, %d other",
              kGateways, kGateways, ok.load(), limited.load(), other.load());
        QCOMPARE(other.load(), 0);
        QCOMPARE(ok.load(), 30 - kGateways);
        QCOMPARE(limited.load(), 60 + kGateways);
    }

    // 60 concurrent calls over the three against 10 credits serve exactly 10 in total, and the last credits are
    // usable from any gateway (nothing stays stranded on one).
    void creditsAreSharedExactly()
    {
        Cluster c(*m_db);
        QVERIFY(c.setTier(QStringLiteral("ten"), 1000000, 60, 10));
        QVERIFY(c.start());
        const TestKey key = c.createKey(QStringLiteral("ten"));
        QVERIFY(c.keyWorksEverywhere(key));
        const std::vector<quint16> ports = c.ports();
        std::atomic<int> burstOk{0}, burst402{0}, other{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < 60; ++t) {
            clients.emplace_back([&, t] {
                const int status = search(ports.at(size_t(t) % ports.size()), key);
                (status == 200 ? burstOk : status == 402 ? burst402 : other).fetch_add(1);
            });
        }
        for (std::thread &t : clients)
            t.join();
        QCOMPARE(other.load(), 0);
        QVERIFY2(burstOk.load() <= 10, "the burst spent more credits than the key has");
        // Then one call at a time, round the gateways, until each of them refuses twice in a row: the credits
        // another gateway leased come back within 2 s.
        int sequentialOk = 0;
        QElapsedTimer clock;
        clock.start();
        int refusalsInARow = 0;
        for (size_t i = 0; refusalsInARow < 2 * kGateways && clock.elapsed() < 8000; ++i) {
            const int status = search(ports.at(i % ports.size()), key);
            QVERIFY2(status == 200 || status == 402, qPrintable(QString::number(status)));
            if (status == 200) {
                ++sequentialOk;
                refusalsInARow = 0;
            } else if (++refusalsInARow >= kGateways && burstOk.load() + sequentialOk < 10) {
                refusalsInARow = 0;  // a lease not yet back; keep asking
                QTest::qWait(200);
            }
        }
        qInfo("10 credits over %d gateways: burst of 60 served %d (%d refused 402), then %d one at a time; %lld ms",
              kGateways, burstOk.load(), burst402.load(), sequentialOk, clock.elapsed());
        QCOMPARE(burstOk.load() + sequentialOk, 10);
        QTest::qWait(500);  // usage written behind
        const QJsonObject shown = c.showKey(key.id);
        QCOMPARE(shown.value(QStringLiteral("creditsUsed")).toInteger(-1), 10);
        QCOMPARE(shown.value(QStringLiteral("creditsRemaining")).toInteger(-1), 0);
    }

    // A key revoked through one gateway's admin API is refused by the other two within a second.
    void revocationReachesEveryGatewayWithinOneSecond()
    {
        Cluster c(*m_db);
        QVERIFY(c.start());
        const QString token = c.adminToken();
        QVERIFY(!token.isEmpty());
        const TestKey key = c.createKey(QStringLiteral("pro"));
        QVERIFY(c.keyWorksEverywhere(key));
        const std::vector<quint16> ports = c.ports();
        QElapsedTimer clock;
        clock.start();
        const HttpTestResponse revoked = blockingRequest(ports.at(0), "DELETE", "/admin/api-keys/" + key.id.toLatin1(),
                                                         {{"Authorization", "Bearer " + token.toLatin1()}});
        QVERIFY2(revoked.status == 200 || revoked.status == 204, revoked.body.constData());
        for (size_t g = 1; g < ports.size(); ++g) {
            const bool refused = QTest::qWaitFor([&] {
                return blockingRequest(ports.at(g), "GET", "/v1/search/engines", {{"X-API-Key", key.raw.toLatin1()}}).status == 401;
            }, 3000);
            qInfo("gateway %d refuses the revoked key after %lld ms", int(g), clock.elapsed());
            QVERIFY(refused);
            QVERIFY2(clock.elapsed() < 1000, "a revocation took a second or more to reach another gateway");
        }
    }

    // kill -9 of one gateway under load, then restarted: the books stay exact.
    void killedGatewayLosesNoCredits()
    {
        Cluster c(*m_db);
        constexpr qint64 kCredits = 300;
        c.extraSettings << QStringLiteral("CREDIT_LEASE_TTL_MS=3000");
        QVERIFY(c.setTier(QStringLiteral("books"), 1000000, 60, kCredits));
        QVERIFY(c.start());
        const TestKey key = c.createKey(QStringLiteral("books"));
        QVERIFY(c.keyWorksEverywhere(key));
        Load load(c.ports(), key.raw.toLatin1());
        load.start(12, 5);
        QTest::qWait(800);
        DaemonProcess &victim = *c.gateways.at(1);
        ::kill(pid_t(victim.process.processId()), SIGKILL);
        QVERIFY(victim.waitForExit(5000));
        QTest::qWait(300);
        QVERIFY(c.startGateway(1));
        QTest::qWait(800);
        load.stop();
        const qint64 served = load.count(200, 299);
        QTest::qWait(4500);  // the dead gateway's lease expires, usage is written behind
        const QJsonObject shown = c.showKey(key.id);
        const qint64 used = shown.value(QStringLiteral("creditsUsed")).toInteger(-1);
        const qint64 remaining = shown.value(QStringLiteral("creditsRemaining")).toInteger(-1);
        qInfo("kill -9 under load: %lld calls, %lld served, used %lld + remaining %lld of %lld", load.total(), served, used,
              remaining, kCredits);
        QVERIFY2(used <= served, "charged more credits than calls served");
        QCOMPARE(used + remaining, kCredits);
    }

    // Redis stopped and restarted under load: in the default `local` mode no client sees a 5xx; /health says
    // degraded meanwhile and ok again after.
    void redisOutageCostsNoClientAnError()
    {
        Cluster c(*m_db);
        QVERIFY(c.setTier(QStringLiteral("many"), 1000000, 60, 100000000));
        QVERIFY(c.start());
        const TestKey key = c.createKey(QStringLiteral("many"));
        QVERIFY(c.keyWorksEverywhere(key));
        Load load(c.ports(), key.raw.toLatin1());
        load.start(6, 5);
        QTest::qWait(500);
        const quint16 redisPort = c.redis.port;
        c.redis.stop();
        const std::vector<quint16> ports = c.ports();
        for (const quint16 port : ports) {
            QVERIFY2(QTest::qWaitFor([&] { return health(port).value(QStringLiteral("status")).toString() == QLatin1String("degraded"); }, 5000),
                     "a gateway did not say degraded with Redis gone");
            QCOMPARE(health(port).value(QStringLiteral("redis")).toString(), QStringLiteral("down"));
        }
        QTest::qWait(1000);
        QVERIFY(c.redis.start(redisPort));
        for (const quint16 port : ports)
            QVERIFY2(QTest::qWaitFor([&] { return health(port).value(QStringLiteral("status")).toString() == QLatin1String("ok"); }, 10000),
                     "a gateway did not come back to Redis by itself");
        QTest::qWait(500);
        load.stop();
        qInfo("Redis outage under load: %lld calls, %lld 2xx, %lld 5xx, %lld unanswered", load.total(), load.count(200, 299),
              load.count(500, 599), load.count(0, 0));
        QCOMPARE(load.count(500, 599), 0);
        QCOMPARE(load.count(0, 0), 0);
        QVERIFY(c.redis.command("DBSIZE\r\n").startsWith(":"));
    }

    // One of three upstream instances killed under load: no 5xx once it is known dead, and it gets traffic again
    // after it returns.
    void deadUpstreamInstanceCostsNoClientAnError()
    {
        Cluster c(*m_db);
        QVERIFY(c.setTier(QStringLiteral("many"), 1000000, 60, 100000000));
        QVERIFY(c.start(3));
        const TestKey key = c.createKey(QStringLiteral("many"));
        QVERIFY(c.keyWorksEverywhere(key));
        Load load(c.ports(), key.raw.toLatin1());
        load.start(6, 2);
        QTest::qWait(700);
        const quint16 deadPort = c.upstreams.at(2)->port();
        c.upstreams.at(2).reset();
        const qint64 killedAt = load.elapsedMs();
        QTest::qWait(2500);
        c.upstreams.at(2) = std::make_unique<FakeUpstream>(deadPort);
        const qint64 backAt = load.elapsedMs();
        const bool trafficAgain = QTest::qWaitFor([&] { return c.upstreams.at(2)->requests().size() > 20; }, 8000);
        load.stop();
        const qint64 errorsAfterKnownDead = load.count(500, 599, killedAt + 1000) ;
        qInfo("upstream instance killed at %lld ms, back at %lld ms: %lld calls, %lld 5xx in all, %lld 5xx from 1 s after the kill;"
              " %lld calls reached it after it returned",
              killedAt, backAt, load.total(), load.count(500, 599), errorsAfterKnownDead, qint64(c.upstreams.at(2)->requests().size()));
        QCOMPARE(errorsAfterKnownDead, 0);
        QVERIFY2(trafficAgain, "the instance got no traffic after it came back");
    }

    // A tier's per-endpoint limit (stt 5 per hour) holds over all three; other endpoints are not touched by it.
    void endpointLimitIsSharedByAll()
    {
        Cluster c(*m_db);
        QVERIFY(c.setTier(QStringLiteral("stt5"), 1000, 60, 1000000, {QStringLiteral("--endpoint-limit"), QStringLiteral("stt=5/3600")}));
        QVERIFY(c.start());
        const TestKey key = c.createKey(QStringLiteral("stt5"));
        QVERIFY(c.keyWorksEverywhere(key));
        const std::vector<quint16> ports = c.ports();
        const QByteArray body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                                "Content-Type: audio/wav\r\n\r\n" + QByteArray(2000, 'm') + "\r\n--b0undary--\r\n";
        int ok = 0, limited = 0;
        for (size_t i = 0; i < 8; ++i) {
            const HttpTestResponse r = blockingRequest(ports.at(i % ports.size()), "POST", "/v1/stt/transcribe",
                                                       {{"X-API-Key", key.raw.toLatin1()},
                                                        {"Content-Type", "multipart/form-data; boundary=b0undary"},
                                                        {"X-Test-Duration", "30"}},
                                                       body);
            ok += r.status == 200;
            limited += r.status == 429;
        }
        QCOMPARE(ok, 5);
        QCOMPARE(limited, 3);
        QCOMPARE(search(ports.at(0), key), 200);
    }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
