#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tollgate::auth {

// A JWS in compact serialisation taken apart, nothing verified yet: exactly three strict base64url parts,
// a JSON object header with a string "alg" (and "kid", when present, a string). The payload stays bytes
// until the signature over it has been checked.
class JwtToken
{
public:
    static std::optional<JwtToken> parse(QByteArrayView compact, QString *error);

    const QJsonObject &header() const { return m_header; }
    const QString &alg() const { return m_alg; }
    const QString &kid() const { return m_kid; }
    const QByteArray &signingInput() const { return m_signingInput; }  // the first two parts, as sent
    const QByteArray &payload() const { return m_payload; }            // decoded
    const QByteArray &signature() const { return m_signature; }        // decoded; empty for "alg":"none" tokens

private:
    QJsonObject m_header;
    QString m_alg;
    QString m_kid;
    QByteArray m_signingInput;
    QByteArray m_payload;
    QByteArray m_signature;
};

} // namespace tollgate::auth
