#include "server/api/Authenticator.h"

#include "core/auth/JwtVerifier.h"
#include "core/keys/SecretGenerator.h"
#include "core/service/GatewayCore.h"
#include "core/service/KeyService.h"
#include "core/storage/AdminTokenStore.h"

namespace tollgate::api {

namespace {

// A revoked admin token stops working within this long everywhere (the change is read from the database).
constexpr qint64 TokenCacheMs = 2000;

AuthOutcome refused(const QString &reason)
{
    AuthOutcome outcome;
    outcome.reason = reason;
    return outcome;
}

} // namespace

Authenticator::Authenticator(GatewayCore &core, auth::JwtVerifier *verifier, QStringList adminUserIds)
    : m_core(core), m_verifier(verifier), m_adminUserIds(std::move(adminUserIds))
{
}

QFuture<AuthOutcome> Authenticator::authenticate(const QByteArray &authorizationHeader)
{
    const QByteArray header = authorizationHeader.trimmed();
    if (header.isEmpty())
        return QtFuture::makeReadyFuture(refused(QStringLiteral("missing")));
    if (header.size() < 7 || header.left(7).toLower() != "bearer ")  // the scheme is case-insensitive (RFC 7235)
        return QtFuture::makeReadyFuture(refused(QStringLiteral("not_bearer")));
    const QByteArray token = header.mid(7).trimmed();
    if (token.startsWith(KeyService::AdminTokenPrefix))
        return adminToken(token);
    if (!m_verifier)
        return QtFuture::makeReadyFuture(refused(QStringLiteral("jwks_not_configured")));
    const QStringList admins = m_adminUserIds;
    return m_verifier->verifyAsync(token).then(QtFuture::Launch::Sync, [admins](const auth::JwtResult &result) {
        if (!result.ok) {
            AuthOutcome outcome = refused(result.reason);
            outcome.unavailable = result.reason == QLatin1String("jwks_unavailable");
            return outcome;
        }
        AuthOutcome outcome;
        outcome.ok = true;
        outcome.principal.userId = result.claims.subject;
        outcome.principal.plan = result.claims.plan;
        outcome.principal.actor = result.claims.subject;
        outcome.principal.admin = admins.contains(result.claims.subject);
        return outcome;
    });
}

void Authenticator::addEphemeralAdminToken(const QByteArray &token, const QString &name)
{
    QWriteLocker locker(&m_lock);
    m_ephemeral.insert(SecretGenerator::hash(QString::fromLatin1(token)), name);
}

QFuture<AuthOutcome> Authenticator::adminToken(const QByteArray &token)
{
    const QString hash = SecretGenerator::hash(QString::fromLatin1(token));
    const qint64 now = m_core.clock()->nowMs();
    auto accepted = [](const QString &name) {
        AuthOutcome outcome;
        outcome.ok = true;
        outcome.principal.actor = QStringLiteral("admin-token:") + name;
        outcome.principal.admin = true;
        return outcome;
    };
    {
        QReadLocker locker(&m_lock);
        if (const auto own = m_ephemeral.constFind(hash); own != m_ephemeral.constEnd())
            return QtFuture::makeReadyFuture(accepted(*own));
        const auto it = m_tokens.constFind(hash);
        // Any admin token revoked anywhere since this one was cached: ask the database again.
        if (it != m_tokens.constEnd() && it->validUntilMs > now && it->generation == m_core.changeFeed().adminTokenGeneration())
            return QtFuture::makeReadyFuture(accepted(it->name));
    }
    const quint64 generation = m_core.changeFeed().adminTokenGeneration();
    return m_core.storage()
        .run<std::optional<AdminToken>>([hash](QSqlDatabase &db) { return AdminTokenStore::findActiveByHash(db, hash); })
        .then(QtFuture::Launch::Sync, [this, hash, now, accepted, generation](const std::optional<AdminToken> &found) {
            if (!found)
                return refused(QStringLiteral("invalid_admin_token"));
            QWriteLocker locker(&m_lock);
            if (m_tokens.size() > 10000)
                m_tokens.clear();
            m_tokens.insert(hash, {found->name, now + TokenCacheMs, generation});
            return accepted(found->name);
        })
        .onFailed([](const StorageError &) {
            AuthOutcome outcome = refused(QStringLiteral("store_unavailable"));
            outcome.unavailable = true;
            return outcome;
        });
}

} // namespace tollgate::api
