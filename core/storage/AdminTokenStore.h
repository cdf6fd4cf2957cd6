#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace tollgate {

// Admin tokens (tga_…) as stored: hash, prefix and last 4 characters only.
struct AdminToken
{
    QString id;
    QString name;
    QString tokenHash;
    QString prefix;
    QString last4;
    QDateTime createdAt;
    QDateTime revokedAt;
    QDateTime lastUsedAt;

    bool isActive() const { return !revokedAt.isValid(); }
    QJsonObject toJson() const;
};

class AdminTokenStore
{
public:
    static void insert(QSqlDatabase &db, const AdminToken &token);
    static QList<AdminToken> list(QSqlDatabase &db);
    static std::optional<AdminToken> findById(QSqlDatabase &db, const QString &id);
    static std::optional<AdminToken> findActiveByHash(QSqlDatabase &db, const QString &hash);
    static void revoke(QSqlDatabase &db, const QString &id, qint64 nowMs);
};

} // namespace tollgate
