// Shared and per-endpoint rate limits through real gateways: a tier's endpoint limit (set through PUT /admin/tiers,
// read back by GET) refuses the call that would pass it, consumes nothing when it refuses, and shows in the
// RateLimit-Policy / RateLimit fields; on SQLite and PostgreSQL, with the local and the Redis backend. Two gateways
// on one database and one Redis admit together what one would; with Redis killed they stay up (local shares) or
// refuse with 503 (refuse mode), /health and /admin/status say so, and they go back to Redis by themselves.
#include "GatewayFixture.h"
#include "RedisTestServer.h"
#include "core/ratelimit/RedisRateLimiter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

QJsonObject json(const HttpTestResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

HttpTestResponse admin(GatewayFixture &f, const QByteArray &method, const QByteArray &target, const QByteArray &token,
                       const QByteArray &body = {})
{
    QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + token}};
    if (!body.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return f.client->send({method, target, headers, body});
}

QByteArray adminToken(GatewayFixture &f)
{
    return await(f.core->keyService().createAdminToken(QStringLiteral("ops"), QStringLiteral("test"))).rawToken.toLatin1();
}

} // namespace

class TestSharedLimits : public QObject
{
    Q_OBJECT

    RedisTestServer m_redis;

    QStringList redisEnvironment(const QString &rateBackend, const QString &prefix, const QString &mode = QStringLiteral("local"))
    {
        if (rateBackend != QLatin1String("redis"))
            return {};
        return {QStringLiteral("RATE_LIMIT_BACKEND=redis"), QStringLiteral("REDIS_URL=") + m_redis.url(),
                QStringLiteral("REDIS_PREFIX=") + prefix, QStringLiteral("REDIS_FAILURE_MODE=") + mode};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_redis.start()); }
    void init()
    {
        if (m_redis.command({"PING"}) != "PONG")
            QVERIFY(m_redis.start());
    }

    void endpointLimit_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("rateBackend");
        for (const char *db : {"sqlite", "postgresql"}) {
            for (const char *rate : {"local", "redis"})
                QTest::newRow(QByteArray(db) + "/" + rate) << QString::fromLatin1(db) << QString::fromLatin1(rate);
        }
    }
    void endpointLimit()
    {
        QFETCH(QString, backend);
        QFETCH(QString, rateBackend);
        GatewayFixture f(backend, redisEnvironment(rateBackend, QStringLiteral("ep-%1:").arg(backend)));
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        const QByteArray token = adminToken(f);

        // GET, add an stt limit to pro, PUT exactly that back: GET answers it again.
        const HttpTestResponse got = admin(f, "GET", "/admin/tiers", token);
        QCOMPARE(got.status, 200);
        QJsonArray tiers = json(got).value("data").toArray();
        for (qsizetype i = 0; i < tiers.size(); ++i) {
            QJsonObject tier = tiers[i].toObject();
            QCOMPARE(tier.value("endpointLimits").toObject(), QJsonObject());
            if (tier.value("slug").toString() == QLatin1String("pro")) {
                tier.insert("endpointLimits", QJsonObject{{"stt", QJsonObject{{"rate", 2}, {"windowSeconds", 3600}}}});
                tiers[i] = tier;
            }
        }
        QCOMPARE(admin(f, "PUT", "/admin/tiers", token, QJsonDocument(tiers).toJson(QJsonDocument::Compact)).status, 200);
        const QJsonArray saved = json(admin(f, "GET", "/admin/tiers", token)).value("data").toArray();
        QCOMPARE(saved, tiers);

        // A bad one is a 400 naming the field.
        QJsonArray bad = tiers;
        QJsonObject first = bad[0].toObject();
        first.insert("endpointLimits", QJsonObject{{"stt", QJsonObject{{"rate", 0}, {"windowSeconds", 60}}}});
        bad[0] = first;
        const HttpTestResponse refusedPut = admin(f, "PUT", "/admin/tiers", token, QJsonDocument(bad).toJson(QJsonDocument::Compact));
        QCOMPARE(refusedPut.status, 400);
        QVERIFY2(json(refusedPut).value("error").toObject().value("message").toString().startsWith(QLatin1String("tiers[0].endpointLimits.stt.rate")),
                 refusedPut.body.constData());

        const QString key = f.createKey(QStringLiteral("pro"));
        // The tier change reaches the gateway's tier catalog (PUT reloads it).
        for (int i = 0; i < 2; ++i) {
            const HttpTestResponse r = f.call("GET", "/v1/stt/models", key);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("RateLimit-Policy"), QByteArray(R"("key";q=100;w=60, "stt";q=2;w=3600)"));
            QVERIFY2(r.header("RateLimit").startsWith(QByteArray(R"("key";r=)") + QByteArray::number(99 - i) + ";t="), r.header("RateLimit").constData());
            QVERIFY2(r.header("RateLimit").contains(QByteArray(R"("stt";r=)") + QByteArray::number(1 - i) + ";t="), r.header("RateLimit").constData());
            // X-RateLimit-* describe the limit closest to refusing: stt's.
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("2"));
            QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray::number(1 - i));
        }
        for (int i = 0; i < 3; ++i) {
            const HttpTestResponse r = f.call("GET", "/v1/stt/models", key);
            QCOMPARE(r.status, 429);
            QCOMPARE(r.errorCode(), QByteArray("RATE_LIMITED"));
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("2"));
            QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("0"));
            QVERIFY2(r.header("Retry-After").toInt() > 3590 && r.header("Retry-After").toInt() <= 3600, r.header("Retry-After").constData());
        }
        // The refused calls took nothing from the key's own limit: 100 - 2 admitted - this one.
        const HttpTestResponse search = f.call("GET", "/v1/search/engines", key);
        QCOMPARE(search.status, 200);
        QCOMPARE(search.header("X-RateLimit-Remaining"), QByteArray("97"));
        QCOMPARE(search.header("RateLimit-Policy"), QByteArray(R"("key";q=100;w=60)"));
        const QByteArray metrics = f.gateway->context().metrics.render();
        const QByteArray label = rateBackend == QLatin1String("redis") ? "redis" : "local";
        QVERIFY2(metrics.contains("tollgate_ratelimit_decisions_total{backend=\"" + label + "\",result=\"admitted\"} 3"), metrics.constData());
        QVERIFY2(metrics.contains("tollgate_ratelimit_decisions_total{backend=\"" + label + "\",result=\"refused\"} 3"), metrics.constData());
        if (rateBackend == QLatin1String("redis"))
            QCOMPARE(m_redis.command({"ZSCORE", "ep-" + backend.toLatin1() + ":rl:" + f.keyIdOf(key).toLatin1() + ":stt", "#n"}), QByteArray("-2"));
    }

    void twoGatewaysShareOneRedis_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }
    void twoGatewaysShareOneRedis()
    {
        QFETCH(QString, backend);
        const QString prefix = QStringLiteral("two-%1:").arg(backend);
        GatewayFixture a(backend, redisEnvironment(QStringLiteral("redis"), prefix));
        TOLLGATE_REQUIRE_DATABASE(a.db);
        QVERIFY(a.start());
        // The second gateway on the first one's database.
        GatewayFixture b(backend, redisEnvironment(QStringLiteral("redis"), prefix) << QStringLiteral("DATABASE_URL=") + a.db.url());
        QVERIFY(b.start());
        QTRY_VERIFY_WITH_TIMEOUT(a.core->redisLimiter()->liveInstances() == 2, 5000);

        const QString key = a.createKey(QStringLiteral("free"));  // 10 per 60 s
        int admitted = 0;
        for (int i = 0; i < 8; ++i) {
            admitted += a.call("GET", "/v1/search/engines", key).status == 200;
            admitted += b.call("GET", "/v1/search/engines", key).status == 200;
        }
        QCOMPARE(admitted, 10);

        // /health and /admin/status while Redis answers.
        const QJsonObject health = json(a.client->send({"GET", "/health", {}, {}}));
        QCOMPARE(health.value("redis").toString(), QStringLiteral("up"));
        const QJsonObject status = json(admin(a, "GET", "/admin/status", adminToken(a))).value("data").toObject();
        QCOMPARE(status.value("redis").toObject().value("status").toString(), QStringLiteral("up"));
        QCOMPARE(status.value("redis").toObject().value("liveInstances").toInt(), 2);
        QVERIFY(a.gateway->context().metrics.render().contains("tollgate_redis_up 1"));

        // Redis gone: answers keep coming, within the timeout, from each gateway's share (10 / 2 = 5 each, fresh key).
        m_redis.kill();
        const QString other = a.createKey(QStringLiteral("free"));
        int down = 0;
        for (int i = 0; i < 8; ++i) {
            QElapsedTimer timer;
            timer.start();
            const HttpTestResponse r = a.call("GET", "/v1/search/engines", other);
            QVERIFY2(r.status == 200 || r.status == 429, QByteArray::number(r.status).constData());
            QVERIFY2(timer.elapsed() < 1000, QByteArray::number(timer.elapsed()).constData());
            down += r.status == 200;
        }
        QCOMPARE(down, 5);
        QTRY_COMPARE_WITH_TIMEOUT(json(a.client->send({"GET", "/health", {}, {}})).value("redis").toString(), QStringLiteral("down"), 3000);
        const QJsonObject degraded = json(a.client->send({"GET", "/health", {}, {}}));
        QCOMPARE(degraded.value("status").toString(), QStringLiteral("degraded"));
        QVERIFY(a.gateway->context().metrics.render().contains("tollgate_redis_up 0"));
        QVERIFY(a.gateway->context().metrics.render().contains("tollgate_ratelimit_decisions_total{backend=\"fallback\",result=\"admitted\"} 5"));

        // Back by itself.
        QVERIFY(m_redis.start());
        QTRY_COMPARE_WITH_TIMEOUT(json(a.client->send({"GET", "/health", {}, {}})).value("redis").toString(), QStringLiteral("up"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(json(b.client->send({"GET", "/health", {}, {}})).value("redis").toString(), QStringLiteral("up"), 10000);
    }

    void refuseModeAnswers503()
    {
        GatewayFixture f(QStringLiteral("sqlite"), redisEnvironment(QStringLiteral("redis"), QStringLiteral("refuse:"), QStringLiteral("refuse")));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        QTRY_VERIFY_WITH_TIMEOUT(f.core->redisLimiter()->isUp(), 5000);
        QCOMPARE(f.call("GET", "/v1/search/engines", key).status, 200);
        m_redis.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!f.core->redisLimiter()->isUp(), 3000);
        const HttpTestResponse r = f.call("GET", "/v1/search/engines", key);
        QCOMPARE(r.status, 503);
        QCOMPARE(r.errorCode(), QByteArray("SERVICE_UNAVAILABLE"));
        QVERIFY(r.header("Retry-After").toInt() >= 1);
        QVERIFY(f.gateway->context().metrics.render().contains("tollgate_ratelimit_decisions_total{backend=\"fallback\",result=\"unavailable\"} 1"));
    }

    void cleanupTestCase() { m_redis.kill(); }
};

QTEST_GUILESS_MAIN(TestSharedLimits)
#include "tst_sharedlimits.moc"
