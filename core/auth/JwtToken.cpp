#include "core/auth/JwtToken.h"

#include "core/auth/Base64Url.h"

#include <QJsonDocument>

namespace tollgate::auth {

std::optional<JwtToken> JwtToken::parse(QByteArrayView compact, QString *error)
{
    const qsizetype firstDot = compact.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : compact.indexOf('.', firstDot + 1);
    if (secondDot < 0 || compact.indexOf('.', secondDot + 1) >= 0) {
        *error = QStringLiteral("not three dot-separated parts");
        return std::nullopt;
    }
    const QByteArrayView headerPart = compact.first(firstDot);
    const QByteArrayView payloadPart = compact.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = compact.sliced(secondDot + 1);

    const std::optional<QByteArray> headerJson = Base64Url::decode(headerPart);
    std::optional<QByteArray> payload = Base64Url::decode(payloadPart);
    std::optional<QByteArray> signature = Base64Url::decode(signaturePart);
    if (!headerJson || !payload || !signature || headerPart.isEmpty() || payloadPart.isEmpty()) {
        *error = QStringLiteral("a part is empty or not strict base64url");
        return std::nullopt;
    }

    QJsonParseError parseError;
    const QJsonDocument header = QJsonDocument::fromJson(*headerJson, &parseError);
    if (parseError.error != QJsonParseError::NoError || !header.isObject()) {
        *error = QStringLiteral("header is not a JSON object");
        return std::nullopt;
    }
    JwtToken token;
    token.m_header = header.object();
    const QJsonValue alg = token.m_header.value(QLatin1String("alg"));
    const QJsonValue kid = token.m_header.value(QLatin1String("kid"));
    if (!alg.isString() || (!kid.isUndefined() && !kid.isString())) {
        *error = QStringLiteral("header \"alg\" missing, or \"alg\"/\"kid\" not a string");
        return std::nullopt;
    }
    token.m_alg = alg.toString();
    token.m_kid = kid.toString();
    token.m_signingInput = compact.first(secondDot).toByteArray();
    token.m_payload = std::move(*payload);
    token.m_signature = std::move(*signature);
    return token;
}

} // namespace tollgate::auth
