#include "core/storage/AdminTokenStore.h"

#include "core/keys/ApiKey.h"
#include "core/storage/Sql.h"

#include <QSqlQuery>

namespace tollgate {

namespace {

const QString Select = QStringLiteral(
    "SELECT id, name, token_hash, prefix, last4, created_at, revoked_at, last_used_at FROM admin_tokens");

AdminToken fromRow(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
            q.value(4).toString(), fromMsUtc(q.value(5)), fromMsUtc(q.value(6)), fromMsUtc(q.value(7))};
}

} // namespace

QJsonObject AdminToken::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("maskedToken"), prefix + QStringLiteral("…") + last4},
        {QStringLiteral("status"), isActive() ? QStringLiteral("active") : QStringLiteral("revoked")},
        {QStringLiteral("createdAt"), toIsoUtcOrNull(createdAt)},
        {QStringLiteral("revokedAt"), toIsoUtcOrNull(revokedAt)},
        {QStringLiteral("lastUsedAt"), toIsoUtcOrNull(lastUsedAt)},
    };
}

void AdminTokenStore::insert(QSqlDatabase &db, const AdminToken &token)
{
    sql::exec(db, QStringLiteral("INSERT INTO admin_tokens (id, name, token_hash, prefix, last4, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
              {token.id, token.name, token.tokenHash, token.prefix, token.last4, token.createdAt.toMSecsSinceEpoch()});
}

QList<AdminToken> AdminTokenStore::list(QSqlDatabase &db)
{
    QSqlQuery q = sql::exec(db, Select + QStringLiteral(" ORDER BY created_at DESC, id DESC"));
    QList<AdminToken> tokens;
    while (q.next())
        tokens.append(fromRow(q));
    return tokens;
}

std::optional<AdminToken> AdminTokenStore::findById(QSqlDatabase &db, const QString &id)
{
    QSqlQuery q = sql::exec(db, Select + QStringLiteral(" WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

std::optional<AdminToken> AdminTokenStore::findActiveByHash(QSqlDatabase &db, const QString &hash)
{
    QSqlQuery q = sql::exec(db, Select + QStringLiteral(" WHERE token_hash = ? AND revoked_at IS NULL"), {hash});
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

void AdminTokenStore::revoke(QSqlDatabase &db, const QString &id, qint64 nowMs)
{
    sql::exec(db, QStringLiteral("UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), {nowMs, id});
}

} // namespace tollgate
