#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace tollgate::auth {

// What the management API needs from a verified token. Only filled in when verification succeeded.
struct JwtClaims
{
    QString subject;        // sub: the user id (non-empty)
    QString plan;           // plan: caps the tier a user may give its own keys; empty when absent
    QString issuer;         // iss, when a string
    QStringList audience;   // aud: a string claim becomes a one-element list
    qint64 expiresAt = 0;   // exp, unix seconds (UTC)
    QJsonObject all;        // the whole payload, for claims not named above
};

} // namespace tollgate::auth
