// JWK parsing into OpenSSL keys, signature checks with them, JWKS documents and strict base64url:
// everything below the verifier, without a network.

#include "JwtTestKit.h"

#include "core/auth/Base64Url.h"
#include "core/auth/Jwk.h"
#include "core/auth/JwkSet.h"

#include <QTest>

#include <openssl/rsa.h>

using namespace tollgate::auth;
using namespace jwttest;

class TestJwk : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesUsableKeys_data();
    void parsesUsableKeys();
    void refusesUnusableKeys_data();
    void refusesUnusableKeys();
    void verifiesOnlyItsOwnSignatures();
    void jwkSetFindsByKid();
    void base64UrlIsStrict_data();
    void base64UrlIsStrict();

private:
    TestKey m_ed;
    TestKey m_rsa;
    TestKey m_rsa4096;
    TestKey m_rsa1024;
};

void TestJwk::initTestCase()
{
    m_ed = ed25519Key("ed");
    m_rsa = rsaKey("rsa");
    m_rsa4096 = rsaKey("rsa-4096", 4096);
    m_rsa1024 = rsaKey("rsa-1024", 1024);
    QVERIFY(!m_ed.isNull() && !m_rsa.isNull() && !m_rsa4096.isNull() && !m_rsa1024.isNull());
}

void TestJwk::parsesUsableKeys_data()
{
    QTest::addColumn<QJsonObject>("jwk");
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("bits");

    QTest::newRow("Ed25519, alg EdDSA") << m_ed.jwk << int(Jwk::Algorithm::EdDSA) << 256;
    QJsonObject ed = m_ed.jwk;
    ed.remove("alg");
    ed.remove("use");
    QTest::newRow("Ed25519, no alg, no use") << ed << int(Jwk::Algorithm::EdDSA) << 256;
    ed["alg"] = "Ed25519";
    ed["key_ops"] = QJsonArray{"verify"};
    QTest::newRow("Ed25519, alg Ed25519, key_ops verify") << ed << int(Jwk::Algorithm::EdDSA) << 256;
    QTest::newRow("RSA 2048, alg RS256") << m_rsa.jwk << int(Jwk::Algorithm::RS256) << 2048;
    QTest::newRow("RSA 4096, alg RS256") << m_rsa4096.jwk << int(Jwk::Algorithm::RS256) << 4096;
    QJsonObject rsa = m_rsa.jwk;
    rsa.remove("alg");
    rsa["n"] = QString::fromLatin1(b64(QByteArray(1, '\0') + QByteArray::fromBase64(rsa["n"].toString().toLatin1(),
                                                                                     QByteArray::Base64UrlEncoding)));
    QTest::newRow("RSA, no alg, n with a leading zero byte") << rsa << int(Jwk::Algorithm::RS256) << 2048;
}

void TestJwk::parsesUsableKeys()
{
    QFETCH(QJsonObject, jwk);
    QFETCH(int, algorithm);
    QFETCH(int, bits);
    QString error;
    const std::optional<Jwk> key = Jwk::fromJson(jwk, &error);
    QVERIFY2(key, qPrintable(error));
    QCOMPARE(int(key->algorithm()), algorithm);
    QCOMPARE(key->bits(), bits);
    QCOMPARE(key->kid(), jwk["kid"].toString());
}

void TestJwk::refusesUnusableKeys_data()
{
    QTest::addColumn<QJsonObject>("jwk");

    QTest::newRow("oct (HMAC secret)") << QJsonObject{{"kty", "oct"}, {"kid", "k"}, {"k", "c2VjcmV0"}, {"alg", "HS256"}};
    QTest::newRow("EC P-256") << QJsonObject{{"kty", "EC"}, {"crv", "P-256"}, {"x", "AAAA"}, {"y", "AAAA"}};
    QTest::newRow("no kty") << QJsonObject{{"kid", "k"}, {"x", m_ed.jwk["x"]}};
    QTest::newRow("not an object") << QJsonObject{};
    QJsonObject ed = m_ed.jwk;
    ed["crv"] = "Ed448";
    QTest::newRow("OKP Ed448") << ed;
    ed["crv"] = "X25519";
    QTest::newRow("OKP X25519 (key agreement)") << ed;
    ed = m_ed.jwk;
    ed["x"] = QString::fromLatin1(b64(QByteArray(31, 'x')));
    QTest::newRow("Ed25519 x of 31 bytes") << ed;
    ed["x"] = m_ed.jwk["x"].toString() + "=";
    QTest::newRow("Ed25519 x padded") << ed;
    ed.remove("x");
    QTest::newRow("Ed25519 without x") << ed;
    ed = m_ed.jwk;
    ed["alg"] = "RS256";
    QTest::newRow("Ed25519 declared RS256") << ed;
    ed["alg"] = "ES256";
    QTest::newRow("Ed25519 declared ES256") << ed;
    ed = m_ed.jwk;
    ed["use"] = "enc";
    QTest::newRow("use enc") << ed;
    ed = m_ed.jwk;
    ed["key_ops"] = QJsonArray{"sign"};
    QTest::newRow("key_ops without verify") << ed;
    QTest::newRow("RSA 1024 bits") << m_rsa1024.jwk;
    QJsonObject rsa = m_rsa.jwk;
    rsa["alg"] = "RS512";
    QTest::newRow("RSA declared RS512") << rsa;
    rsa["alg"] = "EdDSA";
    QTest::newRow("RSA declared EdDSA") << rsa;
    rsa["alg"] = "HS256";
    QTest::newRow("RSA declared HS256") << rsa;
    rsa = m_rsa.jwk;
    rsa["e"] = QString::fromLatin1(b64(QByteArray("\x01\x00\x00", 3)));
    QTest::newRow("RSA even exponent") << rsa;
    rsa["e"] = QString::fromLatin1(b64(QByteArray("\x01", 1)));
    QTest::newRow("RSA exponent 1") << rsa;
    rsa.remove("e");
    QTest::newRow("RSA without e") << rsa;
    rsa = m_rsa.jwk;
    rsa["n"] = 12345;
    QTest::newRow("RSA n a number") << rsa;
}

void TestJwk::refusesUnusableKeys()
{
    QFETCH(QJsonObject, jwk);
    QString error;
    QVERIFY(!Jwk::fromJson(jwk, &error));
    QVERIFY(!error.isEmpty());
}

void TestJwk::verifiesOnlyItsOwnSignatures()
{
    const std::optional<Jwk> ed = Jwk::fromJson(m_ed.jwk, nullptr);
    const std::optional<Jwk> rsa = Jwk::fromJson(m_rsa.jwk, nullptr);
    QVERIFY(ed && rsa);
    const QByteArray input = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0";
    const QByteArray edSignature = sign(m_ed, input);
    const QByteArray rsaSignature = sign(m_rsa, input);
    QCOMPARE(edSignature.size(), 64);
    QCOMPARE(rsaSignature.size(), 256);

    QVERIFY(ed->verify(input, edSignature));
    QVERIFY(rsa->verify(input, rsaSignature));
    QVERIFY(!ed->verify(input + "x", edSignature));
    QVERIFY(!rsa->verify(input + "x", rsaSignature));
    QVERIFY(!ed->verify(input, rsaSignature));
    QVERIFY(!rsa->verify(input, edSignature));
    QVERIFY(!ed->verify(input, {}));
    QVERIFY(!rsa->verify(input, {}));
    QVERIFY(!rsa->verify(input, QByteArray(1, '\0') + rsaSignature));  // one byte longer
    QVERIFY(!ed->verify(input, edSignature + QByteArray(1, '\0')));
    // RSA-PSS over the same input is a different scheme: not an RS256 signature.
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = nullptr;
    size_t length = 512;
    QByteArray pss(512, Qt::Uninitialized);
    QVERIFY(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, m_rsa.pkey.get()) == 1);
    QVERIFY(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
    QVERIFY(EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(pss.data()), &length,
                           reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size())) == 1);
    EVP_MD_CTX_free(ctx);
    pss.resize(qsizetype(length));
    QVERIFY(!rsa->verify(input, pss));
}

void TestJwk::jwkSetFindsByKid()
{
    QStringList skipped;
    QString error;
    const QByteArray two = json(QJsonObject{{"keys", QJsonArray{m_ed.jwk, m_rsa.jwk}}});
    std::optional<JwkSet> set = JwkSet::fromJson(two, 1234, &skipped, &error);
    QVERIFY2(set, qPrintable(error));
    QVERIFY(skipped.isEmpty());
    QCOMPARE(set->size(), 2);
    QVERIFY(set->current());
    QCOMPARE(set->fetchedAtMs(), 1234);
    QCOMPARE(set->find("ed")->algorithm(), Jwk::Algorithm::EdDSA);
    QCOMPARE(set->find("rsa")->algorithm(), Jwk::Algorithm::RS256);
    QVERIFY(!set->find("nope"));
    QVERIFY(!set->find(QString()));  // several keys: a token must name one
    QVERIFY(!set->stale().current());
    QCOMPARE(set->stale().size(), 2);

    QJsonObject noKid = m_ed.jwk;
    noKid.remove("kid");
    set = JwkSet::fromJson(json(QJsonObject{{"keys", QJsonArray{noKid, QJsonObject{{"kty", "oct"}}}}}), 0, &skipped, &error);
    QVERIFY(set);
    QCOMPARE(skipped.size(), 1);
    QVERIFY(set->find(QString()));  // the only key
    QVERIFY(!set->find("ed"));

    QVERIFY(!JwkSet::fromJson("{\"keys\":[]}", 0, &skipped, &error));
    QVERIFY(!JwkSet::fromJson("nonsense", 0, &skipped, &error));
    QVERIFY(!JwkSet().current());
    QVERIFY(JwkSet().isEmpty());
}

void TestJwk::base64UrlIsStrict_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("decoded");

    QTest::newRow("empty") << QByteArray() << true << QByteArray();
    QTest::newRow("one byte") << QByteArray("YQ") << true << QByteArray("a");
    QTest::newRow("two bytes") << QByteArray("YWI") << true << QByteArray("ab");
    QTest::newRow("three bytes") << QByteArray("YWJj") << true << QByteArray("abc");
    QTest::newRow("url alphabet") << QByteArray("-_8") << true << QByteArray("\xfb\xff", 2);
    QTest::newRow("padding") << QByteArray("YQ==") << false << QByteArray();
    QTest::newRow("standard alphabet +") << QByteArray("-+8") << false << QByteArray();
    QTest::newRow("standard alphabet /") << QByteArray("_/8") << false << QByteArray();
    QTest::newRow("whitespace") << QByteArray("YW Jj") << false << QByteArray();
    QTest::newRow("length 1 mod 4") << QByteArray("YWJjZ") << false << QByteArray();
    QTest::newRow("non-zero trailing bits") << QByteArray("YR") << false << QByteArray();
    QTest::newRow("non-ASCII") << QByteArray("YW\xc3\xa9") << false << QByteArray();
}

void TestJwk::base64UrlIsStrict()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, decoded);
    const std::optional<QByteArray> result = Base64Url::decode(text);
    QCOMPARE(result.has_value(), valid);
    if (valid) {
        QCOMPARE(*result, decoded);
        QCOMPARE(Base64Url::encode(decoded), text);
    }
}

QTEST_GUILESS_MAIN(TestJwk)
#include "tst_jwk.moc"
