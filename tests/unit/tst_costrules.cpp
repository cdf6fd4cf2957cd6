#include "core/credits/CostRules.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace tollgate;

namespace {

QJsonObject urls(int n)
{
    QJsonArray a;
    for (int i = 0; i < n; ++i)
        a.append(QStringLiteral("https://example.com/%1").arg(i));
    return QJsonObject{{QStringLiteral("urls"), a}};
}

// 😀 is one code point but two UTF-16 units.
const QString kEmoji = QString::fromUtf8("\xF0\x9F\x98\x80");

} // namespace

class TestCostRules : public QObject
{
    Q_OBJECT

private slots:
    void fixedAndFree_data();
    void fixedAndFree();
    void tts_data();
    void tts();
    void ttsInvalid_data();
    void ttsInvalid();
    void codePoints_data();
    void codePoints();
    void stt_data();
    void stt();
    void sttUpfrontReservesOneMinute();
    void bulk_data();
    void bulk();
    void setRuleOverrides();
};

void TestCostRules::fixedAndFree_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<qint64>("credits");
    QTest::newRow("search") << "search" << qint64(1);
    QTest::newRow("extract") << "extract" << qint64(1);
    for (const char *free : {"search/engines", "stt/models", "stt/languages", "tts/voices", "tts/languages", "unknown"})
        QTest::newRow(free) << QString::fromLatin1(free) << qint64(0);
}

void TestCostRules::fixedAndFree()
{
    QFETCH(QString, endpoint);
    QFETCH(qint64, credits);
    const CostEstimate e = CostRules::defaults().upfront(endpoint, {});
    QVERIFY(e.ok);
    QCOMPARE(e.credits, credits);
    QCOMPARE(CostRules::defaults().rule(endpoint) != nullptr, credits > 0);
}

void TestCostRules::tts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("credits");
    for (const auto &[chars, credits] : {std::pair{0, 0}, {1, 1}, {999, 1}, {1000, 1}, {1001, 2}, {2000, 2}, {2001, 3}})
        QTest::addRow("%d chars", chars) << QString(chars, QLatin1Char('a')) << qint64(credits);
    // 1,000 emoji = 2,000 UTF-16 units, still one block; one more emoji starts a second.
    QTest::newRow("1000 emoji") << kEmoji.repeated(1000) << qint64(1);
    QTest::newRow("1001 emoji") << kEmoji.repeated(1001) << qint64(2);
    QTest::newRow("999 emoji + 1 ascii") << kEmoji.repeated(999) + QLatin1Char('x') << qint64(1);
}

void TestCostRules::tts()
{
    QFETCH(QString, text);
    QFETCH(qint64, credits);
    const CostEstimate e = CostRules::defaults().upfront(QStringLiteral("tts/synthesize"), QJsonObject{{"text", text}});
    QVERIFY2(e.ok, qPrintable(e.error));
    QCOMPARE(e.credits, credits);
}

void TestCostRules::ttsInvalid_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::newRow("missing") << QJsonObject{};
    QTest::newRow("number") << QJsonObject{{"text", 42}};
    QTest::newRow("null") << QJsonObject{{"text", QJsonValue::Null}};
    QTest::newRow("array") << QJsonObject{{"text", QJsonArray{"a"}}};
}

void TestCostRules::ttsInvalid()
{
    QFETCH(QJsonObject, body);
    const CostEstimate e = CostRules::defaults().upfront(QStringLiteral("tts/synthesize"), body);
    QVERIFY(!e.ok);
    QCOMPARE(e.credits, 0);
    QVERIFY2(e.error.startsWith(QLatin1String("text")), qPrintable(e.error));
}

void TestCostRules::codePoints_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("count");
    QTest::newRow("empty") << QString() << qint64(0);
    QTest::newRow("ascii") << QStringLiteral("hello") << qint64(5);
    QTest::newRow("latin-1 é") << QString::fromUtf8("caf\xC3\xA9") << qint64(4);
    QTest::newRow("emoji") << kEmoji << qint64(1);
    QTest::newRow("mixed") << QStringLiteral("a") + kEmoji + QStringLiteral("b") + kEmoji << qint64(4);
    QTest::newRow("lone high surrogate") << QString(QChar(0xD83D)) << qint64(1);
    QTest::newRow("lone low surrogate + a") << QString(QChar(0xDE00)) + QLatin1Char('a') << qint64(2);
}

void TestCostRules::codePoints()
{
    QFETCH(QString, text);
    QFETCH(qint64, count);
    QCOMPARE(CostRules::codePointCount(text), count);
}

void TestCostRules::stt_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<qint64>("credits");
    QTest::newRow("0") << 0.0 << qint64(0);
    QTest::newRow("1") << 1.0 << qint64(10);
    QTest::newRow("59") << 59.0 << qint64(10);
    QTest::newRow("60") << 60.0 << qint64(10);
    QTest::newRow("60.2") << 60.2 << qint64(20);
    QTest::newRow("61") << 61.0 << qint64(20);
    QTest::newRow("119") << 119.0 << qint64(20);
    QTest::newRow("120") << 120.0 << qint64(20);
    QTest::newRow("121") << 121.0 << qint64(30);
    QTest::newRow("0.001") << 0.001 << qint64(10);
    QTest::newRow("negative") << -5.0 << qint64(0);
    QTest::newRow("NaN") << qQNaN() << qint64(0);
}

void TestCostRules::stt()
{
    QFETCH(double, seconds);
    QFETCH(qint64, credits);
    const CostRules rules = CostRules::defaults();
    QCOMPARE(rules.forDuration(QStringLiteral("stt/transcribe"), seconds), credits);
    // Duration means nothing to other endpoints.
    QCOMPARE(rules.forDuration(QStringLiteral("search"), seconds), 0);
}

void TestCostRules::sttUpfrontReservesOneMinute()
{
    const CostEstimate e = CostRules::defaults().upfront(QStringLiteral("stt/transcribe"), {});
    QVERIFY(e.ok);
    QCOMPARE(e.credits, 10);
}

void TestCostRules::bulk_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("credits");
    QTest::newRow("1 url") << urls(1) << true << qint64(1);
    QTest::newRow("2 urls") << urls(2) << true << qint64(2);
    QTest::newRow("20 urls") << urls(20) << true << qint64(20);
    QTest::newRow("21 urls") << urls(21) << false << qint64(0);
    QTest::newRow("empty") << urls(0) << false << qint64(0);
    QTest::newRow("missing") << QJsonObject{} << false << qint64(0);
    QTest::newRow("null") << QJsonObject{{"urls", QJsonValue::Null}} << false << qint64(0);
    QTest::newRow("string") << QJsonObject{{"urls", "https://example.com"}} << false << qint64(0);
    QTest::newRow("object") << QJsonObject{{"urls", QJsonObject{{"a", 1}}}} << false << qint64(0);
}

void TestCostRules::bulk()
{
    QFETCH(QJsonObject, body);
    QFETCH(bool, ok);
    QFETCH(qint64, credits);
    const CostEstimate e = CostRules::defaults().upfront(QStringLiteral("extract/bulk"), body);
    QCOMPARE(e.ok, ok);
    QCOMPARE(e.credits, credits);
    if (!ok)
        QVERIFY2(e.error.startsWith(QLatin1String("urls: ")), qPrintable(e.error));
    if (QTest::currentDataTag() == QByteArray("21 urls"))
        QCOMPARE(e.error, QStringLiteral("urls: at most 20 URLs per request"));
}

void TestCostRules::setRuleOverrides()
{
    CostRules rules = CostRules::defaults();
    rules.setRule({QStringLiteral("search"), CostKind::Fixed, 3, 1, 0, {}});
    QCOMPARE(rules.upfront(QStringLiteral("search"), {}).credits, 3);

    // A free endpoint can become paid, a paid one free.
    rules.setRule({QStringLiteral("tts/voices"), CostKind::Fixed, 2, 1, 0, {}});
    QCOMPARE(rules.upfront(QStringLiteral("tts/voices"), {}).credits, 2);
    rules.setRule({QStringLiteral("extract"), CostKind::Free, 0, 1, 0, {}});
    QCOMPARE(rules.upfront(QStringLiteral("extract"), {}).credits, 0);

    rules.setRule({QStringLiteral("tts/synthesize"), CostKind::PerStartedBlockOfChars, 2, 500, 0, QStringLiteral("text")});
    QCOMPARE(rules.upfront(QStringLiteral("tts/synthesize"), QJsonObject{{"text", QString(501, 'a')}}).credits, 4);

    rules.setRule({QStringLiteral("stt/transcribe"), CostKind::PerStartedMinute, 5, 30, 0, {}});
    QCOMPARE(rules.upfront(QStringLiteral("stt/transcribe"), {}).credits, 5);
    QCOMPARE(rules.forDuration(QStringLiteral("stt/transcribe"), 31), 10);

    rules.setRule({QStringLiteral("extract/bulk"), CostKind::PerItem, 1, 1, 5, QStringLiteral("urls")});
    QVERIFY(rules.upfront(QStringLiteral("extract/bulk"), urls(5)).ok);
    const CostEstimate e = rules.upfront(QStringLiteral("extract/bulk"), urls(6));
    QVERIFY(!e.ok);
    QCOMPARE(e.error, QStringLiteral("urls: at most 5 URLs per request"));

    // The defaults are a fresh value each time, untouched by overrides elsewhere.
    QCOMPARE(CostRules::defaults().upfront(QStringLiteral("search"), {}).credits, 1);
}

QTEST_APPLESS_MAIN(TestCostRules)
#include "tst_costrules.moc"
