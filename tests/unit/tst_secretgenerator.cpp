#include "core/keys/SecretGenerator.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <cmath>

using namespace tollgate;

namespace {

const QString kBase62 = QStringLiteral("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

bool isLowerHex64(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{64}$"));
    return pattern.match(text).hasMatch();
}

} // namespace

class TestSecretGenerator : public QObject
{
    Q_OBJECT

private slots:
    void keyFormat_data();
    void keyFormat();
    void customLength_data();
    void customLength();
    void entropyIsAtLeast192Bits();
    void knownHashes_data();
    void knownHashes();
    void hashOfGeneratedKey_data();
    void hashOfGeneratedKey();
    void last4_data();
    void last4();
    void tenThousandKeysAreDistinct();
    void characterDistributionIsRoughlyUniform();
    void newIdFormat_data();
    void newIdFormat();
    void newIdsAreDistinct();
    void isBase62_data();
    void isBase62();
};

void TestSecretGenerator::keyFormat_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::newRow("live") << QStringLiteral("sk_live_");
    QTest::newRow("test") << QStringLiteral("sk_test_");
    QTest::newRow("admin token") << QStringLiteral("tga_");
}

void TestSecretGenerator::keyFormat()
{
    QFETCH(QString, prefix);
    const GeneratedSecret secret = SecretGenerator::generate(prefix);

    QCOMPARE(secret.prefix, prefix);
    QVERIFY2(secret.raw.startsWith(prefix), qPrintable(secret.raw));
    QCOMPARE(secret.raw.size(), prefix.size() + 43);

    const QString random = secret.raw.mid(prefix.size());
    QCOMPARE(random.size(), 43);
    static const QRegularExpression base62(QStringLiteral("^[0-9A-Za-z]{43}$"));
    QVERIFY2(base62.match(random).hasMatch(), qPrintable(random));
    QVERIFY(SecretGenerator::isBase62(random));
}

void TestSecretGenerator::customLength_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("0") << 0;
    QTest::newRow("1") << 1;
    QTest::newRow("20") << 20;
    QTest::newRow("64 (more than one block)") << 64;
    QTest::newRow("1000") << 1000;
}

void TestSecretGenerator::customLength()
{
    QFETCH(int, length);
    QCOMPARE(SecretGenerator::randomBase62(length).size(), length);
    const GeneratedSecret secret = SecretGenerator::generate(QStringLiteral("x_"), length);
    QCOMPARE(secret.raw.size(), 2 + length);
    if (length > 0)
        QVERIFY(SecretGenerator::isBase62(secret.raw.mid(2)));
}

void TestSecretGenerator::entropyIsAtLeast192Bits()
{
    QCOMPARE(SecretGenerator::RandomChars, 43);
    const double bits = SecretGenerator::RandomChars * std::log2(62.0);
    QVERIFY2(bits >= 192.0, qPrintable(QString::number(bits)));
    // The header claims about 256 bits: 43 * log2(62) = 256.03.
    QVERIFY2(bits > 256.0 && bits < 256.1, qPrintable(QString::number(bits)));
}

void TestSecretGenerator::knownHashes_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("sha256");
    // Expected values from `printf %s '<raw>' | sha256sum` (UTF-8 input).
    QTest::newRow("empty") << QString()
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << "abc"
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("sk_live_abc") << "sk_live_abc"
                                 << "b2817799acd7f3337c32f967a7c4ca32a767c94190298bace3e0447120385c09";
    QTest::newRow("tga_0123456789") << "tga_0123456789"
                                    << "296c4138ea64cc331bc29f5531c95e7aac020832e5b829261e896a0349f354cf";
    QTest::newRow("non-ASCII hashed as UTF-8") << QString::fromUtf8("sk_test_\xC3\xA9")
                                               << "4c88cc994ba32bb2c7abde44830369259198f42b4b2ebe7d62ec16827bd4b57d";
}

void TestSecretGenerator::knownHashes()
{
    QFETCH(QString, raw);
    QFETCH(QString, sha256);
    QCOMPARE(SecretGenerator::hash(raw), sha256);
    // The request path hashes the header's bytes, not a QString: the same digest either way.
    const QByteArray bytes = raw.toUtf8();
    QCOMPARE(SecretGenerator::hash(QByteArrayView(bytes)), sha256);
}

void TestSecretGenerator::hashOfGeneratedKey_data()
{
    keyFormat_data();
}

void TestSecretGenerator::hashOfGeneratedKey()
{
    QFETCH(QString, prefix);
    const GeneratedSecret secret = SecretGenerator::generate(prefix);
    QVERIFY2(isLowerHex64(secret.hash), qPrintable(secret.hash));
    QVERIFY(secret.hash != secret.raw);
    QVERIFY(!secret.hash.contains(secret.raw.mid(prefix.size())));
    QCOMPARE(secret.hash, SecretGenerator::hash(secret.raw));
}

void TestSecretGenerator::last4_data()
{
    keyFormat_data();
}

void TestSecretGenerator::last4()
{
    QFETCH(QString, prefix);
    const GeneratedSecret secret = SecretGenerator::generate(prefix);
    QCOMPARE(secret.last4.size(), 4);
    QCOMPARE(secret.last4, secret.raw.right(4));
    QVERIFY(secret.raw.endsWith(secret.last4));
}

void TestSecretGenerator::tenThousandKeysAreDistinct()
{
    constexpr int count = 10000;
    QSet<QString> raws;
    QSet<QString> hashes;
    raws.reserve(count);
    hashes.reserve(count);
    for (int i = 0; i < count; ++i) {
        const GeneratedSecret secret = SecretGenerator::generate(QStringLiteral("sk_live_"));
        raws.insert(secret.raw);
        hashes.insert(secret.hash);
    }
    QCOMPARE(raws.size(), count);
    QCOMPARE(hashes.size(), count);
}

void TestSecretGenerator::characterDistributionIsRoughlyUniform()
{
    // 200,000 characters: mean 3225.8 per symbol, standard deviation about 56. A ±30% band
    // (±968) is about 17 standard deviations wide, so this never flakes, yet catches a
    // missing symbol, a modulo bias towards the first symbols, or a stuck generator.
    constexpr int total = 200000;
    const QString text = SecretGenerator::randomBase62(total);
    QCOMPARE(text.size(), total);

    QHash<QChar, int> counts;
    for (QChar c : text)
        ++counts[c];

    QCOMPARE(counts.size(), 62);
    const double mean = double(total) / 62.0;
    for (QChar c : kBase62) {
        const int n = counts.value(c);
        QVERIFY2(n > mean * 0.7 && n < mean * 1.3,
                 qPrintable(QStringLiteral("'%1' appeared %2 times, mean %3").arg(c).arg(n).arg(mean)));
    }
}

void TestSecretGenerator::newIdFormat_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("key") << QStringLiteral("key");
    QTest::newRow("tok") << QStringLiteral("tok");
}

void TestSecretGenerator::newIdFormat()
{
    QFETCH(QString, kind);
    const QString id = SecretGenerator::newId(kind);
    const QRegularExpression pattern(QStringLiteral("^%1_[0-9A-Za-z]{20}$").arg(kind));
    QVERIFY2(pattern.match(id).hasMatch(), qPrintable(id));
}

void TestSecretGenerator::newIdsAreDistinct()
{
    QSet<QString> ids;
    for (int i = 0; i < 1000; ++i)
        ids.insert(SecretGenerator::newId(QStringLiteral("key")));
    QCOMPARE(ids.size(), 1000);
}

void TestSecretGenerator::isBase62_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expected");
    QTest::newRow("whole alphabet") << kBase62 << true;
    QTest::newRow("single digit") << "0" << true;
    QTest::newRow("single letter") << "z" << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("empty, not null") << QStringLiteral("") << false;
    QTest::newRow("underscore") << "sk_live_abc" << false;
    QTest::newRow("dash") << "abc-def" << false;
    QTest::newRow("plus (base64)") << "abc+def" << false;
    QTest::newRow("slash (base64)") << "abc/def" << false;
    QTest::newRow("padding") << "abc=" << false;
    QTest::newRow("leading space") << " abc" << false;
    QTest::newRow("trailing newline") << "abc\n" << false;
    QTest::newRow("embedded NUL") << QString(QStringLiteral("ab") + QChar(0) + QStringLiteral("c")) << false;
    QTest::newRow("char before '0'") << "/" << false;
    QTest::newRow("char after '9'") << ":" << false;
    QTest::newRow("char before 'A'") << "@" << false;
    QTest::newRow("char after 'Z'") << "[" << false;
    QTest::newRow("char before 'a'") << "`" << false;
    QTest::newRow("char after 'z'") << "{" << false;
    QTest::newRow("Latin-1 letter") << QString::fromUtf8("\xC3\xA9") << false;
    QTest::newRow("fullwidth digit") << QString::fromUtf8("\xEF\xBC\x91") << false;
    QTest::newRow("Arabic-Indic digit") << QString::fromUtf8("\xD9\xA3") << false;
    QTest::newRow("emoji") << QString::fromUtf8("a\xF0\x9F\x98\x80") << false;
}

void TestSecretGenerator::isBase62()
{
    QFETCH(QString, text);
    QFETCH(bool, expected);
    QCOMPARE(SecretGenerator::isBase62(text), expected);
}

QTEST_APPLESS_MAIN(TestSecretGenerator)
#include "tst_secretgenerator.moc"
