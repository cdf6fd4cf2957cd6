#include "core/auth/JwkSet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tollgate::auth {

std::optional<JwkSet> JwkSet::fromJson(const QByteArray &json, qint64 fetchedAtMs, QStringList *skipped,
                                       QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()
        || !document.object().value(QLatin1String("keys")).isArray()) {
        *error = QStringLiteral("not a JWKS document (a JSON object with a \"keys\" array)");
        return std::nullopt;
    }
    JwkSet set;
    set.m_current = true;
    set.m_fetchedAtMs = fetchedAtMs;
    const QJsonArray keys = document.object().value(QLatin1String("keys")).toArray();
    for (const QJsonValue &value : keys) {
        QString keyError;
        std::optional<Jwk> jwk = Jwk::fromJson(value.toObject(), &keyError);
        if (!jwk) {
            skipped->append(keyError);
            continue;
        }
        // Two keys under one kid would make "which key signed this" ambiguous: the first one wins.
        if (set.m_keys.contains(jwk->kid())) {
            skipped->append(QStringLiteral("key \"%1\": kid repeated").arg(jwk->kid()));
            continue;
        }
        const QString kid = jwk->kid();
        set.m_keys.insert(kid, std::make_shared<const Jwk>(std::move(*jwk)));
    }
    if (set.m_keys.isEmpty()) {
        *error = QStringLiteral("the JWKS holds no usable EdDSA or RS256 key (%1 keys listed)").arg(keys.size());
        return std::nullopt;
    }
    return set;
}

std::shared_ptr<const Jwk> JwkSet::find(const QString &kid) const
{
    if (kid.isEmpty() && m_keys.size() == 1)
        return m_keys.constBegin().value();
    return m_keys.value(kid);
}

QStringList JwkSet::kids() const
{
    QStringList kids = m_keys.keys();
    kids.sort();
    return kids;
}

JwkSet JwkSet::stale() const
{
    JwkSet copy = *this;
    copy.m_current = false;
    return copy;
}

} // namespace tollgate::auth
