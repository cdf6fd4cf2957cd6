// Issue 9 §1: the admin API the console manages a gateway through, over real sockets on SQLite and PostgreSQL —
// keys made for any user, search, the tiers round trip, usage outcomes, top keys, live counters, live balances
// and the answers while the database is down.
#include "GatewayFixture.h"
#include "JwksTestServer.h"
#include "JwtTestKit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace tollgate;
using namespace tollgate::test;
using namespace jwttest;

namespace {

const QString Issuer = QStringLiteral("https://auth.test");
const QString Audience = QStringLiteral("tollgate");
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct Env
{
    JwksTestServer jwks;
    TestKey ed = ed25519Key(QStringLiteral("ed-1"));
    std::unique_ptr<GatewayFixture> f;
    QByteArray adminToken;  // tga_…, actor "admin-token:ops"

    explicit Env(const QString &backend = QStringLiteral("sqlite"), const QStringList &extra = {})
    {
        jwks.listen();
        jwks.setKeys({ed.jwk});
        f = std::make_unique<GatewayFixture>(backend, QStringList{
            QStringLiteral("JWKS_URL=") + jwks.url().toString(), QStringLiteral("JWT_ISSUER=") + Issuer,
            QStringLiteral("JWT_AUDIENCE=") + Audience, QStringLiteral("ADMIN_USER_IDS=root")} + extra);
    }

    bool start()
    {
        if (!f->start())
            return false;
        adminToken = await(f->core->keyService().createAdminToken(QStringLiteral("ops"), QStringLiteral("test"))).rawToken.toLatin1();
        return QTest::qWaitFor([this] { return jwks.fetches() > 0; }, 5000);
    }

    QByteArray token(const QString &sub) const
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        return mint(ed, QJsonObject{{"sub", sub}, {"iss", Issuer}, {"aud", Audience}, {"iat", now}, {"exp", now + 600}});
    }
    QByteArray root() const { return token(QStringLiteral("root")); }

    HttpTestResponse call(const QByteArray &method, const QByteArray &target, const QByteArray &bearer, const QJsonValue &body = {})
    {
        HeaderList headers;
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
    HttpTestResponse put(const QByteArray &target, const QByteArray &bearer, const QByteArray &raw)
    {
        return f->client->send({"PUT", target, {{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/json"}}, raw});
    }

    // POST /admin/api-keys; returns {raw key, key document}.
    QPair<QString, QJsonObject> adminCreate(const QJsonObject &body)
    {
        const HttpTestResponse r = call("POST", "/admin/api-keys", adminToken, body);
        if (r.status != 201)
            qWarning("create: %d %s", r.status, r.body.constData());
        const QJsonObject data = QJsonDocument::fromJson(r.body).object().value("data").toObject();
        return {data.value("key").toString(), data.value("apiKey").toObject()};
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

QStringList namesOf(const QJsonArray &keys)
{
    QStringList out;
    for (const QJsonValue &key : keys)
        out << key.toObject().value("name").toString();
    return out;
}

QByteArray enc(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

bool serverControl(const QString &action)
{
    const QString control = TestDatabase::postgresControl();
    return !control.isEmpty()
        && QProcess::execute(QStringLiteral("sh"), {QStringLiteral("-c"), control + QLatin1Char(' ') + action}) == 0;
}

QString todayUtc()
{
    return QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
}

// The usage row of one key, today, at one endpoint, from GET /admin/usage/daily (empty when there is none).
QJsonObject dailyRow(Env &env, const QString &keyId, const QString &endpoint)
{
    const HttpTestResponse r = env.call("GET", "/admin/usage/daily?days=1&keyId=" + enc(keyId) + "&endpoint=" + enc(endpoint), env.root());
    const QJsonArray rows = dataArray(r);
    return rows.size() == 1 ? rows.at(0).toObject() : QJsonObject();
}

const QStringList OutcomeNames{QStringLiteral("ok"), QStringLiteral("upstreamError"), QStringLiteral("rateLimited"),
                               QStringLiteral("insufficientCredits"), QStringLiteral("forbidden"), QStringLiteral("clientError"),
                               QStringLiteral("clientClosed")};

} // namespace

#define QVERIFY_INVALID(response, text)                                                                                 \
    do {                                                                                                                \
        const HttpTestResponse r_ = (response);                                                                         \
        QVERIFY2(r_.status == 400, qPrintable(QString::number(r_.status) + ' ' + QString::fromUtf8(r_.body.left(300)))); \
        QCOMPARE(r_.errorCode(), QByteArray("INVALID_REQUEST"));                                                        \
        QCOMPARE(errorMessage(r_), QString(text));                                                                      \
    } while (false)

class TestAdminApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // POST /admin/api-keys: any user, the raw key once, working at once, overrides, no per-user cap, audited.
    void adminCreatesKeys_data() { TestDatabase::addBackendRows(); }
    void adminCreatesKeys()
    {
        QFETCH(QString, backend);
        Env env(backend, {QStringLiteral("MAX_KEYS_PER_USER=2")});
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());

        HttpTestResponse r = env.call("POST", "/admin/api-keys", env.adminToken,
                                      QJsonObject{{"userId", "zoe"}, {"name", "Zoe's crawler"}, {"tier", "pro"}, {"rateLimit", 7},
                                                  {"monthlyCredits", 42}, {"allowedEndpoints", QJsonArray{"search"}}});
        QCOMPARE(r.status, 201);
        const QString raw = data(r).value("key").toString();
        const QJsonObject key = data(r).value("apiKey").toObject();
        const QString id = key.value("id").toString();
        QVERIFY(raw.startsWith(QLatin1String("sk_live_")));
        QCOMPARE(key.value("userId").toString(), QStringLiteral("zoe"));
        QCOMPARE(key.value("tier").toString(), QStringLiteral("pro"));
        QCOMPARE(key.value("rateLimit").toInt(), 7);
        QCOMPARE(key.value("monthlyCredits").toInt(), 42);
        QCOMPARE(key.value("creditsRemaining").toInt(), 42);
        QCOMPARE(key.value("maskedKey").toString(), raw.left(8) + QStringLiteral("…") + raw.right(4));
        // Works on /v1 at once, with its overrides.
        r = env.f->call("POST", "/v1/search", raw, R"({"q":"x"})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("7"));
        QCOMPARE(r.header("X-Credits-Remaining"), QByteArray("41"));
        // Shown once: never again.
        r = env.call("GET", "/admin/api-keys/" + id.toLatin1(), env.adminToken);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains(raw.toLatin1()));
        QVERIFY(!r.body.contains("\"key\""));
        // The owner sees it as its own.
        r = env.call("GET", "/api-keys/" + id.toLatin1(), env.token(QStringLiteral("zoe")));
        QCOMPARE(r.status, 200);

        // Admins are not capped (MAX_KEYS_PER_USER=2), and keys they make do not count toward the user's own.
        for (int i = 0; i < 3; ++i)
            QVERIFY(!env.adminCreate({{"userId", "zoe"}, {"name", QStringLiteral("ops %1").arg(i)}}).first.isEmpty());
        QCOMPARE(env.call("POST", "/api-keys", env.token(QStringLiteral("zoe")), QJsonObject{{"name", "own 1"}}).status, 201);
        QCOMPARE(env.call("POST", "/api-keys", env.token(QStringLiteral("zoe")), QJsonObject{{"name", "own 2"}}).status, 201);
        QCOMPARE(env.call("POST", "/api-keys", env.token(QStringLiteral("zoe")), QJsonObject{{"name", "own 3"}}).status, 403);
        // A JWT admin may create too; a user may not.
        QCOMPARE(env.call("POST", "/admin/api-keys", env.root(), QJsonObject{{"userId", "yuri"}, {"name", "by root"}}).status, 201);
        QCOMPARE(env.call("POST", "/admin/api-keys", env.token(QStringLiteral("zoe")), QJsonObject{{"userId", "zoe"}, {"name", "x"}}).status,
                 403);
        // An admin token still manages keys under /admin/ only.
        QCOMPARE(env.call("POST", "/api-keys", env.adminToken, QJsonObject{{"name", "x"}}).status, 403);

        // The same field limits as /api-keys, plus userId.
        QVERIFY_INVALID(env.call("POST", "/admin/api-keys", env.adminToken, QJsonObject{{"name", "x"}}), "userId: required");
        QVERIFY_INVALID(env.call("POST", "/admin/api-keys", env.adminToken, QJsonObject{{"userId", "zoe"}}), "name: required");
        QVERIFY_INVALID(env.call("POST", "/admin/api-keys", env.adminToken, QJsonObject{{"userId", "zoe"}, {"name", QString(201, 'n')}}),
                        "name: at most 200 characters");
        QVERIFY_INVALID(env.call("POST", "/admin/api-keys", env.adminToken,
                                 QJsonObject{{"userId", "zoe"}, {"name", "x"}, {"description", QString(1001, 'd')}}),
                        "description: at most 1000 characters");
        QVERIFY_INVALID(env.call("POST", "/admin/api-keys", env.adminToken, QJsonObject{{"userId", "zoe"}, {"name", "x"}, {"rateLimit", 0}}),
                        "rateLimit: must be a whole number of at least 1, or null");
        QVERIFY_INVALID(env.call("POST", "/admin/api-keys", env.adminToken, QJsonObject{{"userId", "zoe"}, {"name", "x"}, {"tier", "gold"}}),
                        "tier: unknown tier \"gold\"");
        QCOMPARE(env.call("POST", "/admin/api-keys", env.adminToken, QJsonObject{{"userId", "zoe"}, {"name", "x"}, {"owner", "zoe"}}).status, 400);

        // Audited with the admin as actor, the user as owner.
        r = env.call("GET", "/admin/audit?targetId=" + id.toLatin1(), env.root());
        QCOMPARE(dataArray(r).size(), 1);
        QCOMPARE(dataArray(r).at(0).toObject().value("action").toString(), QStringLiteral("key.create"));
        QCOMPARE(dataArray(r).at(0).toObject().value("actor").toString(), QStringLiteral("admin-token:ops"));
        QCOMPARE(dataArray(r).at(0).toObject().value("after").toObject().value("userId").toString(), QStringLiteral("zoe"));
    }

    // GET /admin/audit?actor&action&keyId: filtered in SQL, paged over the filtered entries, bad values refused.
    void auditFilters_data() { TestDatabase::addBackendRows(); }
    void auditFilters()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        // Three keys by the admin token, two of them revoked by root, one granted credits by root.
        QStringList ids;
        for (const char *name : {"a", "b", "c"})
            ids << env.adminCreate({{"userId", "yuri"}, {"name", name}}).second.value("id").toString();
        QVERIFY(!ids.contains(QString()));
        for (int i : {0, 1})
            QCOMPARE(env.call("DELETE", "/admin/api-keys/" + ids[i].toLatin1(), env.root()).status, 200);
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + ids[2].toLatin1(), env.root(), QJsonObject{{"grantCredits", 5}}).status, 200);

        // Every entry of a filtered list, page by page (limit 1, so the cursors do the work).
        auto all = [&](const QByteArray &filter) {
            QJsonArray entries;
            QByteArray cursor;
            for (int page = 0; page < 50; ++page) {
                const HttpTestResponse r = env.call("GET", "/admin/audit?limit=1&" + filter + (cursor.isEmpty() ? "" : "&cursor=" + cursor), env.root());
                if (r.status != 200) {
                    qWarning("audit %s: %d %s", filter.constData(), r.status, r.body.constData());
                    return QJsonArray();
                }
                for (const QJsonValue &entry : dataArray(r))
                    entries.append(entry);
                cursor = nextCursor(r);
                if (cursor.isEmpty())
                    break;
            }
            return entries;
        };
        auto field = [](const QJsonArray &entries, const char *name) {
            QStringList out;
            for (const QJsonValue &entry : entries)
                out << entry.toObject().value(QLatin1String(name)).toString();
            return out;
        };

        QJsonArray entries = all("actor=" + enc(QStringLiteral("admin-token:ops")));
        QCOMPARE(field(entries, "action"), QStringList(3, QStringLiteral("key.create")));
        QCOMPARE(field(entries, "targetId"), (QStringList{ids[2], ids[1], ids[0]}));  // newest first

        entries = all("action=key.revoke");
        QCOMPARE(field(entries, "targetId"), (QStringList{ids[1], ids[0]}));
        QCOMPARE(field(entries, "actor"), QStringList(2, QStringLiteral("root")));

        entries = all("keyId=" + ids[2].toLatin1());
        QCOMPARE(field(entries, "targetId"), QStringList(entries.size(), ids[2]));
        QVERIFY(field(entries, "action").contains(QStringLiteral("key.grant")));
        QCOMPARE(field(entries, "action").last(), QStringLiteral("key.create"));

        // Together: all must hold.
        QCOMPARE(field(all("actor=root&action=key.revoke&keyId=" + ids[0].toLatin1()), "targetId"), QStringList{ids[0]});
        QCOMPARE(all("actor=root&action=key.create").size(), 0);
        QCOMPARE(all("actor=admin-token%3Aop").size(), 0);  // exact, not a prefix

        // A cursor belongs to the filter it was made for.
        HttpTestResponse r = env.call("GET", "/admin/audit?limit=1&action=key.revoke", env.root());
        const QByteArray revokeCursor = nextCursor(r);
        QVERIFY(!revokeCursor.isEmpty());
        QCOMPARE(env.call("GET", "/admin/audit?limit=1&action=key.create&cursor=" + revokeCursor, env.root()).status, 400);

        QVERIFY_INVALID(env.call("GET", "/admin/audit?action=Key%20Create", env.root()), "action: an action such as key.create or tier.update");
        QVERIFY_INVALID(env.call("GET", "/admin/audit?keyId=key%20one", env.root()), "keyId: a key id such as key_AbC123");
        QVERIFY_INVALID(env.call("GET", "/admin/audit?actor=a%01b", env.root()), "actor: at most 200 characters, no control characters");
        QVERIFY_INVALID(env.call("GET", "/admin/audit?actor=" + QByteArray(201, 'x'), env.root()),
                        "actor: at most 200 characters, no control characters");
        QCOMPARE(env.call("GET", "/admin/audit?action=key.revoke", env.token(QStringLiteral("yuri"))).status, 403);
    }

    // POST /admin/api-keys/{id}/regenerate: the user route's grace semantics, for any key.
    void adminRegenerates_data() { TestDatabase::addBackendRows(); }
    void adminRegenerates()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const auto [raw, key] = env.adminCreate({{"userId", "xena"}, {"name", "rotating"}, {"tier", "pro"}});
        const QByteArray path = "/admin/api-keys/" + key.value("id").toString().toLatin1() + "/regenerate";
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").status, 200);

        HttpTestResponse r = env.call("POST", path, env.adminToken, QJsonObject{{"graceSeconds", 2}});
        QCOMPARE(r.status, 200);
        const QString second = data(r).value("key").toString();
        QVERIFY(second.startsWith(QLatin1String("sk_live_")) && second != raw);
        QCOMPARE(data(r).value("apiKey").toObject().value("id"), key.value("id"));
        QCOMPARE(env.f->call("POST", "/v1/search", second, R"({"q":"x"})").status, 200);
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").status, 200);  // within the grace
        QTest::qWait(2100);
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").errorCode(), QByteArray("INVALID_API_KEY"));

        // Without grace the previous secret stops at once.
        r = env.call("POST", path, env.root());
        QCOMPARE(r.status, 200);
        const QString third = data(r).value("key").toString();
        QCOMPARE(env.f->call("POST", "/v1/search", second, R"({"q":"x"})").errorCode(), QByteArray("INVALID_API_KEY"));
        QCOMPARE(env.f->call("POST", "/v1/search", third, R"({"q":"x"})").status, 200);

        QVERIFY_INVALID(env.call("POST", path, env.root(), QJsonObject{{"graceSeconds", 700000}}), "graceSeconds: 0 to 604800 (7 days)");
        QCOMPARE(env.call("POST", "/admin/api-keys/key_nope/regenerate", env.root()).status, 404);
        QCOMPARE(env.call("POST", path, env.token(QStringLiteral("xena"))).status, 403);
        r = env.call("GET", "/admin/audit?targetId=" + key.value("id").toString().toLatin1(), env.root());
        QCOMPARE(dataArray(r).at(0).toObject().value("action").toString(), QStringLiteral("key.regenerate"));
        QCOMPARE(dataArray(r).at(0).toObject().value("actor").toString(), QStringLiteral("root"));
    }

    // GET /admin/api-keys?q=…: name (any case, a substring), id, user id or last 4; with status and paging.
    void searchKeys_data() { TestDatabase::addBackendRows(); }
    void searchKeys()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        QHash<QString, QPair<QString, QJsonObject>> made;
        const QList<QPair<QString, QString>> keys{{"anna", "Alpha Bot"}, {"anna", "beta BOT"}, {"bert", "Gamma"},
                                                  {"bert", "100% real"}, {"carl", "under_score"}, {"carl", "Delta"}};
        for (const auto &[user, name] : keys) {
            made.insert(name, env.adminCreate({{"userId", user}, {"name", name}}));
            QVERIFY(!made.value(name).first.isEmpty());
        }
        const QByteArray root = env.root();
        auto search = [&](const QString &q, const QByteArray &extra = {}) {
            const HttpTestResponse r = env.call("GET", "/admin/api-keys?q=" + enc(q) + extra, root);
            if (r.status != 200)
                qWarning("%s", r.body.constData());
            return namesOf(dataArray(r));
        };

        // Name: a substring in any case; newest first. Wildcards are literal.
        QCOMPARE(search(QStringLiteral("bot")), (QStringList{"beta BOT", "Alpha Bot"}));
        QCOMPARE(search(QStringLiteral("ALPHA")), (QStringList{"Alpha Bot"}));
        QCOMPARE(search(QStringLiteral("%")), (QStringList{"100% real"}));
        QCOMPARE(search(QStringLiteral("_")), (QStringList{"under_score"}));
        QCOMPARE(search(QStringLiteral("nothing like it")), QStringList());
        // Id, user id, last 4 characters.
        const QJsonObject gamma = made.value("Gamma").second;
        QCOMPARE(search(gamma.value("id").toString()), (QStringList{"Gamma"}));
        QCOMPARE(search(QStringLiteral("carl")), (QStringList{"Delta", "under_score"}));
        const QString last4 = made.value("Delta").first.right(4);
        QVERIFY(search(last4).contains(QStringLiteral("Delta")));
        QCOMPARE(search(QStringLiteral("carl"), "&tier=pro"), QStringList());
        // A part of an id or user id is not a match (only the name is searched by substring).
        QCOMPARE(search(gamma.value("id").toString().left(10)), QStringList());

        // Status: revoked and expired ones, apart.
        QCOMPARE(env.call("DELETE", "/admin/api-keys/" + gamma.value("id").toString().toLatin1(), root).status, 200);
        const QString soon = QDateTime::currentDateTimeUtc().addMSecs(1200).toString(Qt::ISODateWithMs);
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + made.value("Delta").second.value("id").toString().toLatin1(), root,
                          QJsonObject{{"expiresAt", soon}}).status, 200);
        QTest::qWait(1400);
        QCOMPARE(namesOf(dataArray(env.call("GET", "/admin/api-keys?status=revoked", root))), (QStringList{"Gamma"}));
        QCOMPARE(namesOf(dataArray(env.call("GET", "/admin/api-keys?status=expired", root))), (QStringList{"Delta"}));
        QCOMPARE(search(QStringLiteral("carl"), "&status=active"), (QStringList{"under_score"}));
        QCOMPARE(namesOf(dataArray(env.call("GET", "/admin/api-keys?status=active&userId=bert", root))), (QStringList{"100% real"}));
        QVERIFY_INVALID(env.call("GET", "/admin/api-keys?status=gone", root), "status: must be active, revoked or expired");
        QVERIFY_INVALID(env.call("GET", "/admin/api-keys?q=" + QByteArray(201, 'q'), root), "q: at most 200 characters");

        // Paging through a search: 2 + 2 + 1, newest first, no repeats, and the cursor keeps the search.
        for (int i = 0; i < 5; ++i)
            QVERIFY(!env.adminCreate({{"userId", "dora"}, {"name", QStringLiteral("Page %1").arg(i)}}).first.isEmpty());
        QStringList seen;
        QList<int> sizes;
        QByteArray cursor;
        do {
            const HttpTestResponse r = env.call("GET", "/admin/api-keys?q=page&limit=2" + (cursor.isEmpty() ? QByteArray() : "&cursor=" + cursor), root);
            QCOMPARE(r.status, 200);
            seen << namesOf(dataArray(r));
            sizes << dataArray(r).size();
            cursor = nextCursor(r);
        } while (!cursor.isEmpty());
        QCOMPARE(sizes, (QList<int>{2, 2, 1}));
        QCOMPARE(seen, (QStringList{"Page 4", "Page 3", "Page 2", "Page 1", "Page 0"}));
        QCOMPARE(env.call("GET", "/admin/api-keys?q=page&cursor=garbage", root).status, 400);
    }

    // PUT /admin/tiers takes exactly what GET /admin/tiers answers; a tier in use cannot go.
    void tiersRoundTrip_data() { TestDatabase::addBackendRows(); }
    void tiersRoundTrip()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const QByteArray root = env.root();
        const HttpTestResponse got = env.call("GET", "/admin/tiers", root);
        QCOMPARE(got.status, 200);
        // curl … /admin/tiers > t.json; curl -X PUT -d @t.json …
        HttpTestResponse r = env.put("/admin/tiers", root, got.body);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.body, got.body);
        QCOMPARE(env.call("GET", "/admin/tiers", root).body, got.body);
        // The bare array and {"tiers": [...]} too.
        const QJsonArray tiers = dataArray(got);
        QCOMPARE(env.call("PUT", "/admin/tiers", root, tiers).body, got.body);
        QCOMPARE(env.call("PUT", "/admin/tiers", root, QJsonObject{{"tiers", tiers}}).body, got.body);
        QCOMPARE(env.call("PUT", "/admin/tiers", root, QJsonObject{{"data", tiers}, {"tiers", tiers}}).status, 400);
        QCOMPARE(env.call("PUT", "/admin/tiers", root, QJsonObject{{"data", tiers}, {"extra", 1}}).status, 400);
        // Nothing was audited: nothing changed.
        r = env.call("GET", "/admin/audit?limit=100", root);
        for (const QJsonValue &entry : dataArray(r))
            QVERIFY(!entry.toObject().value("action").toString().startsWith(QLatin1String("tier.")));

        // A changed document round-trips as well.
        QJsonObject document = QJsonDocument::fromJson(got.body).object();
        QJsonArray changed = tiers;
        QJsonObject gold = tiers.at(0).toObject();
        gold.insert("slug", "gold");
        gold.insert("name", "Gold");
        gold.insert("priceCents", 50000);
        changed.append(gold);
        document.insert("data", changed);
        r = env.put("/admin/tiers", root, QJsonDocument(document).toJson());
        QCOMPARE(r.status, 200);
        QCOMPARE(dataArray(r).size(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(env.f->core->tiers().find(QStringLiteral("gold")).has_value(), 3000);

        // In use: two pro keys (one revoked) keep pro; an unused tier (gold) may go.
        const auto first = env.adminCreate({{"userId", "u"}, {"name", "a"}, {"tier", "pro"}});
        const auto second = env.adminCreate({{"userId", "u"}, {"name", "b"}, {"tier", "pro"}});
        QCOMPARE(env.call("DELETE", "/admin/api-keys/" + second.second.value("id").toString().toLatin1(), root).status, 200);
        QVERIFY_INVALID(env.call("PUT", "/admin/tiers", root, QJsonArray{tiers.at(0), tiers.at(2)}),
                        "tiers: \"pro\" is still used by 2 keys (revoked ones included); move them to another tier first");
        QCOMPARE(dataArray(env.call("GET", "/admin/tiers", root)).size(), 4);  // nothing changed
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + first.second.value("id").toString().toLatin1(), root, QJsonObject{{"tier", "gold"}}).status, 200);
        QVERIFY_INVALID(env.call("PUT", "/admin/tiers", root, QJsonArray{tiers.at(0), tiers.at(2)}),
                        "tiers: \"pro\" is still used by 1 key (revoked ones included); move it to another tier first");
        r = env.put("/admin/tiers", root, got.body);
        QVERIFY_INVALID(r, "tiers: \"gold\" is still used by 1 key (revoked ones included); move it to another tier first");
        QCOMPARE(env.call("PATCH", "/admin/api-keys/" + first.second.value("id").toString().toLatin1(), root, QJsonObject{{"tier", "pro"}}).status, 200);
        r = env.put("/admin/tiers", root, got.body);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, got.body);
    }

    // Every answered /v1 call of a valid key counts in exactly one outcome, per UTC day and endpoint.
    void outcomes_data() { TestDatabase::addBackendRows(); }
    void outcomes()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        // 4 requests a minute, 1 credit a month, search and extract only.
        const auto [raw, key] = env.adminCreate({{"userId", "olga"}, {"name", "outcomes"}, {"tier", "pro"}, {"rateLimit", 4},
                                                 {"monthlyCredits", 1}, {"allowedEndpoints", QJsonArray{"search", "extract"}}});
        const QString id = key.value("id").toString();
        const QByteArray search = R"({"q":"x"})";
        QCOMPARE(env.f->call("POST", "/v1/search", raw, search, {{"X-Test-Status", "500"}}).status, 500);     // upstreamError
        QCOMPARE(env.f->call("POST", "/v1/search", raw, search, {{"X-Test-Status", "404"}}).status, 404);     // clientError
        QCOMPARE(env.f->call("POST", "/v1/search", raw, search).status, 200);                                  // ok (the 1 credit)
        QCOMPARE(env.f->call("POST", "/v1/search", raw, search).errorCode(), QByteArray("INSUFFICIENT_CREDITS"));
        QCOMPARE(env.f->call("POST", "/v1/search", raw, search).errorCode(), QByteArray("RATE_LIMITED"));
        QCOMPARE(env.f->call("GET", "/v1/tts/voices", raw).errorCode(), QByteArray("ENDPOINT_NOT_ALLOWED"));   // forbidden
        // Another key: refused by address (forbidden too), and a revoked one, which is no usage at all.
        const auto fenced = env.adminCreate({{"userId", "olga"}, {"name", "fenced"}, {"allowedIps", QJsonArray{"10.9.9.9/32"}}});
        QCOMPARE(env.f->call("POST", "/v1/search", fenced.first, search).errorCode(), QByteArray("IP_NOT_ALLOWED"));
        const auto revoked = env.adminCreate({{"userId", "olga"}, {"name", "revoked"}});
        QCOMPARE(env.call("DELETE", "/admin/api-keys/" + revoked.second.value("id").toString().toLatin1(), env.root()).status, 200);
        QCOMPARE(env.f->call("POST", "/v1/search", revoked.first, search).errorCode(), QByteArray("API_KEY_REVOKED"));

        QTRY_COMPARE_WITH_TIMEOUT(dailyRow(env, id, QStringLiteral("search")).value("requests").toInt(), 5, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(dailyRow(env, id, QStringLiteral("tts/voices")).value("requests").toInt(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(dailyRow(env, fenced.second.value("id").toString(), QStringLiteral("search")).value("requests").toInt(), 1, 5000);
        const QJsonObject row = dailyRow(env, id, QStringLiteral("search"));
        QCOMPARE(row.value("date").toString(), todayUtc());
        QCOMPARE(row.value("credits").toInt(), 1);
        QCOMPARE(row.value("errors").toInt(), 4);
        for (const char *field : {"avgLatencyMs", "bytesIn", "bytesOut"})
            QVERIFY2(row.value(QLatin1String(field)).isDouble(), field);
        const QJsonObject outcomes = row.value("outcomes").toObject();
        const QStringList outcomeKeys = outcomes.keys();
        QCOMPARE(QSet<QString>(outcomeKeys.begin(), outcomeKeys.end()), QSet<QString>(OutcomeNames.begin(), OutcomeNames.end()));
        const QHash<QString, int> expected{{"ok", 1}, {"upstreamError", 1}, {"clientError", 1}, {"insufficientCredits", 1},
                                           {"rateLimited", 1}, {"forbidden", 0}, {"clientClosed", 0}};
        for (const QString &name : OutcomeNames)
            QVERIFY2(outcomes.value(name).toInt() == expected.value(name), qPrintable(name + QStringLiteral(": ") + QString::number(outcomes.value(name).toInt())));
        const QJsonObject voices = dailyRow(env, id, QStringLiteral("tts/voices")).value("outcomes").toObject();
        QCOMPARE(voices.value("forbidden").toInt(), 1);
        QCOMPARE(dailyRow(env, fenced.second.value("id").toString(), QStringLiteral("search")).value("outcomes").toObject().value("forbidden").toInt(), 1);
        // The revoked key's refusal is an authentication failure, not usage.
        QCOMPARE(dataArray(env.call("GET", "/admin/usage/daily?keyId=" + revoked.second.value("id").toString().toLatin1(), env.root())).size(), 0);

        // Without filters: summed over keys per day and endpoint.
        HttpTestResponse r = env.call("GET", "/admin/usage/daily?days=30", env.root());
        QCOMPARE(r.status, 200);
        QJsonObject all;
        for (const QJsonValue &entry : dataArray(r)) {
            if (entry.toObject().value("endpoint") == QLatin1String("search"))
                all = entry.toObject();
        }
        QCOMPARE(all.value("requests").toInt(), 6);
        QCOMPARE(all.value("outcomes").toObject().value("forbidden").toInt(), 1);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value("meta").toObject().value("days").toInt(), 30);
        QCOMPARE(env.call("GET", "/admin/usage/daily?days=0", env.root()).status, 400);
        QCOMPARE(env.call("GET", "/admin/usage/daily", env.token(QStringLiteral("olga"))).status, 403);

        // The owner's usage rows carry the outcomes too.
        r = env.call("GET", "/api-keys/" + id.toLatin1() + "/usage?days=1", env.token(QStringLiteral("olga")));
        QCOMPARE(r.status, 200);
        int rateLimited = 0;
        for (const QJsonValue &entry : dataArray(r))
            rateLimited += entry.toObject().value("outcomes").toObject().value("rateLimited").toInt();
        QCOMPARE(rateLimited, 1);
    }

    // GET /admin/usage/top-keys: by credits, then requests; name, user and tier with each.
    void topKeys_data() { TestDatabase::addBackendRows(); }
    void topKeys()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const auto big = env.adminCreate({{"userId", "u1"}, {"name", "big"}, {"tier", "pro"}});
        const auto small = env.adminCreate({{"userId", "u2"}, {"name", "small"}, {"tier", "free"}});
        const auto middle = env.adminCreate({{"userId", "u3"}, {"name", "middle"}, {"tier", "enterprise"}});
        const auto free = env.adminCreate({{"userId", "u4"}, {"name", "free calls"}, {"tier", "pro"}});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(env.f->call("POST", "/v1/search", big.first, R"({"q":"x"})").status, 200);
        QCOMPARE(env.f->call("POST", "/v1/search", small.first, R"({"q":"x"})").status, 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(env.f->call("POST", "/v1/search", middle.first, R"({"q":"x"})").status, 200);
        for (int i = 0; i < 5; ++i)  // 0 credits each: many requests, no credits
            QCOMPARE(env.f->call("GET", "/v1/search/engines", free.first).status, 200);

        QTRY_COMPARE_WITH_TIMEOUT(dataArray(env.call("GET", "/admin/usage/top-keys?limit=10", env.root())).size(), 4, 5000);
        // Four keys seen is not all their calls written: the five free calls may straddle a write-behind tick.
        QTRY_COMPARE_WITH_TIMEOUT(dataArray(env.call("GET", "/admin/usage/top-keys?limit=10", env.root())).at(3).toObject().value("requests").toInt(),
                                  5, 5000);
        HttpTestResponse r = env.call("GET", "/admin/usage/top-keys?limit=10&days=1", env.root());
        QCOMPARE(r.status, 200);
        QCOMPARE(namesOf(dataArray(r)), (QStringList{"big", "middle", "small", "free calls"}));
        const QJsonObject top = dataArray(r).at(0).toObject();
        QCOMPARE(top.value("keyId").toString(), big.second.value("id").toString());
        QCOMPARE(top.value("userId").toString(), QStringLiteral("u1"));
        QCOMPARE(top.value("tier").toString(), QStringLiteral("pro"));
        QCOMPARE(top.value("requests").toInt(), 3);
        QCOMPARE(top.value("credits").toInt(), 3);
        QCOMPARE(dataArray(r).at(1).toObject().value("tier").toString(), QStringLiteral("enterprise"));
        QCOMPARE(dataArray(r).at(3).toObject().value("requests").toInt(), 5);
        QCOMPARE(dataArray(r).at(3).toObject().value("credits").toInt(), 0);
        r = env.call("GET", "/admin/usage/top-keys?limit=2", env.root());
        QCOMPARE(namesOf(dataArray(r)), (QStringList{"big", "middle"}));
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value("meta").toObject().value("limit").toInt(), 2);
        QCOMPARE(env.call("GET", "/admin/usage/top-keys?limit=0", env.root()).status, 400);
    }

    // GET /admin/status: the counters grow by exactly what was answered; Redis, upstream instances.
    void statusCounters()
    {
        Env env;
        QVERIFY(env.start());
        const QByteArray root = env.root();
        const auto limited = env.adminCreate({{"userId", "s"}, {"name", "limited"}, {"tier", "pro"}, {"rateLimit", 3}});
        const auto other = env.adminCreate({{"userId", "s"}, {"name", "other"}, {"tier", "pro"}});
        auto status = [&] {
            const HttpTestResponse r = env.call("GET", "/admin/status", root);
            return data(r);
        };
        auto counter = [](const QJsonObject &s, const char *name) {
            const QJsonObject counters = s.value("counters").toObject();
            const QString field = QLatin1String(name);
            if (field.endsWith(QLatin1String("xx")) || field == QLatin1String("total"))
                return counters.value("requests").toObject().value(field).toInteger(-1);
            return counters.value(field).toInteger(-1);
        };
        const QJsonObject before = status();
        QCOMPARE(env.f->call("POST", "/v1/search", limited.first, R"({"q":"x"})").status, 200);
        QCOMPARE(env.f->call("POST", "/v1/search", limited.first, R"({"q":"x"})").status, 200);
        QCOMPARE(env.f->call("POST", "/v1/search", limited.first, R"({"q":"x"})", {{"X-Test-Status", "404"}}).status, 404);
        QCOMPARE(env.f->call("POST", "/v1/search", limited.first, R"({"q":"x"})").status, 429);
        QCOMPARE(env.f->call("POST", "/v1/search", other.first, R"({"q":"x"})", {{"X-Test-Status", "503"}}).status, 503);
        const QByteArray bulk = QJsonDocument(QJsonObject{{"urls", QJsonArray{"https://a.example", "https://b.example"}}}).toJson();
        QCOMPARE(env.f->call("POST", "/v1/extract/bulk", other.first, bulk).status, 200);
        QCOMPARE(env.f->call("GET", "/v1/nowhere", other.first).status, 404);
        QCOMPARE(env.f->call("POST", "/v1/search", QString(), "{}").status, 401);
        QCOMPARE(env.call("GET", "/api-keys", env.token(QStringLiteral("s"))).status, 200);
        QCOMPARE(env.call("GET", "/admin/api-keys", {}).status, 401);
        QCOMPARE(env.f->client->send({"GET", "/health", {}, {}}).status, 200);  // not counted
        const QJsonObject after = status();

        // The first /admin/status was answered (200) between the two readings; the second one not yet.
        QCOMPARE(counter(after, "total") - counter(before, "total"), 11);
        QCOMPARE(counter(after, "2xx") - counter(before, "2xx"), 5);  // 2 search, bulk, /api-keys, the first status
        QCOMPARE(counter(after, "3xx") - counter(before, "3xx"), 0);
        QCOMPARE(counter(after, "4xx") - counter(before, "4xx"), 5);  // 404 upstream, 429, 404 route, two 401
        QCOMPARE(counter(after, "5xx") - counter(before, "5xx"), 1);
        QCOMPARE(counter(after, "creditsCharged") - counter(before, "creditsCharged"), 4);  // 1 + 1 + 2
        QCOMPARE(counter(after, "rateLimited") - counter(before, "rateLimited"), 1);
        QVERIFY(counter(after, "inFlight") >= 1);  // this request
        QCOMPARE(counter(after, "total"), counter(after, "2xx") + counter(after, "3xx") + counter(after, "4xx") + counter(after, "5xx"));

        // The fields that were there stay; Redis and every upstream instance.
        for (const char *field : {"instance", "version", "uptimeSeconds", "database", "upstreams", "requestsPerSecond", "usage"})
            QVERIFY2(after.contains(QLatin1String(field)), field);
        QCOMPARE(after.value("database").toObject().value("status").toString(), QStringLiteral("up"));
        QCOMPARE(after.value("redis").toObject().value("status").toString(), QStringLiteral("disabled"));
        QTRY_VERIFY_WITH_TIMEOUT(status().value("upstreams").toObject().value("search").toObject().value("status") == QLatin1String("up"), 5000);
        const QJsonObject search = status().value("upstreams").toObject().value("search").toObject();
        QVERIFY(search.value("latencyMs").isDouble());
        QVERIFY(search.value("checkedAt").toString().endsWith(QLatin1Char('Z')));
        const QJsonArray instances = search.value("instances").toArray();
        QCOMPARE(instances.size(), 1);
        const QJsonObject instance = instances.at(0).toObject();
        QCOMPARE(instance.value("url").toString(), QString::fromLatin1(env.f->upstream.url()));
        QCOMPARE(instance.value("status").toString(), QStringLiteral("up"));
        QVERIFY(instance.value("latencyMs").isDouble());
        QVERIFY(QDateTime::fromString(instance.value("checkedAt").toString(), Qt::ISODateWithMs).isValid());
    }

    // A change's answer shows the ledger's live balance: what the next /v1 call sees, not the database's lagging copy.
    void patchAnswersLiveBalance_data() { TestDatabase::addBackendRows(); }
    void patchAnswersLiveBalance()
    {
        QFETCH(QString, backend);
        // Nothing is written behind during the test: the database lags the ledger by every call.
        Env env(backend, {QStringLiteral("USAGE_FLUSH_INTERVAL_MS=60000")});
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const auto [raw, key] = env.adminCreate({{"userId", "pat"}, {"name", "balance"}, {"tier", "pro"}});
        const QByteArray path = "/admin/api-keys/" + key.value("id").toString().toLatin1();
        for (int i = 0; i < 30; ++i)
            QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").status, 200);
        auto nextCallSees = [&] {
            const HttpTestResponse r = env.f->call("GET", "/v1/search/engines", raw);  // free: changes nothing
            return r.header("X-Credits-Remaining").toInt();
        };

        HttpTestResponse r = env.call("PATCH", path, env.adminToken, QJsonObject{{"grantCredits", 10}});
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("creditsUsed").toInt(), 30);
        QCOMPARE(data(r).value("creditsRemaining").toInt(), 5000 + 10 - 30);
        QCOMPARE(nextCallSees(), data(r).value("creditsRemaining").toInt());

        r = env.call("PATCH", path, env.adminToken, QJsonObject{{"tier", "enterprise"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("creditsRemaining").toInt(), 50000 + 10 - 30);
        QCOMPARE(nextCallSees(), data(r).value("creditsRemaining").toInt());

        r = env.call("PATCH", path, env.root(), QJsonObject{{"monthlyCredits", 100}, {"grantCredits", 5}});
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("creditsRemaining").toInt(), 100 + 15 - 30);
        QCOMPARE(nextCallSees(), data(r).value("creditsRemaining").toInt());
        QCOMPARE(env.f->call("POST", "/v1/search", raw, R"({"q":"x"})").header("X-Credits-Remaining").toInt(), 100 + 15 - 31);

        // Reading it says the same, and so does the owner's summary.
        r = env.call("GET", path, env.root());
        QCOMPARE(data(r).value("creditsUsed").toInt(), 31);
        QCOMPARE(data(r).value("creditsRemaining").toInt(), nextCallSees());
        r = env.call("GET", "/api-keys/" + key.value("id").toString().toLatin1() + "/usage/summary", env.token(QStringLiteral("pat")));
        QCOMPARE(data(r).value("creditsRemaining").toInt(), nextCallSees());
        r = env.call("GET", "/admin/api-keys?userId=pat", env.root());
        QCOMPARE(dataArray(r).at(0).toObject().value("creditsRemaining").toInt(), nextCallSees());
    }

    // The database is down: a key that must be looked up is 503 SERVICE_UNAVAILABLE with Retry-After, and so is
    // every management route that needs the store; a cached key keeps working.
    void databaseDown_data() { TestDatabase::addBackendRows(); }
    void databaseDown()
    {
        QFETCH(QString, backend);
        // SQLite runs in WAL mode, where no other connection can lock a reader out: the outage is PostgreSQL's.
        if (backend == QLatin1String("sqlite"))
            QSKIP("SQLite (WAL) cannot be made unreachable for readers from outside; the PostgreSQL row stops the server");
        if (TestDatabase::postgresControl().isEmpty()) {
            if (TestDatabase::postgresRequired())
                QFAIL("TOLLGATE_TEST_PG_CTL is not set");
            QSKIP("TOLLGATE_TEST_PG_CTL is not set: cannot stop the server");
        }
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.f->db);
        QVERIFY(env.start());
        const auto cached = env.adminCreate({{"userId", "d"}, {"name", "cached"}, {"tier", "pro"}});
        QCOMPARE(env.f->call("POST", "/v1/search", cached.first, R"({"q":"x"})").status, 200);
        const QString unknown = QStringLiteral("sk_live_") + QString(40, QLatin1Char('u'));
        QCOMPARE(env.f->call("POST", "/v1/search", unknown + QLatin1Char('0'), R"({"q":"x"})").errorCode(), QByteArray("INVALID_API_KEY"));
        const QByteArray root = env.root();

        QVERIFY(serverControl(QStringLiteral("stop -m fast")));
        auto restart = qScopeGuard([] { serverControl(QStringLiteral("start")); });

        HttpTestResponse r = env.f->call("POST", "/v1/search", unknown + QLatin1Char('1'), R"({"q":"x"})");
        QCOMPARE(r.status, 503);
        QCOMPARE(r.errorCode(), QByteArray("SERVICE_UNAVAILABLE"));
        QCOMPARE(r.header("Retry-After"), QByteArray("5"));
        // A cached key does not need the store.
        QCOMPARE(env.f->call("POST", "/v1/search", cached.first, R"({"q":"x"})").status, 200);
        // Management routes that need the store.
        for (const auto &[method, path] : QList<QPair<QByteArray, QByteArray>>{
                 {"GET", "/admin/api-keys"}, {"GET", "/admin/tiers"}, {"GET", "/admin/usage/daily"}, {"GET", "/admin/usage/top-keys"},
                 {"GET", "/admin/api-keys/" + cached.second.value("id").toString().toLatin1()}}) {
            r = env.call(method, path, root);
            QVERIFY2(r.status == 503, path.constData());
            QCOMPARE(r.errorCode(), QByteArray("SERVICE_UNAVAILABLE"));
            QCOMPARE(r.header("Retry-After"), QByteArray("5"));
        }
        r = env.call("POST", "/admin/api-keys", root, QJsonObject{{"userId", "d"}, {"name", "during the outage"}});
        QCOMPARE(r.errorCode(), QByteArray("SERVICE_UNAVAILABLE"));
        // An admin token that must be checked against the store: the same answer, not a 401.
        QTest::qWait(2100);  // past the token cache
        r = env.call("GET", "/admin/status", env.adminToken);
        QCOMPARE(r.status, 503);
        QCOMPARE(r.errorCode(), QByteArray("SERVICE_UNAVAILABLE"));
        QCOMPARE(r.header("Retry-After"), QByteArray("5"));
        // Status needs no store: it says the database is down.
        r = env.call("GET", "/admin/status", root);
        QCOMPARE(r.status, 200);
        QCOMPARE(data(r).value("database").toObject().value("status").toString(), QStringLiteral("down"));

        // Back: all is well again.
        restart.dismiss();
        QVERIFY(serverControl(QStringLiteral("start")));
        QTRY_COMPARE_WITH_TIMEOUT(env.call("GET", "/admin/tiers", root).status, 200, 15000);
        QCOMPARE(env.f->call("POST", "/v1/search", unknown + QLatin1Char('2'), R"({"q":"x"})").errorCode(), QByteArray("INVALID_API_KEY"));
    }
};

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
