// The management and admin API over real sockets: JWTs minted here with OpenSSL and served by a JWKS server,
// admin tokens, ownership, plan caps, regeneration with grace, audit, validation, CORS and the OpenAPI document.
#include "GatewayFixture.h"
#include "JwksTestServer.h"
#include "JwtTestKit.h"
#include "server/api/ManagementApi.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QUrl>

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

    explicit Env(const QString &backend = QStringLiteral("sqlite"), const QStringList &extra = {})
    {
        jwks.listen();
        jwks.setKeys({ed.jwk, rsa.jwk});
        f = std::make_unique<GatewayFixture>(backend, QStringList{
            QStringLiteral("JWKS_URL=") + jwks.url().toString(), QStringLiteral("JWT_ISSUER=") + Issuer,
            QStringLiteral("JWT_AUDIENCE=") + Audience, QStringLiteral("ADMIN_USER_IDS=root"),
            QStringLiteral("CORS_ORIGINS=https://console.example")} + extra);
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
        return f->client->send(request(method, target, bearer, body, std::move(headers)));
    }

    static HttpTestRequest request(const QByteArray &method, const QByteArray &target, const QByteArray &bearer,
                                   const QJsonValue &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {})
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
        return {method, target, headers, payload};
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

QString errorMessage(const HttpTestResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value("error").toObject().value("message").toString();
}

QByteArray nextCursor(const HttpTestResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value("meta").toObject().value("next_cursor").toString().toLatin1();
}

QJsonArray copies(const QString &value, int times)
{
    QJsonArray out;
    for (int i = 0; i < times; ++i)
        out.append(value);
    return out;
}

// `count` distinct addresses 10.0.x.y.
QJsonArray distinctIps(int count)
{
    QJsonArray out;
    for (int i = 0; i < count; ++i)
        out.append(QStringLiteral("10.0.%1.%2").arg(i / 200).arg(i % 200 + 1));
    return out;
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

// 400 INVALID_REQUEST whose message is exactly `text` (it names the field).
#define QVERIFY_INVALID(response, text)                                                                                 \
    do {                                                                                                                \
        const HttpTestResponse r_ = (response);                                                                         \
        QVERIFY2(r_.status == 400, qPrintable(QString::number(r_.status) + ' ' + QString::fromUtf8(r_.body.left(300)))); \
        QCOMPARE(r_.errorCode(), QByteArray("INVALID_REQUEST"));                                                        \
        QCOMPARE(errorMessage(r_), QString(text));                                                                      \
    } while (false)

namespace {

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

    // Issue 8 §4: names, descriptions and lists are bounded on every route that takes them, and lists are stored
    // without duplicates; at the limit is fine.
    void fieldLimits_data() { TestDatabase::addBackendRows(); }
    void fieldLimits()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const QByteArray alice = env.token(QStringLiteral("alice"), QStringLiteral("pro"));
        const QByteArray root = env.token(QStringLiteral("root"));
        auto create = [&](const QJsonObject &fields) {
            QJsonObject body{{"name", "k"}, {"tier", "pro"}};
            for (auto it = fields.begin(); it != fields.end(); ++it)
                body.insert(it.key(), it.value());
            return env.call("POST", "/api-keys", alice, body);
        };

        // POST /api-keys.
        QVERIFY_INVALID(create({{"name", QString(201, 'n')}}), "name: at most 200 characters");
        HttpTestResponse r = create({{"name", QString(200, 'n')}});
        QCOMPARE(r.status, 201);
        QCOMPARE(data(r).value("apiKey").toObject().value("name").toString().size(), 200);
        // Characters, not UTF-16 units: 200 emoji are 400 units and fine, 201 are not.
        const QString emoji = QStringLiteral("\U0001F600");
        QCOMPARE(create({{"name", emoji.repeated(200)}}).status, 201);
        QVERIFY_INVALID(create({{"name", emoji.repeated(201)}}), "name: at most 200 characters");
        QVERIFY_INVALID(create({{"description", QString(1001, 'd')}}), "description: at most 1000 characters");
        QVERIFY_INVALID(create({{"description", QString(500000, 'd')}}), "description: at most 1000 characters");
        r = create({{"description", QString(1000, 'd')}});
        QCOMPARE(r.status, 201);
        const QString id = data(r).value("apiKey").toObject().value("id").toString();
        QVERIFY_INVALID(create({{"allowedEndpoints", copies(QStringLiteral("search"), 101)}}), "allowedEndpoints: at most 100 entries");
        QVERIFY_INVALID(create({{"allowedEndpoints", copies(QStringLiteral("search"), 10000)}}), "allowedEndpoints: at most 100 entries");
        QVERIFY_INVALID(create({{"allowedIps", distinctIps(101)}}), "allowedIps: at most 100 entries");
        r = create({{"allowedIps", distinctIps(100)}});
        QCOMPARE(r.status, 201);
        QCOMPARE(data(r).value("apiKey").toObject().value("allowedIps").toArray().size(), 100);
        // 100 entries with repeats: accepted, stored once each in the order first seen.
        QJsonArray endpoints;
        for (int i = 0; i < 50; ++i)
            endpoints << "tts" << "search";
        r = create({{"allowedEndpoints", endpoints}, {"allowedIps", QJsonArray{"10.0.0.2", "10.0.0.1", "10.0.0.2", "10.0.0.1/32"}}});
        QCOMPARE(r.status, 201);
        const QString dedupId = data(r).value("apiKey").toObject().value("id").toString();
        r = env.call("GET", "/api-keys/" + dedupId.toLatin1(), alice);
        QCOMPARE(data(r).value("allowedEndpoints").toArray(), (QJsonArray{"tts", "search"}));
        QCOMPARE(data(r).value("allowedIps").toArray(), (QJsonArray{"10.0.0.2/32", "10.0.0.1/32"}));

        // PATCH /api-keys/{id}: the same limits; a refused change changes nothing.
        const QByteArray own = "/api-keys/" + id.toLatin1();
        QVERIFY_INVALID(env.call("PATCH", own, alice, QJsonObject{{"name", QString(201, 'n')}}), "name: at most 200 characters");
        QVERIFY_INVALID(env.call("PATCH", own, alice, QJsonObject{{"description", QString(1001, 'x')}}), "description: at most 1000 characters");
        QVERIFY_INVALID(env.call("PATCH", own, alice, QJsonObject{{"allowedEndpoints", copies(QStringLiteral("search"), 101)}}),
                        "allowedEndpoints: at most 100 entries");
        QVERIFY_INVALID(env.call("PATCH", own, alice, QJsonObject{{"allowedIps", distinctIps(101)}}), "allowedIps: at most 100 entries");
        r = env.call("GET", own, alice);
        QCOMPARE(data(r).value("description").toString(), QString(1000, 'd'));
        QCOMPARE(data(r).value("allowedIps").toArray().size(), 0);
        r = env.call("PATCH", own, alice, QJsonObject{{"name", QString(200, 'm')}, {"description", QString(1000, 'e')},
                                                       {"allowedEndpoints", QJsonArray{"search", "search", "stt", "search"}},
                                                       {"allowedIps", distinctIps(100)}});
        QCOMPARE(r.status, 200);
        r = env.call("GET", own, alice);
        QCOMPARE(data(r).value("name").toString(), QString(200, 'm'));
        QCOMPARE(data(r).value("allowedEndpoints").toArray(), (QJsonArray{"search", "stt"}));
        QCOMPARE(data(r).value("allowedIps").toArray().size(), 100);

        // PATCH /admin/api-keys/{id}: admins are held to the same sizes.
        const QByteArray admin = "/admin/api-keys/" + id.toLatin1();
        QVERIFY_INVALID(env.call("PATCH", admin, root, QJsonObject{{"name", QString(201, 'n')}}), "name: at most 200 characters");
        QVERIFY_INVALID(env.call("PATCH", admin, root, QJsonObject{{"description", QString(1001, 'x')}}), "description: at most 1000 characters");
        QVERIFY_INVALID(env.call("PATCH", admin, root, QJsonObject{{"allowedEndpoints", copies(QStringLiteral("tts"), 101)}}),
                        "allowedEndpoints: at most 100 entries");
        QVERIFY_INVALID(env.call("PATCH", admin, root, QJsonObject{{"allowedIps", distinctIps(101)}, {"grantCredits", 5}}),
                        "allowedIps: at most 100 entries");
        QCOMPARE(data(env.call("GET", admin, root)).value("creditsRemaining").toInt(), 5000);  // the grant did not happen either
        r = env.call("PATCH", admin, root, QJsonObject{{"allowedEndpoints", QJsonArray{"tts", "tts", "search"}}, {"allowedIps", QJsonArray()}});
        QCOMPARE(r.status, 200);
        QCOMPARE(data(env.call("GET", admin, root)).value("allowedEndpoints").toArray(), (QJsonArray{"tts", "search"}));

        // PUT /admin/tiers: a tier's name and endpoints, and the list of tiers itself.
        const QJsonArray tiers = dataArray(env.call("GET", "/admin/tiers", root));
        QCOMPARE(tiers.size(), 3);
        auto withFree = [&](const QJsonObject &changes) {
            QJsonObject free = tiers.at(0).toObject();
            for (auto it = changes.begin(); it != changes.end(); ++it)
                free.insert(it.key(), it.value());
            return QJsonArray{free, tiers.at(1), tiers.at(2)};
        };
        QVERIFY_INVALID(env.call("PUT", "/admin/tiers", root, withFree({{"name", QString(201, 't')}})), "tiers[0].name: at most 200 characters");
        QVERIFY_INVALID(env.call("PUT", "/admin/tiers", root, withFree({{"endpoints", copies(QStringLiteral("search"), 101)}})),
                        "tiers[0].endpoints: at most 100 entries");
        QJsonArray many = tiers;
        for (int i = 0; many.size() < 101; ++i) {
            QJsonObject extra = tiers.at(0).toObject();
            extra.insert("slug", QStringLiteral("t%1").arg(i));
            many.append(extra);
        }
        QVERIFY_INVALID(env.call("PUT", "/admin/tiers", root, many), "tiers: at most 100 entries");
        r = env.call("PUT", "/admin/tiers", root, withFree({{"name", QString(200, 't')}, {"endpoints", QJsonArray{"search", "extract", "search"}}}));
        QCOMPARE(r.status, 200);
        const QJsonObject free = dataArray(env.call("GET", "/admin/tiers", root)).at(0).toObject();
        QCOMPARE(free.value("name").toString(), QString(200, 't'));
        QCOMPARE(free.value("endpoints").toArray(), (QJsonArray{"search", "extract"}));
    }

    // MAX_KEYS_PER_USER counts the active keys a user created for itself; exactly, even when it races itself.
    void keyCap_data() { TestDatabase::addBackendRows(); }
    void keyCap()
    {
        QFETCH(QString, backend);
        Env env(backend, {QStringLiteral("MAX_KEYS_PER_USER=3")});
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const QByteArray dave = env.token(QStringLiteral("dave"));
        auto create = [&](const QByteArray &token) { return env.call("POST", "/api-keys", token, QJsonObject{{"name", "k"}}); };
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const HttpTestResponse r = create(dave);
            QCOMPARE(r.status, 201);
            ids << data(r).value("apiKey").toObject().value("id").toString();
        }
        HttpTestResponse r = create(dave);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QByteArray("FORBIDDEN"));
        QCOMPARE(errorMessage(r), QStringLiteral("You already have 3 active keys, the most allowed; revoke one first."));

        // Revoking one makes room for one.
        QCOMPARE(env.call("DELETE", "/api-keys/" + ids.takeFirst().toLatin1(), dave).status, 200);
        r = create(dave);
        QCOMPARE(r.status, 201);
        ids << data(r).value("apiKey").toObject().value("id").toString();
        QCOMPARE(create(dave).status, 403);

        // A key made for dave by an operator (CLI, console) is neither capped nor counted.
        CreateKeyRequest byOperator;
        byOperator.userId = QStringLiteral("dave");
        byOperator.name = QStringLiteral("from the CLI");
        await(env.f->core->keyService().createKey(byOperator, QStringLiteral("cli")));
        QCOMPARE(create(dave).status, 403);
        QCOMPARE(dataArray(env.call("GET", "/admin/api-keys?userId=dave&active=true", env.token(QStringLiteral("root")))).size(), 4);

        // An expired key is not active: once one expires, dave may create another.
        const QString soon = QDateTime::currentDateTimeUtc().addMSecs(1500).toString(Qt::ISODateWithMs);
        QCOMPARE(env.call("PATCH", "/api-keys/" + ids.first().toLatin1(), dave, QJsonObject{{"expiresAt", soon}}).status, 200);
        QCOMPARE(create(dave).status, 403);
        QTest::qWait(1700);
        QCOMPARE(create(dave).status, 201);
        QCOMPARE(create(dave).status, 403);

        // Admins (ADMIN_USER_IDS) are not capped.
        const QByteArray root = env.token(QStringLiteral("root"));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(create(root).status, 201);

        // Twelve creates of one user at once: exactly three are made.
        const QByteArray erin = env.token(QStringLiteral("erin"));
        QList<HttpTestRequest> burst;
        for (int i = 0; i < 12; ++i)
            burst << Env::request("POST", "/api-keys", erin, QJsonObject{{"name", QStringLiteral("burst %1").arg(i)}});
        int created = 0;
        int refused = 0;
        for (const HttpTestResponse &answer : env.f->client->sendConcurrently(burst)) {
            created += answer.status == 201;
            refused += answer.status == 403 && answer.errorCode() == "FORBIDDEN";
        }
        QCOMPARE(created, 3);
        QCOMPARE(refused, 9);
        QCOMPARE(dataArray(env.call("GET", "/api-keys", erin)).size(), 3);
    }

    // Failed management authentications count toward the per-address limit of failed key checks on /v1.
    void failedAuthenticationsAreLimitedPerIp()
    {
        Env env;
        QVERIFY(env.start());
        const QByteArray good = env.token(QStringLiteral("henry"));
        const QByteArray root = env.token(QStringLiteral("root"));
        const QString raw = env.f->createKey();
        // Successes do not count.
        for (int i = 0; i < 25; ++i)
            QCOMPARE(env.call("GET", "/api-keys", good).status, 200);

        QJsonObject expired = Env::claims(QStringLiteral("henry"));
        expired.insert("exp", QDateTime::currentSecsSinceEpoch() - 120);
        QList<QByteArray> tokenParts = good.split('.');
        QJsonObject elevated = Env::claims(QStringLiteral("root"));
        const QByteArray tampered = tokenParts[0] + '.' + b64(json(elevated)) + '.' + tokenParts[2];
        const CreatedAdminToken revoked = await(env.f->core->keyService().createAdminToken(QStringLiteral("old"), QStringLiteral("test")));
        await(env.f->core->keyService().revokeAdminToken(revoked.token.id, QStringLiteral("test")));
        const QList<QByteArray> bad{"not.a.jwt", mint(env.ed, expired), tampered, "tga_neverissuedneverissued",
                                    revoked.rawToken.toLatin1(), mint(rsaKey(QStringLiteral("stranger")), Env::claims(QStringLiteral("henry"))),
                                    {} /* no Authorization at all */};
        // AUTH_FAILURE_LIMIT is 20 by default: twenty failures of every kind are each a 401...
        for (int i = 0; i < 20; ++i) {
            const HttpTestResponse r = env.call(i % 2 ? "GET" : "POST", i % 2 && i % 3 ? "/admin/api-keys" : "/api-keys", bad[i % bad.size()],
                                                i % 2 ? QJsonValue() : QJsonValue(QJsonObject{{"name", "x"}}));
            QVERIFY2(r.status == 401, qPrintable(QStringLiteral("failure %1: %2").arg(i + 1).arg(r.status)));
            // RFC 6750: the Bearer challenge, with error="invalid_token" when a token was presented and failed.
            QCOMPARE(r.header("WWW-Authenticate"), bad[i % bad.size()].isEmpty()
                                                       ? QByteArray(R"(Bearer realm="tollgate")")
                                                       : QByteArray(R"(Bearer realm="tollgate", error="invalid_token")"));
        }
        // ...the 21st is a 429 before its token is looked at...
        HttpTestResponse r = env.call("GET", "/api-keys", bad[0]);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.errorCode(), QByteArray("RATE_LIMITED"));
        const int retryAfter = r.header("Retry-After").toInt();
        QVERIFY2(retryAfter >= 1 && retryAfter <= 60, r.header("Retry-After").constData());
        // ...and while the address is blocked, valid credentials from it are refused too, here and on /v1.
        r = env.call("GET", "/api-keys", good);
        QCOMPARE(r.status, 429);
        QVERIFY(r.header("Retry-After").toInt() >= 1);
        QCOMPARE(env.call("GET", "/admin/status", root).status, 429);
        r = env.f->call("POST", "/v1/search", raw, R"({"q":"x"})");
        QCOMPARE(r.status, 429);
        QCOMPARE(r.errorCode(), QByteArray("RATE_LIMITED"));
        const QByteArray metrics = env.f->gateway->context().metrics.render();
        QVERIFY(metrics.contains("tollgate_auth_failures_total{reason=\"missing\"}"));
        QVERIFY(metrics.contains("tollgate_auth_failures_total{reason=\"invalid_admin_token\"}"));
    }

    // The other way round: failed key checks on /v1 block management from that address, until the window moves on.
    void v1FailuresLimitManagement()
    {
        Env env(QStringLiteral("sqlite"), {QStringLiteral("AUTH_FAILURE_LIMIT=5"), QStringLiteral("AUTH_FAILURE_WINDOW_SECONDS=2")});
        QVERIFY(env.start());
        const QByteArray good = env.token(QStringLiteral("ida"));
        QCOMPARE(env.call("GET", "/api-keys", good).status, 200);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(env.f->call("POST", "/v1/search", QStringLiteral("sk_live_guess%1").arg(i), "{}").status, 401);
        QCOMPARE(env.call("GET", "/api-keys", "garbage").status, 401);  // the fifth failure, on management
        HttpTestResponse r = env.call("GET", "/api-keys", good);
        QCOMPARE(r.status, 429);
        QVERIFY(r.header("Retry-After").toInt() >= 1 && r.header("Retry-After").toInt() <= 2);
        QCOMPARE(env.f->call("POST", "/v1/search", QStringLiteral("sk_live_guess"), "{}").status, 429);
        QTRY_COMPARE_WITH_TIMEOUT(env.call("GET", "/api-keys", good).status, 200, 4000);
    }

    // A cursor is what the API handed out, or a 400; never an empty or shifted page.
    void cursors_data() { TestDatabase::addBackendRows(); }
    void cursors()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const QByteArray frank = env.token(QStringLiteral("frank"));
        const QByteArray gina = env.token(QStringLiteral("gina"));
        const QByteArray root = env.token(QStringLiteral("root"));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(env.call("POST", "/api-keys", frank, QJsonObject{{"name", QStringLiteral("f%1").arg(i)}}).status, 201);
        HttpTestResponse r = env.call("POST", "/api-keys", gina, QJsonObject{{"name", "g"}});
        const QByteArray ginaKey = data(r).value("apiKey").toObject().value("id").toString().toLatin1();

        // Pages join up: 2 + 2 + 1, no repeats.
        QSet<QString> seen;
        QByteArray cursor;
        QList<int> sizes;
        do {
            r = env.call("GET", "/api-keys?limit=2" + (cursor.isEmpty() ? QByteArray() : "&cursor=" + cursor), frank);
            QCOMPARE(r.status, 200);
            for (const QJsonValue &key : dataArray(r))
                seen.insert(key.toObject().value("id").toString());
            sizes << dataArray(r).size();
            cursor = nextCursor(r);
        } while (!cursor.isEmpty());
        QCOMPARE(sizes, (QList<int>{2, 2, 1}));
        QCOMPARE(seen.size(), 5);

        r = env.call("GET", "/api-keys?limit=2", frank);
        const QByteArray good = nextCursor(r);
        QVERIFY(!good.isEmpty());
        const QByteArray decoded = QByteArray::fromBase64(good, QByteArray::Base64UrlEncoding);
        QVERIFY(decoded.startsWith("keys1:"));
        const QByteArray payload = decoded.left(decoded.lastIndexOf(':'));  // keys1:<ms>:<id>
        const QList<QByteArray> parts = payload.split(':');
        QCOMPARE(parts.size(), 3);
        auto withCheck = [](const QByteArray &text) {
            return base64Url(text + ':' + QCryptographicHash::hash("tollgate-cursor:" + text, QCryptographicHash::Sha256).toHex().left(16));
        };
        QByteArray digitChanged = decoded;
        digitChanged[6] = digitChanged[6] == '9' ? '8' : char(digitChanged[6] + 1);
        QByteArray lastChar = good;
        lastChar.back() = lastChar.back() == 'A' ? 'B' : 'A';
        const QList<QByteArray> bad{
            "garbage", "!!!!", "....", "AAAA", base64Url("hello"), base64Url("{\"offset\":2}"),
            base64Url(parts[1] + '|' + parts[2]),                               // the old format: valid base64 of something not ours
            good + "A", lastChar, good + "==", base64Url(decoded + ' '),
            base64Url(digitChanged),                                             // edited by hand, check not recomputed
            withCheck("keys1:" + QByteArray::number(parts[1].toLongLong() + 1) + ':' + parts[2]),  // check recomputed: names no key
            withCheck("keys1:" + parts[1] + ":key_doesnotexist00000000"),
            withCheck("keys1:" + parts[1] + ':' + parts[2] + ":extra"),
            withCheck("audit1:1"),                                               // another list's cursor
            QByteArray(300, 'A'),
        };
        for (const QByteArray &cursorText : bad) {
            r = env.call("GET", "/api-keys?limit=2&cursor=" + QUrl::toPercentEncoding(QString::fromLatin1(cursorText)), frank);
            QVERIFY2(r.status == 400, cursorText.constData());
            QCOMPARE(r.errorCode(), QByteArray("INVALID_REQUEST"));
            QCOMPARE(errorMessage(r), QStringLiteral("cursor: not a cursor from this API"));
        }
        // Another user's cursor names a key outside gina's list: refused, and says nothing about frank's keys.
        QVERIFY_INVALID(env.call("GET", "/api-keys?cursor=" + good, gina), "cursor: not a cursor from this API");
        QCOMPARE(env.call("GET", "/api-keys?limit=2&cursor=" + good, frank).status, 200);

        // The admin list takes the same cursors (any user's), and refuses the same junk.
        QCOMPARE(env.call("GET", "/admin/api-keys?cursor=" + good, root).status, 200);
        QCOMPARE(dataArray(env.call("GET", "/admin/api-keys?userId=frank&limit=2&cursor=" + good, root)).size(), 2);
        QVERIFY_INVALID(env.call("GET", "/admin/api-keys?userId=gina&cursor=" + good, root), "cursor: not a cursor from this API");
        QVERIFY_INVALID(env.call("GET", "/admin/api-keys?cursor=garbage", root), "cursor: not a cursor from this API");

        // The audit log's cursors.
        r = env.call("GET", "/admin/audit?limit=2", root);
        const QByteArray audit = nextCursor(r);
        QVERIFY(!audit.isEmpty());
        r = env.call("GET", "/admin/audit?limit=2&cursor=" + audit, root);
        QCOMPARE(r.status, 200);
        QCOMPARE(dataArray(r).size(), 2);
        for (const QByteArray &cursorText : {QByteArray("garbage"), QByteArray("4"), QByteArray("-1"), good, audit + "A",
                                             withCheck("audit1:99999"), withCheck("audit1:0004")}) {
            QVERIFY_INVALID(env.call("GET", "/admin/audit?cursor=" + QUrl::toPercentEncoding(QString::fromLatin1(cursorText)), root),
                            "cursor: not a cursor from this API");
        }
        // A cursor of the whole log names frank's newest key's entry, which is not in gina's key's entries.
        QVERIFY_INVALID(env.call("GET", "/admin/audit?targetId=" + ginaKey + "&cursor=" + audit, root), "cursor: not a cursor from this API");
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
        QSet<QString> operationIds;
        const QJsonObject paths = document.value("paths").toObject();
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            const QJsonObject item = path.value().toObject();
            for (auto method = item.begin(); method != item.end(); ++method) {
                documented.insert(method.key().toUpper() + ' ' + path.key());
                // Each operation is named once and says what it is; public ones ask for no credentials.
                const QJsonObject operation = method.value().toObject();
                const QString id = operation.value("operationId").toString();
                QVERIFY2(!id.isEmpty() && !operationIds.contains(id), qPrintable(path.key()));
                operationIds.insert(id);
                QVERIFY2(!operation.value("summary").toString().isEmpty(), qPrintable(path.key()));
                // The billing webhook's credential is its Stripe-Signature, not a bearer token.
                const bool isPublic = path.key().startsWith("/health") || path.key() == "/metrics" || path.key() == "/openapi.json"
                    || path.key() == "/webhooks/billing";
                QCOMPARE(operation.value("security").toArray().isEmpty(), isPublic);
            }
        }
        QSet<QString> served{QStringLiteral("GET /health"), QStringLiteral("GET /health/live"), QStringLiteral("GET /health/ready"),
                             QStringLiteral("GET /metrics"), QStringLiteral("GET /openapi.json"), QStringLiteral("POST /webhooks/billing")};
        for (const gateway::Route &route : env.f->gateway->context().routeTable()->routes())
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
