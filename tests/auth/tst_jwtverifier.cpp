// Every way a management-API JWT can be wrong, each refused with its own reason; valid EdDSA and RS256
// tokens accepted. Keys are generated per run, the JWKS is served over a real socket.

#include "JwksTestServer.h"
#include "JwtTestKit.h"

#include "core/auth/JwksCache.h"
#include "core/auth/JwtVerifier.h"
#include "core/util/Clock.h"

#include <QSignalSpy>
#include <QTest>

using namespace tollgate;
using namespace tollgate::auth;
using namespace jwttest;

namespace {
constexpr qint64 kNowS = 1'700'000'000;
const QString kIssuer = QStringLiteral("https://auth.example.com");
const QString kAudience = QStringLiteral("tollgate");
} // namespace

class TestJwtVerifier : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void refusesWithReason_data();
    void refusesWithReason();
    void accepts_data();
    void accepts();
    void acceptsWithoutIssuerOrAudienceConfigured();
    void verifyAsyncAnswersAtOnceForKnownKeys();
    void leewayIsConfigurable();

private:
    QJsonObject claims(qint64 expOffset = 3600) const;
    JwtVerifier::Options options() const { return {kIssuer, kAudience, 60}; }

    std::shared_ptr<ManualClock> m_clock = std::make_shared<ManualClock>(kNowS * 1000);
    JwksTestServer m_server;
    std::unique_ptr<JwksCache> m_jwks;
    TestKey m_ed;
    TestKey m_rsa;
    TestKey m_otherEd;   // not in the JWKS
    TestKey m_otherRsa;  // not in the JWKS
};

QJsonObject TestJwtVerifier::claims(qint64 expOffset) const
{
    return QJsonObject{{"sub", "user-42"}, {"plan", "pro"}, {"iss", kIssuer}, {"aud", kAudience},
                       {"iat", kNowS}, {"exp", kNowS + expOffset}};
}

void TestJwtVerifier::initTestCase()
{
    m_ed = ed25519Key(QStringLiteral("ed-1"));
    m_rsa = rsaKey(QStringLiteral("rsa-1"));
    m_otherEd = ed25519Key(QStringLiteral("ed-1"));
    m_otherRsa = rsaKey(QStringLiteral("rsa-1"));
    QVERIFY(!m_ed.isNull() && !m_rsa.isNull() && !m_otherEd.isNull() && !m_otherRsa.isNull());
    m_server.setKeys(QJsonArray{m_ed.jwk, m_rsa.jwk});
    QVERIFY(m_server.listen());

    // The clock never moves in this suite: no refresh is ever due, and none may run (30 s rule) after the first.
    m_jwks = std::make_unique<JwksCache>(m_server.url(), m_clock);
    QSignalSpy refreshed(m_jwks.get(), &JwksCache::refreshed);
    m_jwks->start();
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(refreshed.first().first().toBool(), true);
    QCOMPARE(m_jwks->snapshot()->kids(), (QStringList{"ed-1", "rsa-1"}));
}

void TestJwtVerifier::refusesWithReason_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("reason");

    const QJsonObject good = claims();
    const QByteArray goodEd = mint(m_ed, good);
    const QByteArray goodRsa = mint(m_rsa, good);
    const QList<QByteArray> edParts = goodEd.split('.');

    // alg none / HMAC: refused before any key is consulted.
    QJsonObject none{{"alg", "none"}, {"typ", "JWT"}, {"kid", "ed-1"}};
    QTest::newRow("alg none, no signature") << signingInput(none, good) + '.' << QString("alg_none");
    QTest::newRow("alg none, with a real signature")
        << signingInput(none, good) + '.' + b64(sign(m_ed, signingInput(none, good))) << QString("alg_none");
    none["alg"] = "NoNe";
    QTest::newRow("alg NoNe") << signingInput(none, good) + '.' << QString("alg_none");
    QJsonObject hs{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "rsa-1"}};
    QTest::newRow("HS256 keyed with the RSA public key PEM") << hs256(hs, good, publicPem(m_rsa)) << QString("alg_hmac");
    QTest::newRow("HS256 keyed with the RSA JWK n") << hs256(hs, good, m_rsa.jwk["n"].toString().toLatin1())
                                                     << QString("alg_hmac");
    hs["kid"] = "ed-1";
    QTest::newRow("HS256 keyed with the Ed25519 x") << hs256(hs, good, m_ed.jwk["x"].toString().toLatin1())
                                                     << QString("alg_hmac");
    hs.remove("kid");
    hs["alg"] = "HS512";
    QTest::newRow("HS512 without kid") << hs256(hs, good, "secret") << QString("alg_hmac");

    // alg must be the key's.
    QTest::newRow("RS256 with the Ed25519 kid")
        << mint(m_rsa, QJsonObject{{"alg", "RS256"}, {"kid", "ed-1"}}, good) << QString("alg_mismatch");
    QTest::newRow("EdDSA with the RSA kid")
        << mint(m_ed, QJsonObject{{"alg", "EdDSA"}, {"kid", "rsa-1"}}, good) << QString("alg_mismatch");
    QTest::newRow("ES256 (unsupported)")
        << mint(m_ed, QJsonObject{{"alg", "ES256"}, {"kid", "ed-1"}}, good) << QString("alg_mismatch");
    QTest::newRow("PS256 with the RSA kid")
        << mint(m_rsa, QJsonObject{{"alg", "PS256"}, {"kid", "rsa-1"}}, good) << QString("alg_mismatch");

    // Signatures.
    QTest::newRow("EdDSA signed by another key") << mint(m_otherEd, good) << QString("bad_signature");
    QTest::newRow("RS256 signed by another key") << mint(m_otherRsa, good) << QString("bad_signature");
    QByteArray flipped = QByteArray::fromBase64(edParts[2], QByteArray::Base64UrlEncoding);
    flipped[10] = char(flipped[10] ^ 0x01);
    QTest::newRow("EdDSA signature, one bit flipped") << edParts[0] + '.' + edParts[1] + '.' + b64(flipped)
                                                      << QString("bad_signature");
    QTest::newRow("EdDSA signature truncated")
        << edParts[0] + '.' + edParts[1] + '.' + b64(QByteArray::fromBase64(edParts[2], QByteArray::Base64UrlEncoding).left(63))
        << QString("bad_signature");
    QTest::newRow("empty signature") << edParts[0] + '.' + edParts[1] + '.' << QString("bad_signature");
    QJsonObject admin = good;
    admin["sub"] = "admin";
    QTest::newRow("payload changed after signing (EdDSA)")
        << edParts[0] + '.' + b64(json(admin)) + '.' + edParts[2] << QString("bad_signature");
    const QList<QByteArray> rsaParts = goodRsa.split('.');
    admin["plan"] = "enterprise";
    QTest::newRow("payload changed after signing (RS256)")
        << rsaParts[0] + '.' + b64(json(admin)) + '.' + rsaParts[2] << QString("bad_signature");
    QJsonObject header = headerFor(m_ed);
    header["typ"] = "at+jwt";
    QTest::newRow("header changed after signing") << b64(json(header)) + '.' + edParts[1] + '.' + edParts[2]
                                                  << QString("bad_signature");
    QJsonObject embedded = headerFor(m_ed);
    embedded["jwk"] = m_otherEd.jwk;
    embedded["jku"] = "https://attacker.example/jwks";
    QTest::newRow("key embedded in the header (jwk/jku) is ignored") << mint(m_otherEd, embedded, good)
                                                                     << QString("bad_signature");

    // Time: 60 s leeway.
    QTest::newRow("expired 61 s ago") << mint(m_ed, claims(-61)) << QString("expired");
    QTest::newRow("expired 60 s ago (leeway is exclusive)") << mint(m_ed, claims(-60)) << QString("expired");
    QTest::newRow("expired a year ago (RS256)") << mint(m_rsa, claims(-365 * 86400)) << QString("expired");
    QJsonObject early = good;
    early["nbf"] = kNowS + 61;
    QTest::newRow("nbf 61 s ahead") << mint(m_ed, early) << QString("not_yet_valid");

    // Issuer, audience, subject.
    QJsonObject payload = good;
    payload["iss"] = "https://evil.example.com";
    QTest::newRow("wrong iss") << mint(m_ed, payload) << QString("wrong_issuer");
    payload.remove("iss");
    QTest::newRow("no iss") << mint(m_ed, payload) << QString("wrong_issuer");
    payload = good;
    payload["aud"] = "someone-else";
    QTest::newRow("wrong aud (string)") << mint(m_ed, payload) << QString("wrong_audience");
    payload["aud"] = QJsonArray{"someone-else", "another"};
    QTest::newRow("wrong aud (array)") << mint(m_rsa, payload) << QString("wrong_audience");
    payload["aud"] = QJsonArray{};
    QTest::newRow("empty aud array") << mint(m_ed, payload) << QString("wrong_audience");
    payload["aud"] = "Tollgate";
    QTest::newRow("aud differs in case") << mint(m_ed, payload) << QString("wrong_audience");
    payload.remove("aud");
    QTest::newRow("no aud") << mint(m_ed, payload) << QString("wrong_audience");
    payload = good;
    payload.remove("sub");
    QTest::newRow("no sub") << mint(m_ed, payload) << QString("no_subject");
    payload["sub"] = "";
    QTest::newRow("empty sub") << mint(m_ed, payload) << QString("no_subject");
    payload["sub"] = 42;
    QTest::newRow("numeric sub") << mint(m_rsa, payload) << QString("no_subject");

    // Claims a valid token must have, in the right type.
    payload = good;
    payload.remove("exp");
    QTest::newRow("no exp") << mint(m_ed, payload) << QString("malformed");
    payload["exp"] = QString::number(kNowS + 3600);
    QTest::newRow("exp a string") << mint(m_ed, payload) << QString("malformed");
    payload = good;
    payload["nbf"] = "yesterday";
    QTest::newRow("nbf a string") << mint(m_ed, payload) << QString("malformed");

    // Unknown key (no refresh may run here: the clock stands still since the first fetch).
    QTest::newRow("unknown kid") << mint(m_otherEd, QJsonObject{{"alg", "EdDSA"}, {"kid", "ed-404"}}, good)
                                 << QString("unknown_kid");
    QTest::newRow("no kid, several keys") << mint(m_ed, QJsonObject{{"alg", "EdDSA"}}, good) << QString("unknown_kid");

    // Garbage.
    QTest::newRow("empty") << QByteArray() << QString("malformed");
    QTest::newRow("one part") << edParts[0] << QString("malformed");
    QTest::newRow("two parts") << edParts[0] + '.' + edParts[1] << QString("malformed");
    QTest::newRow("four parts") << goodEd + ".AAAA" << QString("malformed");
    QTest::newRow("dots only") << QByteArray("..") << QString("malformed");
    QTest::newRow("not base64") << QByteArray("!!!.???.***") << QString("malformed");
    QTest::newRow("padded base64") << edParts[0] + "=." + edParts[1] + '.' + edParts[2] << QString("malformed");
    QTest::newRow("standard alphabet in signature")
        << edParts[0] + '.' + edParts[1] + '.' + QByteArray::fromBase64(edParts[2], QByteArray::Base64UrlEncoding).toBase64()
        << QString("malformed");
    QTest::newRow("whitespace around") << " " + goodEd + "\n" << QString("malformed");
    QTest::newRow("Bearer prefix left in") << "Bearer " + goodEd << QString("malformed");
    QTest::newRow("header not JSON") << b64("not json") + '.' + edParts[1] + '.' + edParts[2] << QString("malformed");
    QTest::newRow("header a JSON array") << b64("[\"EdDSA\"]") + '.' + edParts[1] + '.' + edParts[2] << QString("malformed");
    QTest::newRow("header without alg") << b64(json(QJsonObject{{"kid", "ed-1"}})) + '.' + edParts[1] + '.' + edParts[2]
                                        << QString("malformed");
    QTest::newRow("alg a number") << b64(json(QJsonObject{{"alg", 1}, {"kid", "ed-1"}})) + '.' + edParts[1] + '.' + edParts[2]
                                  << QString("malformed");
    QTest::newRow("kid a number") << mint(m_ed, QJsonObject{{"alg", "EdDSA"}, {"kid", 1}}, good) << QString("malformed");
    QJsonObject crit = headerFor(m_ed);
    crit["crit"] = QJsonArray{"exp"};
    QTest::newRow("crit header (signed)") << mint(m_ed, crit, good) << QString("malformed");
    QTest::newRow("payload not JSON (signed)") << mintRawPayload(m_ed, "hello") << QString("malformed");
    QTest::newRow("payload a JSON array (signed)") << mintRawPayload(m_rsa, "[1,2]") << QString("malformed");
    QJsonObject huge = good;
    huge["pad"] = QString(20000, QLatin1Char('x'));
    QTest::newRow("longer than 16 KiB") << mint(m_ed, huge) << QString("malformed");
}

void TestJwtVerifier::refusesWithReason()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, reason);
    const int fetches = m_server.fetches();
    JwtVerifier verifier(m_jwks.get(), m_clock, options());
    const JwtResult result = verifier.verify(token);
    QVERIFY2(!result.ok, qPrintable(result.message));
    QCOMPARE(result.reason, reason);
    QVERIFY(!result.message.isEmpty());
    QVERIFY(result.claims.subject.isEmpty());
    // The message goes to logs: it never carries the token (nor its signature).
    const QByteArray signaturePart = token.split('.').value(2);
    if (signaturePart.size() >= 16)
        QVERIFY(!result.message.toLatin1().contains(signaturePart));
    QTest::qWait(20);  // a refresh asked for now would have reached the server by then
    QCOMPARE(m_server.fetches(), fetches);
}

void TestJwtVerifier::accepts_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("plan");
    QTest::addColumn<qint64>("expiresAt");

    QTest::newRow("EdDSA") << mint(m_ed, claims()) << QString("pro") << kNowS + 3600;
    QTest::newRow("RS256") << mint(m_rsa, claims()) << QString("pro") << kNowS + 3600;
    QTest::newRow("expired 59 s ago, within leeway") << mint(m_ed, claims(-59)) << QString("pro") << kNowS - 59;
    QJsonObject payload = claims();
    payload["nbf"] = kNowS + 59;
    QTest::newRow("nbf 59 s ahead, within leeway") << mint(m_rsa, payload) << QString("pro") << kNowS + 3600;
    payload = claims();
    payload["aud"] = QJsonArray{"other", kAudience};
    payload.remove("plan");
    QTest::newRow("aud array holding ours, no plan") << mint(m_ed, payload) << QString() << kNowS + 3600;
    payload = claims();
    payload["exp"] = double(kNowS) + 0.5;
    QTest::newRow("fractional exp") << mint(m_ed, payload) << QString("pro") << kNowS;
    QJsonObject header = headerFor(m_ed);
    header["alg"] = "Ed25519";
    QTest::newRow("alg Ed25519 (RFC 9864 name)") << mint(m_ed, header, claims()) << QString("pro") << kNowS + 3600;
    header = headerFor(m_rsa);
    header["typ"] = "at+jwt";
    header["x5u"] = "https://attacker.example/cert";
    QTest::newRow("unknown header fields ignored") << mint(m_rsa, header, claims()) << QString("pro") << kNowS + 3600;
}

void TestJwtVerifier::accepts()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, plan);
    QFETCH(qint64, expiresAt);
    JwtVerifier verifier(m_jwks.get(), m_clock, options());
    const JwtResult result = verifier.verify(token);
    QVERIFY2(result.ok, qPrintable(result.reason + QLatin1String(": ") + result.message));
    QVERIFY(result.reason.isEmpty());
    QCOMPARE(result.claims.subject, QString("user-42"));
    QCOMPARE(result.claims.plan, plan);
    QCOMPARE(result.claims.issuer, kIssuer);
    QVERIFY(result.claims.audience.contains(kAudience));
    QCOMPARE(result.claims.expiresAt, expiresAt);
    QCOMPARE(result.claims.all.value("iat").toInteger(), kNowS);
}

void TestJwtVerifier::acceptsWithoutIssuerOrAudienceConfigured()
{
    QJsonObject payload = claims();
    payload.remove("iss");
    payload["aud"] = "someone-else";
    JwtVerifier verifier(m_jwks.get(), m_clock, JwtVerifier::Options{});
    const JwtResult result = verifier.verify(mint(m_ed, payload));
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.claims.audience, QStringList{"someone-else"});
    QVERIFY(result.claims.issuer.isEmpty());
    // Configured, the same token is refused.
    QCOMPARE(JwtVerifier(m_jwks.get(), m_clock, options()).verify(mint(m_ed, payload)).reason, QString("wrong_issuer"));
}

void TestJwtVerifier::verifyAsyncAnswersAtOnceForKnownKeys()
{
    JwtVerifier verifier(m_jwks.get(), m_clock, options());
    QFuture<JwtResult> ok = verifier.verifyAsync(mint(m_rsa, claims()));
    QVERIFY(ok.isFinished());
    QVERIFY(ok.result().ok);
    QFuture<JwtResult> refused = verifier.verifyAsync(mint(m_rsa, claims(-61)));
    QVERIFY(refused.isFinished());
    QCOMPARE(refused.result().reason, QString("expired"));
}

void TestJwtVerifier::leewayIsConfigurable()
{
    JwtVerifier strict(m_jwks.get(), m_clock, JwtVerifier::Options{kIssuer, kAudience, 0});
    QCOMPARE(strict.verify(mint(m_ed, claims(-1))).reason, QString("expired"));
    QCOMPARE(strict.verify(mint(m_ed, claims(0))).reason, QString("expired"));
    QVERIFY(strict.verify(mint(m_ed, claims(1))).ok);
}

QTEST_GUILESS_MAIN(TestJwtVerifier)
#include "tst_jwtverifier.moc"
