#include "core/keys/ApiKey.h"
#include "core/tiers/Tier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QtTest>

using namespace tollgate;

Q_DECLARE_METATYPE(tollgate::KeyStatus)

namespace {

Tier proTier()
{
    Tier tier;
    tier.slug = QStringLiteral("pro");
    tier.name = QStringLiteral("Pro");
    tier.rateLimit = 100;
    tier.rateWindowSeconds = 60;
    tier.monthlyCredits = 5000;
    tier.endpoints = {QStringLiteral("search"), QStringLiteral("extract"), QStringLiteral("stt"), QStringLiteral("tts")};
    tier.priceCents = 1900;
    return tier;
}

Tier freeTier()
{
    Tier tier;
    tier.slug = QStringLiteral("free");
    tier.name = QStringLiteral("Free");
    tier.rateLimit = 10;
    tier.rateWindowSeconds = 60;
    tier.monthlyCredits = 100;
    tier.endpoints = {QStringLiteral("search")};
    return tier;
}

QDateTime utc(int year, int month, int day, int h, int m, int s, int ms = 0)
{
    return QDateTime(QDate(year, month, day), QTime(h, m, s, ms), QTimeZone::utc());
}

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

} // namespace

class TestTier : public QObject
{
    Q_OBJECT

private slots:
    void validate_data();
    void validate();
    void endpointGroups();
    void endpointLimitsJson_data();
    void endpointLimitsJson();
    void tierToJson();

    void statusAt_data();
    void statusAt();
    void keyStatusNames();
    void effectiveValues_data();
    void effectiveValues();
    void effectiveEndpoints_data();
    void effectiveEndpoints();
    void maskedKey_data();
    void maskedKey();
    void keyToJsonHasExactlyTheContractFields();
    void keyToJsonNullTimesAndStatus_data();
    void keyToJsonNullTimesAndStatus();
    void toIsoUtc_data();
    void toIsoUtc();
    void fromMsUtc();
};

void TestTier::validate_data()
{
    QTest::addColumn<Tier>("tier");
    QTest::addColumn<QString>("field");  // empty: valid

    QTest::newRow("pro is valid") << proTier() << "";
    QTest::newRow("free is valid") << freeTier() << "";
    {
        Tier t = proTier();
        t.endpoints.clear();
        QTest::newRow("no endpoints is valid") << t << "";
    }
    {
        Tier t = proTier();
        t.monthlyCredits = 0;
        t.priceCents = 0;
        QTest::newRow("zero credits and price are valid") << t << "";
    }

    const struct { const char *row; const char *slug; bool valid; } slugs[] = {
        {"slug one letter", "a", true},
        {"slug one digit", "0", true},
        {"slug with - and _", "team-2_b", true},
        {"slug 32 characters", "abcdefghijklmnopqrstuvwxyz012345", true},
        {"slug 33 characters", "abcdefghijklmnopqrstuvwxyz0123456", false},
        {"slug empty", "", false},
        {"slug upper case", "Pro", false},
        {"slug leading dash", "-pro", false},
        {"slug leading underscore", "_pro", false},
        {"slug with space", "pro tier", false},
        {"slug with dot", "pro.tier", false},
        {"slug with trailing newline", "pro\n", false},
        {"slug non-ASCII", "pr\xC3\xB6", false},
    };
    for (const auto &s : slugs) {
        Tier t = proTier();
        t.slug = QString::fromUtf8(s.slug);
        QTest::newRow(s.row) << t << (s.valid ? QString() : QStringLiteral("slug"));
    }

    const struct { const char *row; const char *name; } names[] = {
        {"empty name", ""}, {"blank name", "  \t"}};
    for (const auto &n : names) {
        Tier t = proTier();
        t.name = QString::fromLatin1(n.name);
        QTest::newRow(n.row) << t << "name";
    }
    {
        Tier t = proTier();
        t.rateLimit = 0;
        QTest::newRow("rate 0") << t << "rateLimit";
        t.rateLimit = -5;
        QTest::newRow("rate negative") << t << "rateLimit";
        t.rateLimit = 1;
        QTest::newRow("rate 1") << t << "";
    }
    {
        Tier t = proTier();
        t.rateWindowSeconds = 0;
        QTest::newRow("window 0") << t << "rateWindowSeconds";
        t.rateWindowSeconds = -60;
        QTest::newRow("window negative") << t << "rateWindowSeconds";
        t.rateWindowSeconds = 1;
        QTest::newRow("window 1") << t << "";
    }
    {
        Tier t = proTier();
        t.monthlyCredits = -1;
        QTest::newRow("credits negative") << t << "monthlyCredits";
    }
    {
        Tier t = proTier();
        t.priceCents = -1;
        QTest::newRow("price negative") << t << "priceCents";
    }
    for (const char *group : {"billing", "Search", "search/engines", ""}) {
        Tier t = freeTier();
        t.endpoints.append(QString::fromLatin1(group));
        QTest::addRow("unknown group \"%s\"", group) << t << "endpoints";
    }
}

void TestTier::validate()
{
    QFETCH(Tier, tier);
    QFETCH(QString, field);

    // Bug: Tier.cpp's slug pattern ends in '$', which in PCRE also matches before a final
    // newline, so "pro\n" passes. "\z" or QRegularExpression::anchoredPattern() would not.
    const QString problem = tier.validate();
    if (field.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    } else {
        QVERIFY2(problem.startsWith(field + QLatin1Char(':')), qPrintable(problem));
        QVERIFY(!problem.contains(QLatin1Char('\n')));
    }
}

void TestTier::endpointGroups()
{
    QCOMPARE(EndpointGroups::all(),
             QStringList({QStringLiteral("search"), QStringLiteral("extract"), QStringLiteral("stt"), QStringLiteral("tts")}));
    QCOMPARE(EndpointGroups::ofEndpoint(QStringLiteral("extract/bulk")), QStringLiteral("extract"));
    QCOMPARE(EndpointGroups::ofEndpoint(QStringLiteral("search")), QStringLiteral("search"));

    Tier tier = freeTier();
    tier.endpoints.append(QStringLiteral("nonsense"));
    QVERIFY2(tier.validate().contains(QStringLiteral("\"nonsense\"")), qPrintable(tier.validate()));
    QVERIFY(freeTier().allowsGroup(QStringLiteral("search")));
    QVERIFY(!freeTier().allowsGroup(QStringLiteral("tts")));
}

void TestTier::endpointLimitsJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");  // the field named, or empty: valid
    QTest::newRow("one") << QByteArray(R"({"stt":{"rate":5,"windowSeconds":3600}})") << "";
    QTest::newRow("two") << QByteArray(R"({"stt":{"rate":5,"windowSeconds":3600},"tts":{"rate":1,"windowSeconds":1}})") << "";
    QTest::newRow("none") << QByteArray("{}") << "";
    QTest::newRow("unknown group") << QByteArray(R"({"video":{"rate":5,"windowSeconds":60}})") << "endpointLimits.video";
    QTest::newRow("rate 0") << QByteArray(R"({"stt":{"rate":0,"windowSeconds":60}})") << "endpointLimits.stt.rate";
    QTest::newRow("rate fraction") << QByteArray(R"({"stt":{"rate":1.5,"windowSeconds":60}})") << "endpointLimits.stt.rate";
    QTest::newRow("rate text") << QByteArray(R"({"stt":{"rate":"5","windowSeconds":60}})") << "endpointLimits.stt.rate";
    QTest::newRow("window missing") << QByteArray(R"({"stt":{"rate":5}})") << "endpointLimits.stt.windowSeconds";
    QTest::newRow("window negative") << QByteArray(R"({"stt":{"rate":5,"windowSeconds":-1}})") << "endpointLimits.stt.windowSeconds";
    QTest::newRow("extra field") << QByteArray(R"({"stt":{"rate":5,"windowSeconds":60,"burst":2}})") << "endpointLimits.stt.burst";
    QTest::newRow("not an object") << QByteArray(R"({"stt":5})") << "endpointLimits.stt";
}

void TestTier::endpointLimitsJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString problem;
    const auto limits = Tier::endpointLimitsFromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("endpointLimits"), &problem);
    if (error.isEmpty()) {
        QVERIFY2(limits.has_value(), qPrintable(problem));
        Tier t = proTier();
        t.endpointLimits = *limits;
        QCOMPARE(t.validate(), QString());
        // What toJson() writes reads back the same: GET then PUT changes nothing.
        QCOMPARE(t.endpointLimitsJson(), QJsonDocument::fromJson(json).object());
    } else {
        QVERIFY(!limits.has_value());
        QVERIFY2(problem.startsWith(error + QLatin1Char(':')), qPrintable(problem));
    }
}

void TestTier::tierToJson()
{
    const QJsonObject json = proTier().toJson();
    QCOMPARE(sortedKeys(json), QStringList({"endpointLimits", "endpoints", "monthlyCredits", "name", "priceCents", "rateLimit",
                                            "rateWindowSeconds", "slug"}));
    QCOMPARE(json.value("endpointLimits").toObject(), QJsonObject());
    QCOMPARE(json.value("slug").toString(), QStringLiteral("pro"));
    QCOMPARE(json.value("name").toString(), QStringLiteral("Pro"));
    QCOMPARE(json.value("rateLimit").toInt(), 100);
    QCOMPARE(json.value("rateWindowSeconds").toInt(), 60);
    QCOMPARE(json.value("monthlyCredits").toInteger(), qint64(5000));
    QCOMPARE(json.value("priceCents").toInt(), 1900);
    QCOMPARE(json.value("endpoints").toArray(), QJsonArray({"search", "extract", "stt", "tts"}));

    Tier big = proTier();
    big.monthlyCredits = qint64(1) << 40;
    QCOMPARE(big.toJson().value("monthlyCredits").toInteger(), qint64(1) << 40);
}

void TestTier::statusAt_data()
{
    QTest::addColumn<bool>("revoked");
    QTest::addColumn<QDateTime>("expiresAt");
    QTest::addColumn<KeyStatus>("expected");

    const QDateTime now = utc(2026, 3, 15, 12, 0, 0);
    QTest::newRow("active, never expires") << false << QDateTime() << KeyStatus::Active;
    QTest::newRow("active, expires later") << false << now.addSecs(1) << KeyStatus::Active;
    QTest::newRow("active, expires 1 ms later") << false << now.addMSecs(1) << KeyStatus::Active;
    QTest::newRow("expired exactly at expiresAt") << false << now << KeyStatus::Expired;
    QTest::newRow("expired 1 ms ago") << false << now.addMSecs(-1) << KeyStatus::Expired;
    QTest::newRow("expired last year") << false << now.addYears(-1) << KeyStatus::Expired;
    QTest::newRow("expiry in another time zone, same instant")
        << false << now.toTimeZone(QTimeZone(5 * 3600)) << KeyStatus::Expired;
    QTest::newRow("revoked, never expires") << true << QDateTime() << KeyStatus::Revoked;
    QTest::newRow("revoked, not yet expired") << true << now.addDays(1) << KeyStatus::Revoked;
    QTest::newRow("revoked wins over expired") << true << now.addDays(-1) << KeyStatus::Revoked;
    QTest::newRow("revoked wins at exactly expiresAt") << true << now << KeyStatus::Revoked;
}

void TestTier::statusAt()
{
    QFETCH(bool, revoked);
    QFETCH(QDateTime, expiresAt);
    QFETCH(KeyStatus, expected);

    ApiKey key;
    key.revoked = revoked;
    key.expiresAt = expiresAt;
    const QDateTime now = utc(2026, 3, 15, 12, 0, 0);
    QCOMPARE(key.statusAt(now), expected);
    QCOMPARE(key.toJson(proTier(), 0, 0, now).value("status").toString(), keyStatusName(expected));
}

void TestTier::keyStatusNames()
{
    QCOMPARE(keyStatusName(KeyStatus::Active), QStringLiteral("active"));
    QCOMPARE(keyStatusName(KeyStatus::Revoked), QStringLiteral("revoked"));
    QCOMPARE(keyStatusName(KeyStatus::Expired), QStringLiteral("expired"));
}

void TestTier::effectiveValues_data()
{
    QTest::addColumn<std::optional<int>>("rateLimit");
    QTest::addColumn<std::optional<int>>("rateWindowSeconds");
    QTest::addColumn<std::optional<qint64>>("monthlyCredits");
    QTest::addColumn<int>("expectedRate");
    QTest::addColumn<int>("expectedWindow");
    QTest::addColumn<qint64>("expectedCredits");

    // Tier: 100 requests / 60 s, 5000 credits.
    QTest::newRow("no overrides") << std::optional<int>() << std::optional<int>() << std::optional<qint64>()
                                  << 100 << 60 << qint64(5000);
    QTest::newRow("all overridden") << std::optional<int>(7) << std::optional<int>(3600)
                                    << std::optional<qint64>(123456) << 7 << 3600 << qint64(123456);
    QTest::newRow("rate only") << std::optional<int>(250) << std::optional<int>() << std::optional<qint64>()
                               << 250 << 60 << qint64(5000);
    QTest::newRow("window only") << std::optional<int>() << std::optional<int>(1) << std::optional<qint64>()
                                 << 100 << 1 << qint64(5000);
    QTest::newRow("credits only") << std::optional<int>() << std::optional<int>() << std::optional<qint64>(0)
                                  << 100 << 60 << qint64(0);
    QTest::newRow("override lower than tier") << std::optional<int>(1) << std::optional<int>(30)
                                              << std::optional<qint64>(10) << 1 << 30 << qint64(10);
}

void TestTier::effectiveValues()
{
    QFETCH(std::optional<int>, rateLimit);
    QFETCH(std::optional<int>, rateWindowSeconds);
    QFETCH(std::optional<qint64>, monthlyCredits);
    QFETCH(int, expectedRate);
    QFETCH(int, expectedWindow);
    QFETCH(qint64, expectedCredits);

    ApiKey key;
    key.rateLimit = rateLimit;
    key.rateWindowSeconds = rateWindowSeconds;
    key.monthlyCredits = monthlyCredits;
    const Tier tier = proTier();
    QCOMPARE(key.effectiveRateLimit(tier), expectedRate);
    QCOMPARE(key.effectiveRateWindowSeconds(tier), expectedWindow);
    QCOMPARE(key.effectiveMonthlyCredits(tier), expectedCredits);

    // toJson shows the effective values, not the tier's or the raw overrides.
    const QJsonObject json = key.toJson(tier, 0, expectedCredits, utc(2026, 1, 1, 0, 0, 0));
    QCOMPARE(json.value("rateLimit").toInt(), expectedRate);
    QCOMPARE(json.value("rateWindowSeconds").toInt(), expectedWindow);
    QCOMPARE(json.value("monthlyCredits").toInteger(), expectedCredits);
}

void TestTier::effectiveEndpoints_data()
{
    QTest::addColumn<QStringList>("tierEndpoints");
    QTest::addColumn<QStringList>("keyEndpoints");
    QTest::addColumn<QStringList>("expected");

    const QStringList all{"search", "extract", "stt", "tts"};
    QTest::newRow("key empty: all of the tier's") << all << QStringList{} << all;
    QTest::newRow("key empty, free tier") << QStringList{"search"} << QStringList{} << QStringList{"search"};
    QTest::newRow("subset of the tier") << all << QStringList{"tts", "search"} << QStringList{"tts", "search"};
    QTest::newRow("intersection") << QStringList{"search", "extract"} << QStringList{"search", "stt"}
                                   << QStringList{"search"};
    QTest::newRow("disjoint: nothing") << QStringList{"search"} << QStringList{"stt", "tts"} << QStringList{};
    QTest::newRow("unknown group dropped") << all << QStringList{"search", "billing"} << QStringList{"search"};
    QTest::newRow("tier without endpoints") << QStringList{} << QStringList{"search"} << QStringList{};
}

void TestTier::effectiveEndpoints()
{
    QFETCH(QStringList, tierEndpoints);
    QFETCH(QStringList, keyEndpoints);
    QFETCH(QStringList, expected);

    Tier tier = proTier();
    tier.endpoints = tierEndpoints;
    ApiKey key;
    key.allowedEndpoints = keyEndpoints;
    QCOMPARE(key.effectiveEndpoints(tier), expected);
    QCOMPARE(key.toJson(tier, 0, 0, utc(2026, 1, 1, 0, 0, 0)).value("allowedEndpoints").toArray(),
             QJsonArray::fromStringList(expected));
}

void TestTier::maskedKey_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("last4");
    QTest::addColumn<QString>("masked");
    QTest::newRow("live") << "sk_live_" << "abcd" << QString::fromUtf8("sk_live_\xE2\x80\xA6" "abcd");
    QTest::newRow("test") << "sk_test_" << "Z9y8" << QString::fromUtf8("sk_test_\xE2\x80\xA6" "Z9y8");
    QTest::newRow("custom prefix") << "mk_" << "0000" << QString::fromUtf8("mk_\xE2\x80\xA6" "0000");
}

void TestTier::maskedKey()
{
    QFETCH(QString, prefix);
    QFETCH(QString, last4);
    QFETCH(QString, masked);

    ApiKey key;
    key.prefix = prefix;
    key.last4 = last4;
    key.keyHash = QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QCOMPARE(key.maskedKey(), masked);
    const QJsonObject json = key.toJson(proTier(), 0, 0, utc(2026, 1, 1, 0, 0, 0));
    QCOMPARE(json.value("maskedKey").toString(), masked);
    // Neither the hash nor any other secret-derived field is part of the document.
    for (auto it = json.begin(); it != json.end(); ++it)
        QVERIFY2(!it.value().toVariant().toString().contains(key.keyHash), qPrintable(it.key()));
}

void TestTier::keyToJsonHasExactlyTheContractFields()
{
    ApiKey key;
    key.id = QStringLiteral("key_0123456789abcdefghij");
    key.keyHash = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    key.prefix = QStringLiteral("sk_live_");
    key.last4 = QStringLiteral("wxyz");
    key.userId = QStringLiteral("user-42");
    key.name = QStringLiteral("CI");
    key.description = QStringLiteral("build server");
    key.tier = QStringLiteral("pro");
    key.isTest = true;
    key.rateLimit = 5;
    key.allowedEndpoints = {QStringLiteral("search"), QStringLiteral("stt")};
    key.allowedIps = {QStringLiteral("10.0.0.0/8"), QStringLiteral("::1/128")};
    // Times in several zones: the document always shows UTC with a Z.
    key.expiresAt = QDateTime(QDate(2026, 11, 22), QTime(1, 59, 23), QTimeZone(2 * 3600));
    key.lastUsedAt = utc(2026, 3, 1, 8, 30, 0, 250);
    key.createdAt = utc(2026, 1, 2, 3, 4, 5);
    key.updatedAt = utc(2026, 1, 3, 0, 0, 0);
    key.previousHash = QStringLiteral("feedface");
    key.previousHashUntil = utc(2026, 1, 4, 0, 0, 0);

    const QJsonObject json = key.toJson(proTier(), 42, 4958, utc(2026, 3, 15, 12, 0, 0));

    QStringList contract{"id", "name", "description", "userId", "tier", "maskedKey", "isTest", "status",
                         "rateLimit", "rateWindowSeconds", "monthlyCredits", "creditsUsed", "creditsRemaining",
                         "allowedEndpoints", "allowedIps", "expiresAt", "lastUsedAt", "createdAt"};
    contract.sort();
    QCOMPARE(sortedKeys(json), contract);

    QCOMPARE(json.value("id").toString(), key.id);
    QCOMPARE(json.value("name").toString(), QStringLiteral("CI"));
    QCOMPARE(json.value("description").toString(), QStringLiteral("build server"));
    QCOMPARE(json.value("userId").toString(), QStringLiteral("user-42"));
    QCOMPARE(json.value("tier").toString(), QStringLiteral("pro"));
    QCOMPARE(json.value("maskedKey").toString(), QString::fromUtf8("sk_live_\xE2\x80\xA6wxyz"));
    QVERIFY(json.value("isTest").isBool());
    QCOMPARE(json.value("isTest").toBool(), true);
    QCOMPARE(json.value("status").toString(), QStringLiteral("active"));
    QCOMPARE(json.value("rateLimit").toInt(), 5);
    QCOMPARE(json.value("rateWindowSeconds").toInt(), 60);
    QCOMPARE(json.value("monthlyCredits").toInteger(), qint64(5000));
    QCOMPARE(json.value("creditsUsed").toInteger(), qint64(42));
    QCOMPARE(json.value("creditsRemaining").toInteger(), qint64(4958));
    QCOMPARE(json.value("allowedEndpoints").toArray(), QJsonArray({"search", "stt"}));
    QCOMPARE(json.value("allowedIps").toArray(), QJsonArray({"10.0.0.0/8", "::1/128"}));

    QCOMPARE(json.value("expiresAt").toString(), QStringLiteral("2026-11-21T23:59:23Z"));
    QCOMPARE(json.value("lastUsedAt").toString(), QStringLiteral("2026-03-01T08:30:00.250Z"));
    QCOMPARE(json.value("createdAt").toString(), QStringLiteral("2026-01-02T03:04:05Z"));
    for (const char *field : {"expiresAt", "lastUsedAt", "createdAt"})
        QVERIFY2(json.value(QLatin1String(field)).toString().endsWith(u'Z'), field);
}

void TestTier::keyToJsonNullTimesAndStatus_data()
{
    QTest::addColumn<bool>("revoked");
    QTest::addColumn<QDateTime>("expiresAt");
    QTest::addColumn<QString>("status");
    QTest::newRow("never expires") << false << QDateTime() << "active";
    QTest::newRow("expired") << false << utc(2020, 1, 1, 0, 0, 0) << "expired";
    QTest::newRow("revoked") << true << QDateTime() << "revoked";
}

void TestTier::keyToJsonNullTimesAndStatus()
{
    QFETCH(bool, revoked);
    QFETCH(QDateTime, expiresAt);
    QFETCH(QString, status);

    ApiKey key;
    key.revoked = revoked;
    key.expiresAt = expiresAt;
    key.createdAt = utc(2019, 12, 31, 23, 59, 59);
    const QJsonObject json = key.toJson(freeTier(), 0, 100, utc(2026, 1, 1, 0, 0, 0));
    QCOMPARE(json.value("status").toString(), status);
    QVERIFY(json.contains("lastUsedAt"));
    QVERIFY(json.value("lastUsedAt").isNull());
    QCOMPARE(json.value("expiresAt").isNull(), !expiresAt.isValid());
    if (expiresAt.isValid())
        QVERIFY(json.value("expiresAt").toString().endsWith(u'Z'));
    QCOMPARE(json.value("createdAt").toString(), QStringLiteral("2019-12-31T23:59:59Z"));
    QVERIFY(json.value("allowedIps").isArray());
    QVERIFY(json.value("allowedIps").toArray().isEmpty());
}

void TestTier::toIsoUtc_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("expected");
    QTest::newRow("UTC, whole seconds") << utc(2026, 11, 21, 23, 59, 23) << "2026-11-21T23:59:23Z";
    QTest::newRow("UTC, milliseconds") << utc(2026, 11, 21, 23, 59, 23, 7) << "2026-11-21T23:59:23.007Z";
    QTest::newRow("offset +02:00") << QDateTime(QDate(2026, 1, 1), QTime(1, 0, 0), QTimeZone(2 * 3600))
                                   << "2025-12-31T23:00:00Z";
    QTest::newRow("offset -05:00") << QDateTime(QDate(2026, 6, 30), QTime(20, 0, 0), QTimeZone(-5 * 3600))
                                   << "2026-07-01T01:00:00Z";
    QTest::newRow("epoch") << QDateTime::fromMSecsSinceEpoch(0, QTimeZone::utc()) << "1970-01-01T00:00:00Z";
    QTest::newRow("invalid") << QDateTime() << "";
}

void TestTier::toIsoUtc()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, expected);
    QCOMPARE(tollgate::toIsoUtc(time), expected);
}

void TestTier::fromMsUtc()
{
    QVERIFY(!tollgate::fromMsUtc(QVariant()).isValid());
    QVERIFY(!tollgate::fromMsUtc(QVariant(QMetaType::fromType<qlonglong>())).isValid());
    const QDateTime t = tollgate::fromMsUtc(QVariant(qlonglong(1767225600123)));
    QCOMPARE(t, utc(2026, 1, 1, 0, 0, 0, 123));
    QCOMPARE(t.offsetFromUtc(), 0);
}

QTEST_APPLESS_MAIN(TestTier)
#include "tst_tier.moc"
