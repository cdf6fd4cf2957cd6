#include "core/auth/JwtVerifier.h"

#include "core/auth/AuthLogging.h"
#include "core/auth/JwksCache.h"
#include "core/auth/JwtToken.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace tollgate::auth {

namespace {

// Attacker-chosen text going into a log line: short, printable.
QString printable(const QString &text)
{
    QString out = text.left(64);
    for (QChar &c : out) {
        if (!c.isPrint())
            c = QLatin1Char('?');
    }
    return out;
}

JwtResult refuse(QLatin1StringView reason, const QString &message)
{
    qCDebug(lcAuth).noquote() << "JWT refused:" << reason << '-' << message;
    return JwtResult::refused(reason, message);
}

QStringList audienceOf(const QJsonValue &aud)
{
    // RFC 7519 §4.1.3: a single string or an array of strings.
    if (aud.isString())
        return {aud.toString()};
    QStringList list;
    for (const QJsonValue &entry : aud.toArray()) {
        if (entry.isString())
            list.append(entry.toString());
    }
    return list;
}

// For display and JwtClaims only: a double beyond qint64 would be undefined behaviour to convert.
qint64 wholeSeconds(double seconds)
{
    constexpr double kLimit = 9007199254740992.0;  // 2^53
    return qint64(std::clamp(seconds, -kLimit, kLimit));
}

} // namespace

JwtVerifier::JwtVerifier(JwksCache *jwks, std::shared_ptr<const Clock> clock, Options options)
    : m_jwks(jwks), m_clock(std::move(clock)), m_options(std::move(options))
{
}

JwtResult JwtVerifier::verify(QByteArrayView token) const
{
    bool keyMissing = false;
    JwtResult result = verifyWith(token, *m_jwks->snapshot(), *m_clock, m_options, &keyMissing);
    if (keyMissing)
        m_jwks->requestRefresh();
    return result;
}

QFuture<JwtResult> JwtVerifier::verifyAsync(QByteArray token) const
{
    bool keyMissing = false;
    JwtResult result = verifyWith(token, *m_jwks->snapshot(), *m_clock, m_options, &keyMissing);
    if (!keyMissing)
        return QtFuture::makeReadyFuture(std::move(result));
    // The continuation owns what it reads (not this verifier), so a verifier gone meanwhile costs nothing.
    return m_jwks->refreshAsync().then(
        [token = std::move(token), clock = m_clock, options = m_options](std::shared_ptr<const JwkSet> keys) {
            return verifyWith(token, *keys, *clock, options);
        });
}

JwtResult JwtVerifier::verifyWith(QByteArrayView compact, const JwkSet &keys, const Clock &clock, const Options &options,
                                  bool *keyMissing)
{
    if (keyMissing)
        *keyMissing = false;
    if (compact.size() > options.maxTokenBytes)
        return refuse(JwtReason::Malformed, QStringLiteral("token longer than %1 bytes").arg(options.maxTokenBytes));
    QString error;
    const std::optional<JwtToken> token = JwtToken::parse(compact, &error);
    if (!token)
        return refuse(JwtReason::Malformed, error);

    // The algorithm comes from our key, never from the token: "none" and HMAC (whose "secret" an
    // attacker would pick, e.g. our RSA public key) are refused before any key is even looked at.
    const QString &alg = token->alg();
    if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return refuse(JwtReason::AlgNone, QStringLiteral("alg none"));
    if (alg.startsWith(QLatin1String("HS"), Qt::CaseInsensitive))
        return refuse(JwtReason::AlgHmac, QStringLiteral("HMAC alg %1").arg(printable(alg)));
    const std::optional<Jwk::Algorithm> algorithm = Jwk::algorithmFromName(alg);
    if (!algorithm)
        return refuse(JwtReason::AlgMismatch, QStringLiteral("alg %1 is not EdDSA or RS256").arg(printable(alg)));
    // RFC 7515 §4.1.11: extensions we would have to understand are listed in "crit"; we understand none.
    if (token->header().contains(QLatin1String("crit")))
        return refuse(JwtReason::Malformed, QStringLiteral("header has \"crit\""));

    const std::shared_ptr<const Jwk> key = keys.find(token->kid());
    if (!key) {
        // Another fetch can help only with a kid to look for (or with no keys at all).
        if (keyMissing)
            *keyMissing = !token->kid().isEmpty() || keys.isEmpty();
        if (!keys.current())
            return refuse(JwtReason::JwksUnavailable,
                          keys.isEmpty() ? QStringLiteral("no JWKS keys (not fetched yet, or the JWKS is unreachable)")
                                         : QStringLiteral("kid \"%1\" not among the cached keys; the JWKS is unreachable")
                                               .arg(printable(token->kid())));
        return refuse(JwtReason::UnknownKid, token->kid().isEmpty()
                                                 ? QStringLiteral("no kid, and the JWKS has several keys")
                                                 : QStringLiteral("kid \"%1\" not in the JWKS").arg(printable(token->kid())));
    }
    if (key->algorithm() != *algorithm)
        return refuse(JwtReason::AlgMismatch, QStringLiteral("alg %1 with a %2 key (kid \"%3\")")
                                                  .arg(alg, Jwk::algorithmName(key->algorithm()), printable(key->kid())));
    if (!key->verify(token->signingInput(), token->signature()))
        return refuse(JwtReason::BadSignature, QStringLiteral("signature does not verify (kid \"%1\")").arg(printable(key->kid())));

    // Signed by the auth service from here on; the payload is parsed only now.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(token->payload(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return refuse(JwtReason::Malformed, QStringLiteral("payload is not a JSON object"));
    const QJsonObject payload = document.object();

    // NumericDate seconds, possibly fractional; compared as doubles, exact to far below a millisecond.
    const double now = double(clock.nowMs()) / 1000.0;
    const QJsonValue exp = payload.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return refuse(JwtReason::Malformed, QStringLiteral("\"exp\" missing or not a number"));
    if (now >= exp.toDouble() + double(options.leewaySeconds))
        return refuse(JwtReason::Expired, QStringLiteral("expired at %1").arg(wholeSeconds(exp.toDouble())));
    const QJsonValue nbf = payload.value(QLatin1String("nbf"));
    if (!nbf.isUndefined() && !nbf.isDouble())
        return refuse(JwtReason::Malformed, QStringLiteral("\"nbf\" not a number"));
    if (nbf.isDouble() && now + double(options.leewaySeconds) < nbf.toDouble())
        return refuse(JwtReason::NotYetValid, QStringLiteral("not valid before %1").arg(wholeSeconds(nbf.toDouble())));

    const QJsonValue iss = payload.value(QLatin1String("iss"));
    if (!options.issuer.isEmpty() && (!iss.isString() || iss.toString() != options.issuer))
        return refuse(JwtReason::WrongIssuer, QStringLiteral("iss \"%1\"").arg(printable(iss.toString())));
    const QStringList audience = audienceOf(payload.value(QLatin1String("aud")));
    if (!options.audience.isEmpty() && !audience.contains(options.audience))
        return refuse(JwtReason::WrongAudience, QStringLiteral("aud does not include the configured audience"));
    const QJsonValue sub = payload.value(QLatin1String("sub"));
    if (!sub.isString() || sub.toString().isEmpty())
        return refuse(JwtReason::NoSubject, QStringLiteral("no \"sub\""));

    JwtResult result;
    result.ok = true;
    result.claims.subject = sub.toString();
    result.claims.plan = payload.value(QLatin1String("plan")).toString();
    result.claims.issuer = iss.toString();
    result.claims.audience = audience;
    result.claims.expiresAt = wholeSeconds(exp.toDouble());
    result.claims.all = payload;
    return result;
}

} // namespace tollgate::auth
