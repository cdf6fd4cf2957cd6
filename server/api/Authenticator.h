#pragma once

#include "server/api/Principal.h"

#include <QByteArray>
#include <QFuture>
#include <QHash>
#include <QReadWriteLock>
#include <QStringList>

#include <memory>

namespace tollgate {
class GatewayCore;
namespace auth {
class JwksCache;
class JwtVerifier;
}
}

namespace tollgate::api {

// Checks `Authorization: Bearer …` for the management API: an admin token (tga_…, looked up by hash on the
// storage worker and remembered for a few seconds) or a JWT verified against the JWKS. Thread-safe; the
// future finishes on any thread (attach a context to come back).
class Authenticator
{
public:
    Authenticator(GatewayCore &core, auth::JwtVerifier *verifier, QStringList adminUserIds);
    QFuture<AuthOutcome> authenticate(const QByteArray &authorizationHeader);
    // An admin token that exists only in this process (the console's embedded gateway gives its own window
    // one): never written to the database, valid until the process ends. Only its hash is kept.
    void addEphemeralAdminToken(const QByteArray &token, const QString &name);

private:
    QFuture<AuthOutcome> adminToken(const QByteArray &token);

    GatewayCore &m_core;
    auth::JwtVerifier *m_verifier;  // null: no JWKS configured, JWTs are refused
    QStringList m_adminUserIds;
    struct CachedToken
    {
        QString name;
        qint64 validUntilMs = 0;
        quint64 generation = 0;  // ChangeFeedWatcher::adminTokenGeneration() when cached
    };
    QReadWriteLock m_lock;
    QHash<QString, CachedToken> m_tokens;  // hash → name, for a few seconds
    QHash<QString, QString> m_ephemeral;   // hash → name, for the life of the process
};

} // namespace tollgate::api
