// POST /webhooks/billing of the real daemon over real HTTP (issue 11 §7): Stripe-signed subscription events move a
// user's keys between tiers on every instance, audited as billing; a replay changes nothing (not even back after a
// hand-made change); bad, stale, future or missing signatures are 400 and count as failed authentications; unknown
// types and unmapped prices are 200 and change nothing; two instances receiving one event apply it once.
#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "HttpTestClient.h"
#include "TestDatabase.h"
#include "core/billing/StripeSignature.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

const QByteArray Secret = QByteArrayLiteral("whsec_tollgate_test_9f2c");
const QString PlanTiers = QStringLiteral("BILLING_PLAN_TIERS=price_pro:pro,price_ent:enterprise,price_gold:gold");

qint64 nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

// A subscription event as Stripe sends it (trimmed to what matters; the rest of Stripe's fields ride along).
QByteArray subscriptionEvent(const QString &id, const QString &type, const QString &userId, const QString &price,
                             const QString &status = QStringLiteral("active"), qint64 created = 0)
{
    const QJsonObject object{
        {QStringLiteral("id"), QStringLiteral("sub_1PqR")}, {QStringLiteral("object"), QStringLiteral("subscription")},
        {QStringLiteral("status"), status}, {QStringLiteral("customer"), QStringLiteral("cus_Q1")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("userId"), userId}}},
        {QStringLiteral("items"), QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                              {QStringLiteral("data"), QJsonArray{QJsonObject{
                                                   {QStringLiteral("id"), QStringLiteral("si_1")},
                                                   {QStringLiteral("price"), QJsonObject{{QStringLiteral("id"), price},
                                                                                         {QStringLiteral("unit_amount"), 1900}}}}}}}},
    };
    const QJsonObject event{{QStringLiteral("id"), id}, {QStringLiteral("object"), QStringLiteral("event")},
                            {QStringLiteral("type"), type}, {QStringLiteral("created"), created ? created : nowSeconds()},
                            {QStringLiteral("livemode"), false}, {QStringLiteral("api_version"), QStringLiteral("2024-06-20")},
                            {QStringLiteral("data"), QJsonObject{{QStringLiteral("object"), object}}}};
    // Indented on purpose: the signature is over these bytes, and the gateway must not re-serialise them.
    return QJsonDocument(event).toJson(QJsonDocument::Indented);
}

HttpTestRequest delivery(const QByteArray &body, const QByteArray &signature)
{
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json; charset=utf-8"},
                                                 {"User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"}};
    if (!signature.isNull())
        headers.append({"Stripe-Signature", signature});
    return {"POST", "/webhooks/billing", headers, body};
}

HttpTestRequest signedDelivery(const QByteArray &body, qint64 t = 0)
{
    return delivery(body, StripeSignature::header(t ? t : nowSeconds(), body, Secret));
}

QJsonObject dataOf(const HttpTestResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value(QLatin1String("data")).toObject();
}

// One gateway process over a fresh database, an admin token, and the CLI on the same database.
struct Env
{
    explicit Env(const QString &backend) : db(backend), cli(db.url()) {}

    bool start(const QStringList &environment = {QStringLiteral("BILLING_WEBHOOK_SECRET=") + QString::fromLatin1(Secret), PlanTiers})
    {
        if (!daemon.start(db.url(), upstream.url(), environment + QStringList{QStringLiteral("CHANGE_FEED_POLL_MS=100")}))
            return false;
        client = std::make_unique<HttpTestClient>(daemon.port);
        const CliResult token = cli.run({QStringLiteral("admin-token"), QStringLiteral("create"), QStringLiteral("--name"),
                                         QStringLiteral("ops"), QStringLiteral("--json")});
        adminToken = token.json().object().value(QLatin1String("token")).toString().toLatin1();
        return !adminToken.isEmpty();
    }

    // keys create for `user`: {raw key, id}.
    CliRunner::CreatedKey createKey(const QString &user, const QString &tier = QStringLiteral("free"))
    {
        const QJsonObject o = cli.run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), user, QStringLiteral("--name"),
                                       QStringLiteral("k"), QStringLiteral("--tier"), tier, QStringLiteral("--json")})
                                  .json().object();
        return {o.value(QLatin1String("key")).toString(), o.value(QLatin1String("apiKey")).toObject().value(QLatin1String("id")).toString()};
    }

    // The key as the admin API shows it.
    QJsonObject key(const QString &id) const
    {
        const HttpTestResponse r = client->send({"GET", "/admin/api-keys/" + id.toLatin1(), {{"Authorization", "Bearer " + adminToken}}, {}});
        return dataOf(r);
    }
    QString tierOf(const QString &id) const { return key(id).value(QLatin1String("tier")).toString(); }

    QJsonArray audit(const QByteArray &query) const
    {
        const HttpTestResponse r = client->send({"GET", "/admin/audit?" + query, {{"Authorization", "Bearer " + adminToken}}, {}});
        return QJsonDocument::fromJson(r.body).object().value(QLatin1String("data")).toArray();
    }

    HttpTestResponse send(const HttpTestRequest &request) const { return client->send(request); }

    double metric(const QByteArray &series) const
    {
        const HttpTestResponse r = client->send({"GET", "/metrics", {}, {}});
        for (const QByteArray &line : r.body.split('\n')) {
            if (line.startsWith(series + ' '))
                return line.mid(series.size() + 1).toDouble();
        }
        return 0;
    }

    TestDatabase db;
    FakeUpstream upstream;
    DaemonProcess daemon;
    CliRunner cli;
    std::unique_ptr<HttpTestClient> client;
    QByteArray adminToken;
};

} // namespace

class TestBillingWebhook : public QObject
{
    Q_OBJECT

private slots:
    void subscriptionMovesKeysAndReplayChangesNothing_data() { TestDatabase::addBackendRows(); }
    void subscriptionMovesKeysAndReplayChangesNothing()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.db);
        QVERIFY(env.start());
        const auto a1 = env.createKey(QStringLiteral("alice"));
        const auto a2 = env.createKey(QStringLiteral("alice"));
        const auto revoked = env.createKey(QStringLiteral("alice"));
        QCOMPARE(env.cli.run({QStringLiteral("keys"), QStringLiteral("revoke"), revoked.id}).exitCode, 0);
        const auto bob = env.createKey(QStringLiteral("bob"));
        // Free has no extract: refused before the upgrade.
        const HttpTestRequest extract{"POST", "/v1/extract", {{"X-API-Key", a2.raw.toLatin1()}, {"Content-Type", "application/json"}},
                                      "{\"url\":\"https://example.com\"}"};
        QCOMPARE(env.send(extract).status, 403);

        const QByteArray upgrade = subscriptionEvent(QStringLiteral("evt_upgrade"), QStringLiteral("customer.subscription.updated"),
                                                     QStringLiteral("alice"), QStringLiteral("price_pro"));
        HttpTestResponse r = env.send(signedDelivery(upgrade));
        QCOMPARE(r.status, 200);
        QCOMPARE(dataOf(r).value(QLatin1String("result")).toString(), QStringLiteral("applied"));
        QCOMPARE(dataOf(r).value(QLatin1String("tier")).toString(), QStringLiteral("pro"));
        QCOMPARE(dataOf(r).value(QLatin1String("keysMoved")).toInt(), 2);
        QCOMPARE(env.tierOf(a1.id), QStringLiteral("pro"));
        QCOMPARE(env.tierOf(a2.id), QStringLiteral("pro"));
        // Revoked keys stay revoked, and where they were; other users are untouched.
        QCOMPARE(env.key(revoked.id).value(QLatin1String("status")).toString(), QStringLiteral("revoked"));
        QCOMPARE(env.tierOf(revoked.id), QStringLiteral("free"));
        QCOMPARE(env.tierOf(bob.id), QStringLiteral("free"));
        // The running gateway applies it like any other tier change (the change feed): extract is allowed now.
        QTRY_COMPARE_WITH_TIMEOUT(env.send(extract).status, 200, 5000);

        // Audited, one entry per key moved, by billing, naming the event.
        const QJsonArray audited = env.audit("actor=billing");
        QCOMPARE(audited.size(), 2);
        for (const QJsonValue &entry : audited) {
            const QJsonObject e = entry.toObject();
            QCOMPARE(e.value(QLatin1String("action")).toString(), QStringLiteral("key.update"));
            QCOMPARE(e.value(QLatin1String("before")).toObject().value(QLatin1String("tier")).toString(), QStringLiteral("free"));
            QCOMPARE(e.value(QLatin1String("after")).toObject().value(QLatin1String("tier")).toString(), QStringLiteral("pro"));
            QCOMPARE(e.value(QLatin1String("after")).toObject().value(QLatin1String("billingEvent")).toObject().value(QLatin1String("id")).toString(),
                     QStringLiteral("evt_upgrade"));
        }

        // An admin moves one key by hand; the replay of the same event (signed again, as Stripe's retries are) must
        // not move it back.
        r = env.send({"PATCH", "/admin/api-keys/" + a1.id.toLatin1(),
                      {{"Authorization", "Bearer " + env.adminToken}, {"Content-Type", "application/json"}}, R"({"tier":"enterprise"})"});
        QCOMPARE(r.status, 200);
        r = env.send(signedDelivery(upgrade, nowSeconds() + 1));
        QCOMPARE(r.status, 200);
        QCOMPARE(dataOf(r).value(QLatin1String("result")).toString(), QStringLiteral("replay"));
        QCOMPARE(env.tierOf(a1.id), QStringLiteral("enterprise"));
        QCOMPARE(env.tierOf(a2.id), QStringLiteral("pro"));
        QCOMPARE(env.audit("actor=billing").size(), 2);

        // Deleted: back to free, every non-revoked key (the hand-moved one too).
        r = env.send(signedDelivery(subscriptionEvent(QStringLiteral("evt_cancel"), QStringLiteral("customer.subscription.deleted"),
                                                      QStringLiteral("alice"), QStringLiteral("price_pro"), QStringLiteral("canceled"),
                                                      nowSeconds() + 1)));
        QCOMPARE(r.status, 200);
        QCOMPARE(dataOf(r).value(QLatin1String("keysMoved")).toInt(), 2);
        QCOMPARE(env.tierOf(a1.id), QStringLiteral("free"));
        QCOMPARE(env.tierOf(a2.id), QStringLiteral("free"));
        QTRY_COMPARE_WITH_TIMEOUT(env.send(extract).status, 403, 5000);

        // An update Stripe made before the deletion, arriving after it (Stripe does not deliver in order): recorded,
        // not applied.
        r = env.send(signedDelivery(subscriptionEvent(QStringLiteral("evt_late"), QStringLiteral("customer.subscription.updated"),
                                                      QStringLiteral("alice"), QStringLiteral("price_ent"), QStringLiteral("active"),
                                                      nowSeconds() - 60)));
        QCOMPARE(r.status, 200);
        QCOMPARE(dataOf(r).value(QLatin1String("result")).toString(), QStringLiteral("superseded"));
        QCOMPARE(env.tierOf(a1.id), QStringLiteral("free"));
        QCOMPARE(env.audit("actor=billing").size(), 4);
        QCOMPARE(env.metric(R"(tollgate_billing_webhook_events_total{result="applied",reason="subscription"})"), 1.0);
        QCOMPARE(env.metric(R"(tollgate_billing_webhook_events_total{result="replay",reason="subscription"})"), 1.0);
    }

    void signaturesAreCheckedAsStripeDoes()
    {
        Env env(QStringLiteral("sqlite"));
        QVERIFY(env.start());
        const auto key = env.createKey(QStringLiteral("carol"));
        const QByteArray body = subscriptionEvent(QStringLiteral("evt_sig"), QStringLiteral("customer.subscription.created"),
                                                  QStringLiteral("carol"), QStringLiteral("price_pro"));
        const qint64 t = nowSeconds();
        const QByteArray good = StripeSignature::sign(t, body, Secret);
        const QByteArray wrong = StripeSignature::sign(t, body, "whsec_someone_else");
        struct Refusal
        {
            const char *what;
            HttpTestRequest request;
            const char *says;
        };
        const QList<Refusal> refusals{
            {"no header", delivery(body, QByteArray()), "missing"},
            {"garbled header", delivery(body, "sha256=" + good), "t="},
            {"no v1", delivery(body, "t=" + QByteArray::number(t) + ",v0=" + good), "no v1"},
            {"wrong secret", delivery(body, "t=" + QByteArray::number(t) + ",v1=" + wrong), "No v1 signature"},
            {"body altered", delivery(body + "\n", "t=" + QByteArray::number(t) + ",v1=" + good), "No v1 signature"},
            {"stale", signedDelivery(body, t - 301), "behind"},
            {"future", signedDelivery(body, t + 400), "ahead"},
        };
        for (const Refusal &refusal : refusals) {
            const HttpTestResponse r = env.send(refusal.request);
            QVERIFY2(r.status == 400, refusal.what);
            QVERIFY2(r.errorCode() == "INVALID_REQUEST", refusal.what);
            QVERIFY2(r.body.contains(refusal.says), qPrintable(QString::fromLatin1(refusal.what) + ": " + QString::fromUtf8(r.body)));
            QCOMPARE(env.tierOf(key.id), QStringLiteral("free"));
        }
        QCOMPARE(env.metric(R"(tollgate_auth_failures_total{reason="billing_signature_mismatch"})"), 2.0);

        // Several v1 (a secret being rolled), one of them right: accepted.
        const HttpTestResponse r = env.send(delivery(body, "t=" + QByteArray::number(t) + ",v1=" + wrong + ",v1=" + good + ",v0=" + wrong));
        QCOMPARE(r.status, 200);
        QCOMPARE(dataOf(r).value(QLatin1String("result")).toString(), QStringLiteral("applied"));
        QCOMPARE(env.tierOf(key.id), QStringLiteral("pro"));

        // Only POST; the body limit is the route's, answered from Content-Length before anything is read.
        const HttpTestResponse get = env.send({"GET", "/webhooks/billing", {}, {}});
        QCOMPARE(get.status, 405);
        QCOMPARE(get.header("allow"), QByteArray("POST"));
        const QByteArray huge(300 * 1024, ' ');
        QCOMPARE(env.send(signedDelivery(huge)).status, 413);
    }

    // Failed signatures feed the per-address limit of failed authentications (AUTH_FAILURE_LIMIT), as a wrong key does.
    void failedSignaturesCountTowardTheAddressLimit()
    {
        Env env(QStringLiteral("sqlite"));
        QVERIFY(env.start({QStringLiteral("BILLING_WEBHOOK_SECRET=") + QString::fromLatin1(Secret), PlanTiers,
                           QStringLiteral("AUTH_FAILURE_LIMIT=3")}));
        const QByteArray body = subscriptionEvent(QStringLiteral("evt_lim"), QStringLiteral("customer.subscription.created"),
                                                  QStringLiteral("dave"), QStringLiteral("price_pro"));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(env.send(delivery(body, "t=1,v1=00")).status, 400);
        const HttpTestResponse limited = env.send(signedDelivery(body));
        QCOMPARE(limited.status, 429);
        QVERIFY(!limited.header("retry-after").isEmpty());
    }

    void ignoredEventsAnswer200AndChangeNothing()
    {
        Env env(QStringLiteral("sqlite"));
        QVERIFY(env.start());
        const auto key = env.createKey(QStringLiteral("erin"));
        const struct
        {
            QByteArray body;
            const char *reason;
        } ignored[] = {
            {subscriptionEvent(QStringLiteral("evt_inv"), QStringLiteral("invoice.paid"), QStringLiteral("erin"), QStringLiteral("price_pro")), "unknown_type"},
            {subscriptionEvent(QStringLiteral("evt_unm"), QStringLiteral("customer.subscription.updated"), QStringLiteral("erin"), QStringLiteral("price_other")), "unmapped_price"},
            {subscriptionEvent(QStringLiteral("evt_inc"), QStringLiteral("customer.subscription.created"), QStringLiteral("erin"), QStringLiteral("price_pro"), QStringLiteral("incomplete")), "status_pending"},
            {subscriptionEvent(QStringLiteral("evt_nou"), QStringLiteral("customer.subscription.updated"), QString(), QStringLiteral("price_pro")), "no_user"},
        };
        for (const auto &event : ignored) {
            const HttpTestResponse r = env.send(signedDelivery(event.body));
            QCOMPARE(r.status, 200);
            QCOMPARE(dataOf(r).value(QLatin1String("result")).toString(), QStringLiteral("ignored"));
            QCOMPARE(dataOf(r).value(QLatin1String("reason")).toString(), QString::fromLatin1(event.reason));
            QCOMPARE(env.metric("tollgate_billing_webhook_events_total{result=\"ignored\",reason=\"" + QByteArray(event.reason) + "\"}"), 1.0);
        }
        QCOMPARE(env.tierOf(key.id), QStringLiteral("free"));
        QCOMPARE(env.audit("actor=billing").size(), 0);
        // Not recorded: once the price is mapped (here: the same event re-sent), it applies. And a body that is no
        // event at all, but signed, is a 400.
        const HttpTestResponse junk = env.send(signedDelivery(R"(["not","an","event"])"));
        QCOMPARE(junk.status, 400);
    }

    // A tier BILLING_PLAN_TIERS names that does not exist: 500 and nothing recorded, so Stripe's retry applies the
    // event once an admin has created the tier.
    void unknownTierFailsUntilItExists()
    {
        Env env(QStringLiteral("sqlite"));
        QVERIFY(env.start());
        const auto key = env.createKey(QStringLiteral("frank"));
        const QByteArray body = subscriptionEvent(QStringLiteral("evt_gold"), QStringLiteral("customer.subscription.created"),
                                                  QStringLiteral("frank"), QStringLiteral("price_gold"));
        HttpTestResponse r = env.send(signedDelivery(body));
        QCOMPARE(r.status, 500);
        QVERIFY2(r.body.contains("gold"), r.body.constData());
        QCOMPARE(env.tierOf(key.id), QStringLiteral("free"));
        QCOMPARE(env.cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("gold"), QStringLiteral("--rate"), QStringLiteral("500"),
                              QStringLiteral("--credits"), QStringLiteral("20000"), QStringLiteral("--endpoints"), QStringLiteral("search,extract")})
                     .exitCode, 0);
        r = env.send(signedDelivery(body));
        QCOMPARE(r.status, 200);
        QCOMPARE(dataOf(r).value(QLatin1String("result")).toString(), QStringLiteral("applied"));
        QCOMPARE(env.tierOf(key.id), QStringLiteral("gold"));
    }

    void offWithoutSecret()
    {
        Env env(QStringLiteral("sqlite"));
        QVERIFY(env.start({}));
        const QByteArray body = subscriptionEvent(QStringLiteral("evt_off"), QStringLiteral("customer.subscription.created"),
                                                  QStringLiteral("gina"), QStringLiteral("price_pro"));
        const HttpTestResponse r = env.send(signedDelivery(body));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QByteArray("NOT_FOUND"));
    }

    // Two instances on one database, the same delivery to both at once (Stripe retrying while the first is slow, or
    // two endpoints configured): applied once, one key.update per key in the audit log.
    void concurrentDeliveriesApplyOnce_data() { TestDatabase::addBackendRows(); }
    void concurrentDeliveriesApplyOnce()
    {
        QFETCH(QString, backend);
        Env env(backend);
        TOLLGATE_REQUIRE_DATABASE(env.db);
        QVERIFY(env.start());
        DaemonProcess second;
        QVERIFY(second.start(env.db.url(), env.upstream.url(),
                             {QStringLiteral("BILLING_WEBHOOK_SECRET=") + QString::fromLatin1(Secret), PlanTiers}));
        QList<CliRunner::CreatedKey> keys;
        for (int i = 0; i < 3; ++i)
            keys.append(env.createKey(QStringLiteral("hank")));
        for (int round = 0; round < 5; ++round) {
            const QString tier = round % 2 ? QStringLiteral("enterprise") : QStringLiteral("pro");
            const QByteArray body = subscriptionEvent(QStringLiteral("evt_race_%1").arg(round), QStringLiteral("customer.subscription.updated"),
                                                      QStringLiteral("hank"), round % 2 ? QStringLiteral("price_ent") : QStringLiteral("price_pro"),
                                                      QStringLiteral("active"), nowSeconds() + round);
            const HttpTestRequest request = signedDelivery(body);
            const QList<HttpTestResponse> answers = HttpTestClient::sendConcurrently(
                {{env.daemon.port, request}, {second.port, request}, {env.daemon.port, request}, {second.port, request},
                 {env.daemon.port, request}});
            int applied = 0;
            int replays = 0;
            for (const HttpTestResponse &r : answers) {
                QCOMPARE(r.status, 200);
                const QString result = dataOf(r).value(QLatin1String("result")).toString();
                applied += result == QLatin1String("applied");
                replays += result == QLatin1String("replay");
            }
            QCOMPARE(applied, 1);
            QCOMPARE(replays, 4);
            for (const auto &key : keys)
                QCOMPARE(env.tierOf(key.id), tier);
            QCOMPARE(env.audit("actor=billing&limit=100").size(), 3 * (round + 1));
        }
    }
};

QTEST_GUILESS_MAIN(TestBillingWebhook)
#include "tst_billingwebhook.moc"
