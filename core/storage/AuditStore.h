#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>

namespace tollgate {

// Append-only: there is no update or delete here on purpose.
struct AuditEntry
{
    qint64 id = 0;
    QDateTime at;
    QString actor;       // "cli", a user id, or "admin-token:<name>"
    QString action;      // "key.create", "key.revoke", "key.grant", "tier.set", "admin_token.create", …
    QString targetType;  // "key", "tier", "admin_token"
    QString targetId;
    QJsonObject before;
    QJsonObject after;

    QJsonObject toJson() const;
};

struct AuditPage
{
    QList<AuditEntry> entries;
    QString nextCursor;
};

class AuditStore
{
public:
    static void append(QSqlDatabase &db, const AuditEntry &entry);
    // Newest first; cursor is a nextCursor of an earlier page (opaque, see core/storage/Cursor.h). One that is
    // not fails with StorageError::Kind::Invalid.
    static AuditPage list(QSqlDatabase &db, const QString &cursor, int limit, const QString &targetId = {});
};

} // namespace tollgate
