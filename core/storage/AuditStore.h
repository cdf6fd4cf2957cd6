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
    QString actor;       // "cli", a user id, "admin-token:<name>", or "billing" (the billing webhook)
    QString action;      // "key.create", "key.revoke", "key.grant", "tier.set", "admin_token.create", …
    QString targetType;  // "key", "tier", "admin_token"
    QString targetId;
    QJsonObject before;
    QJsonObject after;

    QJsonObject toJson() const;
};

// GET /admin/audit's filters, each exact and optional (empty: any). keyId is an entry about that key (target
// type "key"); targetId one about any target of that id (the older name of the filter, for keys and tiers).
struct AuditFilter
{
    QString actor;
    QString action;
    QString keyId;
    QString targetId;
    bool operator==(const AuditFilter &) const = default;
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
    // Newest first, only the entries the filter lets through (in SQL: paging stays over the filtered entries);
    // cursor is a nextCursor of an earlier page with the same filter (opaque, see core/storage/Cursor.h). One that
    // is not, or names an entry the filter does not let through, fails with StorageError::Kind::Invalid.
    static AuditPage list(QSqlDatabase &db, const QString &cursor, int limit, const AuditFilter &filter = {});
};

} // namespace tollgate
