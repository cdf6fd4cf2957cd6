// The billing webhook's decisions without a server: Stripe's signature scheme (header forms, several v1, the
// tolerance both ways), BILLING_PLAN_TIERS and what each event asks for.
#include "core/billing/BillingEvent.h"
#include "core/billing/PlanTierMap.h"
#include "core/billing/StripeSignature.h"
#include "core/config/Settings.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcessEnvironment>
#include <QtTest>

using namespace tollgate;

Q_DECLARE_METATYPE(tollgate::StripeSignature::Result)
Q_DECLARE_METATYPE(tollgate::BillingDecision::Action)

namespace {

const QByteArray Secret = QByteArrayLiteral("whsec_test_4eC39HqLyjWDarjtT1zdp7dc");
const QByteArray Body = QByteArrayLiteral(R"({"id":"evt_1","type":"customer.subscription.updated"})");
constexpr qint64 Now = 1767225600;  // 2026-01-01T00:00:00Z

QByteArray v1(qint64 t, const QByteArray &body = Body, const QByteArray &secret = Secret)
{
    return StripeSignature::sign(t, body, secret);
}

QByteArray subscription(const char *type, const char *status, const char *priceId, const char *userId = "alice",
                        const char *planId = nullptr)
{
    QJsonArray items;
    if (priceId)
        items.append(QJsonObject{{QStringLiteral("price"), QJsonObject{{QStringLiteral("id"), QLatin1String(priceId)}}}});
    if (planId)
        items.append(QJsonObject{{QStringLiteral("plan"), QJsonObject{{QStringLiteral("id"), QLatin1String(planId)}}}});
    QJsonObject object{{QStringLiteral("id"), QStringLiteral("sub_1")}, {QStringLiteral("items"), QJsonObject{{QStringLiteral("data"), items}}}};
    if (status)
        object.insert(QStringLiteral("status"), QLatin1String(status));
    if (userId)
        object.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("userId"), QLatin1String(userId)}});
    const QJsonObject event{{QStringLiteral("id"), QStringLiteral("evt_9")}, {QStringLiteral("type"), QLatin1String(type)},
                            {QStringLiteral("created"), Now}, {QStringLiteral("data"), QJsonObject{{QStringLiteral("object"), object}}}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

} // namespace

class TestBilling : public QObject
{
    Q_OBJECT

private slots:
    void signature_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<StripeSignature::Result>("expected");
        using R = StripeSignature::Result;
        const QByteArray t = QByteArray::number(Now);
        const QByteArray good = v1(Now);
        const QByteArray other = v1(Now, Body, "whsec_other");
        QTest::newRow("valid") << "t=" + t + ",v1=" + good << Body << R::Valid;
        QTest::newRow("valid, spaces after commas") << "t=" + t + ", v1=" + good << Body << R::Valid;
        QTest::newRow("second v1 right (secret being rolled)") << "t=" + t + ",v1=" + other + ",v1=" + good << Body << R::Valid;
        QTest::newRow("first v1 right, v0 beside") << "t=" + t + ",v1=" + good + ",v1=" + other + ",v0=" + other << Body << R::Valid;
        QTest::newRow("upper-case hex of the right bytes") << "t=" + t + ",v1=" + good.toUpper() << Body << R::Valid;
        QTest::newRow("4 min 59 s old") << "t=" + QByteArray::number(Now - 299) + ",v1=" + v1(Now - 299) << Body << R::Valid;
        QTest::newRow("4 min 59 s ahead") << "t=" + QByteArray::number(Now + 299) + ",v1=" + v1(Now + 299) << Body << R::Valid;
        QTest::newRow("empty") << QByteArray() << Body << R::Missing;
        QTest::newRow("blank") << QByteArray("  ") << Body << R::Missing;
        QTest::newRow("no t") << "v1=" + good << Body << R::Malformed;
        QTest::newRow("no v1") << "t=" + t << Body << R::Malformed;
        QTest::newRow("only v0") << "t=" + t + ",v0=" + good << Body << R::Malformed;
        QTest::newRow("two t") << "t=" + t + ",t=" + t + ",v1=" + good << Body << R::Malformed;
        QTest::newRow("t not a number") << "t=yesterday,v1=" + good << Body << R::Malformed;
        QTest::newRow("t negative") << "t=-5,v1=" + good << Body << R::Malformed;
        QTest::newRow("garbage") << QByteArray("sha256=abcdef") << Body << R::Malformed;  // no t
        QTest::newRow("item without =") << "t=" + t + ",v1" << Body << R::Malformed;
        QTest::newRow("wrong secret") << "t=" + t + ",v1=" + other << Body << R::NoMatch;
        QTest::newRow("body changed") << "t=" + t + ",v1=" + good << Body + ' ' << R::NoMatch;
        QTest::newRow("body re-serialised") << "t=" + t + ",v1=" + good << QByteArray(R"({"id": "evt_1", "type": "customer.subscription.updated"})") << R::NoMatch;
        QTest::newRow("t changed, signature of the old t") << "t=" + QByteArray::number(Now - 1) + ",v1=" + good << Body << R::NoMatch;
        QTest::newRow("v1 truncated") << "t=" + t + ",v1=" + good.left(63) << Body << R::NoMatch;
        QTest::newRow("v1 not hex") << "t=" + t + ",v1=" + QByteArray(64, 'z') << Body << R::NoMatch;
        QTest::newRow("v1 empty") << "t=" + t + ",v1=" << Body << R::NoMatch;
        QTest::newRow("5 min 1 s old") << "t=" + QByteArray::number(Now - 301) + ",v1=" + v1(Now - 301) << Body << R::OutsideTolerance;
        QTest::newRow("a day old") << "t=" + QByteArray::number(Now - 86400) + ",v1=" + v1(Now - 86400) << Body << R::OutsideTolerance;
        QTest::newRow("5 min 1 s ahead") << "t=" + QByteArray::number(Now + 301) + ",v1=" + v1(Now + 301) << Body << R::OutsideTolerance;
    }

    void signature()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, body);
        QFETCH(StripeSignature::Result, expected);
        const StripeSignature::Verdict verdict = StripeSignature::verify(header, body, Secret, Now);
        QCOMPARE(verdict.result, expected);
        QCOMPARE(verdict.message.isEmpty(), expected == StripeSignature::Result::Valid);
        // The message says what is wrong, never the signature that would have been right.
        QVERIFY(!verdict.message.contains(QString::fromLatin1(v1(Now))));
    }

    // The value Stripe's own documentation computes: HMAC-SHA256 over "t.body", hex.
    void signatureIsHmacSha256OfTimestampDotBody()
    {
        const QByteArray expected = QMessageAuthenticationCode::hash(QByteArray::number(Now) + '.' + Body, Secret,
                                                                     QCryptographicHash::Sha256).toHex();
        QCOMPARE(StripeSignature::sign(Now, Body, Secret), expected);
        QCOMPARE(StripeSignature::header(Now, Body, Secret), "t=" + QByteArray::number(Now) + ",v1=" + expected);
    }

    void planTierMap_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QString>("tier");  // empty: none
        QTest::newRow("empty") << "" << true << QStringList{"price_1"} << "";
        QTest::newRow("one") << "price_1Pro:pro" << true << QStringList{"price_1Pro"} << "pro";
        QTest::newRow("spaces") << " price_1Pro : pro , plan_team:enterprise " << true << QStringList{"plan_team"} << "enterprise";
        QTest::newRow("first mapped id wins") << "a:pro,b:enterprise" << true << QStringList{"x", "b", "a"} << "enterprise";
        QTest::newRow("unmapped") << "a:pro" << true << QStringList{"b"} << "";
        QTest::newRow("same mapping twice is fine") << "a:pro,a:pro" << true << QStringList{"a"} << "pro";
        QTest::newRow("ids are case-sensitive") << "price_A:pro" << true << QStringList{"price_a"} << "";
        QTest::newRow("no colon") << "price_1" << false << QStringList() << "";
        QTest::newRow("no tier") << "price_1:" << false << QStringList() << "";
        QTest::newRow("tier upper-case") << "price_1:Pro" << false << QStringList() << "";
        QTest::newRow("id with space") << "price 1:pro" << false << QStringList() << "";
        QTest::newRow("conflict") << "a:pro,a:free" << false << QStringList() << "";
    }

    void planTierMap()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QStringList, ids);
        QFETCH(QString, tier);
        QString why;
        const auto map = PlanTierMap::parse(text, &why);
        QCOMPARE(map.has_value(), valid);
        QCOMPARE(why.isEmpty(), valid);
        if (!valid)
            return;
        QCOMPARE(map->tierFor(ids).value_or(QString()), tier);
    }

    void planTiersWithoutSecretStopStartUp()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("BILLING_PLAN_TIERS"), QStringLiteral("price_1:pro"));
        QString error;
        QVERIFY(!Settings::load(nullptr, env, Settings::Profile::Daemon, &error));
        QVERIFY2(error.startsWith(QStringLiteral("BILLING_PLAN_TIERS:")) && error.contains(QStringLiteral("BILLING_WEBHOOK_SECRET")),
                 qPrintable(error));
        env.insert(QStringLiteral("BILLING_WEBHOOK_SECRET"), QStringLiteral("whsec_x"));
        const auto settings = Settings::load(nullptr, env, Settings::Profile::Daemon, &error);
        QVERIFY2(settings, qPrintable(error));
        QCOMPARE(settings->billingPlanTiers().tierFor({QStringLiteral("price_1")}).value_or(QString()), QStringLiteral("pro"));
        QCOMPARE(settings->billingWebhookSecret(), QByteArray("whsec_x"));
    }

    void decision_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<BillingDecision::Action>("action");
        QTest::addColumn<QString>("tier");
        QTest::addColumn<QByteArray>("reason");
        using A = BillingDecision::Action;
        QTest::newRow("created, active, mapped") << subscription("customer.subscription.created", "active", "price_pro") << A::MoveKeys << "pro" << QByteArray("subscription");
        QTest::newRow("updated, trialing") << subscription("customer.subscription.updated", "trialing", "price_ent") << A::MoveKeys << "enterprise" << QByteArray("subscription");
        QTest::newRow("updated, past_due keeps the tier") << subscription("customer.subscription.updated", "past_due", "price_pro") << A::MoveKeys << "pro" << QByteArray("subscription");
        QTest::newRow("no status: as active") << subscription("customer.subscription.updated", nullptr, "price_pro") << A::MoveKeys << "pro" << QByteArray("subscription");
        QTest::newRow("legacy plan id") << subscription("customer.subscription.updated", "active", nullptr, "alice", "plan_ent") << A::MoveKeys << "enterprise" << QByteArray("subscription");
        QTest::newRow("unmapped price, mapped plan") << subscription("customer.subscription.updated", "active", "price_other", "alice", "plan_ent") << A::MoveKeys << "enterprise" << QByteArray("subscription");
        QTest::newRow("unpaid: free") << subscription("customer.subscription.updated", "unpaid", "price_pro") << A::MoveKeys << "free" << QByteArray("status_ended");
        QTest::newRow("canceled: free") << subscription("customer.subscription.updated", "canceled", "price_pro") << A::MoveKeys << "free" << QByteArray("status_ended");
        QTest::newRow("incomplete: nothing yet") << subscription("customer.subscription.created", "incomplete", "price_pro") << A::Ignore << "" << QByteArray("status_pending");
        QTest::newRow("deleted: free, whatever the price") << subscription("customer.subscription.deleted", "canceled", "price_other") << A::MoveKeys << "free" << QByteArray("deleted");
        QTest::newRow("unmapped price") << subscription("customer.subscription.updated", "active", "price_other") << A::Ignore << "" << QByteArray("unmapped_price");
        QTest::newRow("no userId") << subscription("customer.subscription.updated", "active", "price_pro", nullptr) << A::Ignore << "" << QByteArray("no_user");
        QTest::newRow("other type") << subscription("invoice.paid", "active", "price_pro") << A::Ignore << "" << QByteArray("unknown_type");
    }

    void decision()
    {
        QFETCH(QByteArray, event);
        QFETCH(BillingDecision::Action, action);
        QFETCH(QString, tier);
        QFETCH(QByteArray, reason);
        QString why;
        const auto parsed = BillingEvent::parse(event, &why);
        QVERIFY2(parsed, qPrintable(why));
        QCOMPARE(parsed->id, QStringLiteral("evt_9"));
        QCOMPARE(parsed->created, Now);
        const BillingDecision decision = BillingDecision::of(*parsed, *PlanTierMap::parse(QStringLiteral("price_pro:pro,price_ent:enterprise,plan_ent:enterprise")));
        QCOMPARE(decision.action, action);
        QCOMPARE(decision.tier, tier);
        QCOMPARE(decision.reason, reason);
        QVERIFY(!decision.explanation.isEmpty());
    }

    void notAnEvent_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not JSON") << QByteArray("id=evt_1");
        QTest::newRow("an array") << QByteArray(R"([{"id":"evt_1","type":"x"}])");
        QTest::newRow("no id") << QByteArray(R"({"type":"customer.subscription.updated"})");
        QTest::newRow("numeric id") << QByteArray(R"({"id":1,"type":"customer.subscription.updated"})");
        QTest::newRow("no type") << QByteArray(R"({"id":"evt_1"})");
        QTest::newRow("id too long") << "{\"id\":\"" + QByteArray(256, 'e') + "\",\"type\":\"x\"}";
    }

    void notAnEvent()
    {
        QFETCH(QByteArray, body);
        QString why;
        QVERIFY(!BillingEvent::parse(body, &why));
        QVERIFY(!why.isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestBilling)
#include "tst_billing.moc"
