// The management and admin API over real sockets: JWTs minted here with OpenSSL and served by a JWKS server,
// admin tokens, ownership, plan caps, regeneration with grace, audit, validation, CORS and the OpenAPI document.
#include "GatewayFixture.h"
#include "JwksTestServer.h"
#include "JwtTestKit.h"
#include "server/api/ManagementApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;
using namespace jwttest;

namespace {

const QString Issuer = QStringLiteral("https://auth.test");
const QString Audience = QStringLiteral("tollgate");

struct Env
{
    JwksTestServer jwks;
    TestKey ed = ed25519Key(QStringLiteral("ed-1"));
    TestKey rsa = rsaKey(QStringLiteral("rsa-1"));
    std::unique_ptr<GatewayFixture> f;

    explicit Env(const QString &backend = QStringLiteral("sqlite"))
    {
        jwks.listen();
        jwks.setKeys({ed.jwk, rsa.jwk});
        f = std::make_unique<GatewayFixture>(backend, QStringList{
            QStringLiteral("JWKS_URL=") + jwks.url().toString(), QStringLiteral("JWT_ISSUER=") + Issuer,
            QStringLiteral("JWT_AUDIENCE=") + Audience, QStringLiteral("ADMIN_USER_IDS=root"),
            QStringLiteral("CORS_ORIGINS=https://console.example")});
    }

    bool start()
    {
        if (!f->start())
            return false;
        return QTest::qWaitFor([this] { return jwks.fetches() > 0; }, 5000);
    }

    static QJsonObject claims(const QString &sub, const QString &plan = {})
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject c{{"sub", sub}, {"iss", Issuer}, {"aud", Audience}, {"iat", now}, {"exp", now + 600}};
        if (!plan.isEmpty())
            c.insert("plan", plan);
        return c;
    }
    QByteArray token(const QString &sub, const QString &plan = {}) const { return mint(ed, claims(sub, plan)); }

    HttpTestResponse call(const QByteArray &method, const QByteArray &target, const QByteArray &bearer, const QJsonValue &body = {},
                          QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        if (!bearer.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + bearer));
        QByteArray payload;
        if (body.isObject())
            payload = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
        else if (body.isArray())
            payload = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
        if (!payload.isEmpty())
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return f->client->send({method, target, headers, payload});
    }
};

QJsonObject data(const HttpTestResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value("data").toObject();
}

QJsonArray dataArray(const HttpTestResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value("data").toArray();
}

} // namespace

class TestManagement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void attacksAreRefused_data()
    {
        QTest::addColumn<QString>("attack");
        for (const char *attack : {"alg none", "alg none with signature", "HS256 with the RSA key as secret", "RS256 header on the Ed25519 kid",
                                   "bad signature", "payload changed", "expired", "not yet valid", "wrong issuer", "wrong audience",
                                   "no subject", "unknown kid", "garbage", "not bearer"})
            QTest::newRow(attack) << QString::fromLatin1(attack);
    }
    void attacksAreRefused()
    {
        QFETCH(QString, attack);
        Env env;
        QVERIFY(env.start());
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject payload = Env::claims(QStringLiteral("mallory"));
        QByteArray token;
        if (attack == QLatin1String("alg none")) {
            token = b64(json({{"alg", "none"}, {"typ", "JWT"}})) + '.' + b64(json(payload)) + '.';
        } else if (attack == QLatin1String("alg none with signature")) {
            token = mint(env.ed, {{"alg", "none"}, {"kid", "ed-1"}}, payload);
        } else if (attack == QLatin1String("HS256 with the RSA key as secret")) {
            token = hs256({{"alg", "HS256"}, {"kid", "rsa-1"}}, payload, publicPem(env.rsa));
        } else if (attack == QLatin1String("RS256 header on the Ed25519 kid")) {
            token = mint(env.rsa, {{"alg", "RS256"}, {"kid", "ed-1"}}, payload);
        } else if (attack == QLatin1String("bad signature")) {
            token = mint(env.rsa, headerFor(env.ed), payload);
        } else if (attack == QLatin1String("payload changed")) {
            const QList<QByteArray> parts = env.token(QStringLiteral("mallory")).split('.');
            payload.insert("sub", "root");
            token = parts[0] + '.' + b64(json(payload)) + '.' + parts[2];
        } else if (attack == QLatin1String("expired")) {
            payload.insert("exp", now - 61);
            token = mint(env.ed, payload);
        } else if (attack == QLatin1String("not yet valid")) {
            payload.insert("nbf", now + 120);
            token = mint(env.ed, payload);
        } else if (attack == QLatin1String("wrong issuer")) {
            payload.insert("iss", "https://evil.test");
            token = mint(env.ed, payload);
        } else if (attack == QLatin1String("wrong audience")) {
            payload.insert("aud", QJsonArray{"someone-else"});
            token = mint(env.ed, payload);
        } else if (attack == QLatin1String("no subject")) {
            payload.remove("sub");
            token = mint(env.ed, payload);
        } else if (attack == QLatin1String("unknown kid")) {
            token = mint(rsaKey(QStringLiteral("stranger")), payload);
        } else if (attack == QLatin1String("garbage")) {
            token = "not.a.jwt";
        }
        HttpTestResponse r = attack == QLatin1String("not bearer")
            ? env.f->client->send({"GET", "/api-keys", {{"Authorization", "Basic cm9vdDpyb290"}}, {}})
            : env.call("GET", "/api-keys", token);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QByteArray("UNAUTHORIZED"));
        QVERIFY(!r.body.contains(token.isEmpty() ? "~" : token.left(20)));
        // The same claims, properly signed, are fine: the refusal is about the attack alone.
        QCOMPARE(env.call("GET", "/api-keys", env.token(QStringLiteral("mallory"))).status, 200);
    }

    void ownKeys_data() { TestDatabase::addBackendRows(); }
    void ownKeys()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const QByteArray alice = env.token(QStringLiteral("alice"), QStringLiteral("pro"));
        const QByteArray bob = env.token(QStringLiteral("bob"));

        HttpTestResponse r = env.call("POST", "/api-keys", alice, QJsonObject{{"name", "Alice's bot"}, {"tier", "pro"},
                                                                              {"allowedEndpoints", QJsonArray{"search", "tts"}}});
        QCOMPARE(r.status, 201);
        const QString raw = data(r).value("key").toString();
        const QJsonObject key = data(r).value("apiKey").toObject();
        const QString id = key.value("id").toString();
        QVERIFY(raw.startsWith(QLatin1String("sk_live_")));
        QCOMPARE(key.value("userId").toString(), QStringLiteral("alice"));
        QCOMPARE(key.value("tier").toString(), QStringLiteral("pro"));
        // It works on the gateway at once.
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").status, 200);

        // Plan caps: bob has no plan (free) and cannot take pro; tiers above the plan are 403.
        r = env.call("POST", "/api-keys", bob, QJsonObject{{"name", "b"}, {"tier", "pro"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QByteArray("FORBIDDEN"));
        r = env.call("POST", "/api-keys", alice, QJsonObject{{"name", "a"}, {"tier", "enterprise"}});
        QCOMPARE(r.status, 403);
        r = env.call("POST", "/api-keys", bob, QJsonObject{{"name", "Bob's"}});
        QCOMPARE(r.status, 201);
        QCOMPARE(data(r).value("apiKey").toObject().value("tier").toString(), QStringLiteral("free"));

        // Listing: own keys only, masked, newest first, cursor pagination.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(env.call("POST", "/api-keys", alice, QJsonObject{{"name", QStringLiteral("k%1").arg(i)}}).status, 201);
        r = env.call("GET", "/api-keys?limit=3", alice);
        QCOMPARE(r.status, 200);
        QCOMPARE(dataArray(r).size(), 3);
        QCOMPARE(dataArray(r).at(0).toObject().value("name").toString(), QStringLiteral("k2"));
        QVERIFY(!r.body.contains(raw.toLatin1()));
        const QString cursor = QJsonDocument::fromJson(r.body).object().value("meta").toObject().value("next_cursor").toString();
        QVERIFY(!cursor.isEmpty());
        r = env.call("GET", "/api-keys?limit=3&cursor=" + cursor.toLatin1(), alice);
        QCOMPARE(dataArray(r).size(), 1);
        QCOMPARE(dataArray(r).at(0).toObject().value("id").toString(), id);
        QVERIFY(!QJsonDocument::fromJson(r.body).object().value("meta").toObject().contains("next_cursor"));

        // Another user's key is 404 for everything.
        for (const auto &[method, path] : QList<QPair<QByteArray, QByteArray>>{
                 {"GET", "/api-keys/"}, {"PATCH", "/api-keys/"}, {"DELETE", "/api-keys/"}, {"POST", "/api-keys/%/regenerate"},
                 {"GET", "/api-keys/%/usage"}, {"GET", "/api-keys/%/usage/summary"}}) {
            QByteArray target = path.contains('%') ? QByteArray(path).replace("%", id.toLatin1()) : path + id.toLatin1();
            r = env.call(method, target, bob, method == "PATCH" ? QJsonValue(QJsonObject{{"name", "mine"}}) : QJsonValue());
            QVERIFY2(r.status == 404, target.constData());
            QCOMPARE(r.errorCode(), QByteArray("NOT_FOUND"));
        }
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").status, 200);  // untouched

        // PATCH: validated, takes effect at once.
        r = env.call("PATCH", "/api-keys/" + id.toLatin1(), alice, QJsonObject{{"allowedIps", QJsonArray{"10.0.0.0/33"}}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("allowedIps"));
        r = env.call("PATCH", "/api-keys/" + id.toLatin1(), alice, QJsonObject{{"name", 42}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("name: must be a string"));
        r = env.call("PATCH", "/api-keys/" + id.toLatin1(), alice, QJsonObject{{"expiresAt", "tomorrow"}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("expiresAt"));
        r = env.call("PATCH", "/api-keys/" + id.toLatin1(), alice, QJsonObject{{"tier", "enterprise"}});
        QCOMPARE(r.status, 400);
        r = env.call("PATCH", "/api-keys/" + id.toLatin1(), alice, QJsonObject{{"allowedIps", QJsonArray{"10.0.0.0/8"}}, {"name", "renamed"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("name").toString(), QStringLiteral("renamed"));
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").errorCode(), QByteArray("IP_NOT_ALLOWED"));
        QCOMPARE(env.call("PATCH", "/api-keys/" + id.toLatin1(), alice, QJsonObject{{"allowedIps", QJsonArray()}}).status, 200);

        // Usage and summary.
        QTRY_VERIFY_WITH_TIMEOUT(env.call("GET", "/api-keys/" + id.toLatin1() + "/usage/summary", alice).body.contains("\"requests\":3"), 5000);
        r = env.call("GET", "/api-keys/" + id.toLatin1() + "/usage?days=7", alice);
        QCOMPARE(r.status, 200);
        QCOMPARE(dataArray(r).at(0).toObject().value("endpoint").toString(), QStringLiteral("search"));
        QVERIFY(dataArray(r).at(0).toObject().contains("avgLatencyMs"));
        QCOMPARE(env.call("GET", "/api-keys/" + id.toLatin1() + "/usage?days=0", alice).status, 400);

        // Regenerate with grace: both secrets work during the grace, then only the new one.
        r = env.call("POST", "/api-keys/" + id.toLatin1() + "/regenerate", alice, QJsonObject{{"graceSeconds", 2}});
        QCOMPARE(r.status, 200);
        const QString fresh = data(r).value("key").toString();
        QVERIFY(fresh != raw);
        QCOMPARE(env.f->call("POST", "/v1/search", fresh, R"({"q":"x"})").status, 200);
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").status, 200);
        QTest::qWait(2100);  // the grace ends
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").errorCode(), QByteArray("INVALID_API_KEY"));
        QCOMPARE(env.f->call("POST", "/v1/search", fresh, R"({"q":"x"})").status, 200);
        QCOMPARE(env.call("POST", "/api-keys/" + id.toLatin1() + "/regenerate", alice, QJsonObject{{"graceSeconds", 700000}}).status, 400);

        // DELETE revokes, keeps the usage.
        r = env.call("DELETE", "/api-keys/" + id.toLatin1(), alice);
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("status").toString(), QStringLiteral("revoked"));
        QCOMPARE(env.f->call("POST", "/v1/search", fresh, R"({"q":"x"})").errorCode(), QByteArray("API_KEY_REVOKED"));
        QVERIFY(env.call("GET", "/api-keys/" + id.toLatin1() + "/usage/summary", alice).body.contains("\"requests\":"));
    }

    void admin_data() { TestDatabase::addBackendRows(); }
    void admin()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const QByteArray user = env.token(QStringLiteral("carol"));
        const QByteArray root = env.token(QStringLiteral("root"));
        const CreatedAdminToken adminToken = await(env.f->core->keyService().createAdminToken(QStringLiteral("ops"), QStringLiteral("test")));

        // Admin routes are 403 for a user, fine for ADMIN_USER_IDS and admin tokens.
        for (const QByteArray &path : {QByteArray("/admin/api-keys"), QByteArray("/admin/tiers"), QByteArray("/admin/audit"),
                                       QByteArray("/admin/status"), QByteArray("/admin/usage/summary"), QByteArray("/admin/usage/top-users")}) {
            QCOMPARE(env.call("GET", path, user).status, 403);
            QCOMPARE(env.call("GET", path, root).status, 200);
            QCOMPARE(env.call("GET", path, adminToken.rawToken.toLatin1()).status, 200);
        }
        QCOMPARE(env.call("GET", "/admin/status", "tga_wrongwrongwrong").status, 401);

        HttpTestResponse r = env.call("POST", "/api-keys", user, QJsonObject{{"name", "c"}});
        const QString id = data(r).value("apiKey").toObject().value("id").toString();
        const QString raw = data(r).value("key").toString();

        // Tier, overrides and a grant, all effective at once.
        r = env.call("PATCH", "/admin/api-keys/" + id.toLatin1(), adminToken.rawToken.toLatin1(),
                     QJsonObject{{"tier", "pro"}, {"rateLimit", 3}, {"monthlyCredits", 7}, {"grantCredits", 5}});
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("tier").toString(), QStringLiteral("pro"));
        QCOMPARE(data(r).value("rateLimit").toInt(), 3);
        QCOMPARE(data(r).value("monthlyCredits").toInt(), 7);
        QCOMPARE(data(r).value("creditsRemaining").toInt(), 12);
        QTRY_COMPARE_WITH_TIMEOUT(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").header("X-RateLimit-Limit"), QByteArray("3"), 3000);
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + id.toLatin1(), root, QJsonObject{{"rateLimit", 0}}).status, 400);
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + id.toLatin1(), root, QJsonObject{{"tier", "gold"}}).status, 400);
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + id.toLatin1(), root, QJsonObject{{"rateLimit", QJsonValue()}}).status, 200);

        // Filters.
        r = env.call("GET", "/admin/api-keys?userId=carol&tier=pro&active=true", root);
        QCOMPARE(dataArray(r).size(), 1);
        QCOMPARE(env.call("GET", "/admin/api-keys?active=maybe", root).status, 400);

        // Tiers: read, replace (validated), and the gateway follows.
        r = env.call("GET", "/admin/tiers", root);
        QJsonArray tiers = dataArray(r);
        QCOMPARE(tiers.size(), 3);
        QJsonObject free = tiers.at(0).toObject();
        free.insert("rateLimit", 0);
        r = env.call("PUT", "/admin/tiers", root, QJsonArray{free, tiers.at(1), tiers.at(2)});
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("rateLimit"));
        free.insert("rateLimit", 25);
        free.insert("endpoints", QJsonArray{"search", "video"});
        QCOMPARE(env.call("PUT", "/admin/tiers", root, QJsonArray{free, tiers.at(1), tiers.at(2)}).status, 400);
        free.insert("endpoints", QJsonArray{"search"});
        r = env.call("PUT", "/admin/tiers", root, QJsonArray{free, tiers.at(1), tiers.at(2)});
        QCOMPARE(r.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(env.f->core->tiers().find(QStringLiteral("free"))->rateLimit, 25, 3000);
        QCOMPARE(env.call("PUT", "/admin/tiers", root, QJsonArray{tiers.at(0), tiers.at(2)}).status, 400);  // pro is in use

        // Revoke, top users, summary, status.
        QCOMPARE(env.call("DELETE", "/admin/api-keys/" + id.toLatin1(), root).status, 200);
        QCOMPARE(env.call("GET", "/admin/api-keys/key_nope", root).status, 404);
        QTRY_VERIFY_WITH_TIMEOUT(dataArray(env.call("GET", "/admin/usage/top-users?limit=5", root)).size() == 1, 5000);
        QCOMPARE(dataArray(env.call("GET", "/admin/usage/top-users?limit=5", root)).at(0).toObject().value("userId").toString(),
                 QStringLiteral("carol"));
        QVERIFY(data(env.call("GET", "/admin/usage/summary?days=7", root)).value("requests").toInt() >= 1);
        const QJsonObject status = data(env.call("GET", "/admin/status", root));
        for (const char *field : {"instance", "version", "uptimeSeconds", "database", "upstreams", "requestsPerSecond"})
            QVERIFY2(status.contains(QLatin1String(field)), field);

        // Every mutation is in the audit log: who, what, before and after.
        r = env.call("GET", "/admin/audit?limit=100", root);
        QStringList actions;
        for (const QJsonValue &entry : dataArray(r))
            actions << entry.toObject().value("action").toString() + '/' + entry.toObject().value("actor").toString();
        for (const QString &expected : {QStringLiteral("key.create/carol"), QStringLiteral("key.update/admin-token:ops"),
                                        QStringLiteral("key.grant/admin-token:ops"), QStringLiteral("tier.update/root"),
                                        QStringLiteral("key.revoke/root"), QStringLiteral("admin_token.create/test")})
            QVERIFY2(actions.contains(expected), qPrintable(expected + QStringLiteral(" missing in ") + actions.join(' ')));
        const QJsonObject revokeEntry = dataArray(r).at(0).toObject();
        QCOMPARE(revokeEntry.value("action").toString(), QStringLiteral("key.revoke"));
        QCOMPARE(revokeEntry.value("before").toObject().value("status").toString(), QStringLiteral("active"));
        QCOMPARE(revokeEntry.value("after").toObject().value("status").toString(), QStringLiteral("revoked"));
    }

    void corsAndErrors()
    {
        Env env;
        QVERIFY(env.start());
        HttpTestResponse r = env.f->client->send({"OPTIONS", "/api-keys", {{"Origin", "https://console.example"},
                                                                           {"Access-Control-Request-Method", "POST"}}, {}});
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray("https://console.example"));
        QCOMPARE(r.header("Access-Control-Allow-Credentials"), QByteArray("true"));
        QVERIFY(r.header("Access-Control-Allow-Methods").contains("PATCH"));
        r = env.f->client->send({"OPTIONS", "/api-keys", {{"Origin", "https://evil.example"}}, {}});
        QVERIFY(r.header("Access-Control-Allow-Origin").isEmpty());
        r = env.call("GET", "/api-keys", env.token(QStringLiteral("u")), {}, {{"Origin", "https://console.example"}});
        QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray("https://console.example"));
        r = env.call("POST", "/api-keys", env.token(QStringLiteral("u")), QJsonObject{{"description", "no name"}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("name: required"));
        r = env.f->client->send({"POST", "/api-keys", {{"Authorization", "Bearer " + env.token(QStringLiteral("u"))},
                                                       {"Content-Type", "application/json"}}, "{not json"});
        QCOMPARE(r.errorCode(), QByteArray("INVALID_REQUEST"));
        QCOMPARE(env.call("GET", "/api-keys/key_x/nothing", env.token(QStringLiteral("u"))).status, 404);
        QCOMPARE(env.call("PUT", "/api-keys", env.token(QStringLiteral("u"))).status, 405);
        QCOMPARE(env.call("GET", "/api-keys", {}).status, 401);
    }

    void openApiCoversEveryRoute()
    {
        Env env;
        QVERIFY(env.start());
        const HttpTestResponse r = env.f->client->send({"GET", "/openapi.json", {}, {}});
        QCOMPARE(r.status, 200);
        const QJsonObject document = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(document.value("openapi").toString().left(2), QStringLiteral("3."));
        QSet<QString> documented;
        const QJsonObject paths = document.value("paths").toObject();
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            for (const QString &method : path.value().toObject().keys())
                documented.insert(method.toUpper() + ' ' + path.key());
        }
        QSet<QString> served{QStringLiteral("GET /health"), QStringLiteral("GET /health/live"), QStringLiteral("GET /health/ready"),
                             QStringLiteral("GET /metrics"), QStringLiteral("GET /openapi.json")};
        for (const gateway::Route &route : env.f->gateway->context().routes.routes())
            served.insert(QString::fromLatin1(route.method + ' ' + route.path));
        for (const api::ManagementApi::Route &route : api::ManagementApi::routes())
            served.insert(QString::fromLatin1(route.method + ' ' + route.path));
        QCOMPARE(documented, served);
        // Each management operation says what it answers, including its errors.
        const QJsonObject create = paths.value("/api-keys").toObject().value("post").toObject();
        QVERIFY(create.value("requestBody").toObject().value("content").toObject().contains("application/json"));
        QVERIFY(create.value("responses").toObject().contains("201"));
        QVERIFY(create.value("responses").toObject().contains("403"));
    }
};

QTEST_GUILESS_MAIN(TestManagement)
#include "tst_management.moc"
