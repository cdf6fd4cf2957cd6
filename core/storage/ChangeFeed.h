#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// A monotonic log of key and tier changes, written in the same transaction as the change,
// so other processes (CLI, other instances) can tell this one what to reload.
struct Change
{
    qint64 seq = 0;
    QString entity;    // "key", "tier", "credits", "admin_token"
    QString entityId;
};

class ChangeFeed
{
public:
    static inline const QString Key = QStringLiteral("key");
    static inline const QString Tier = QStringLiteral("tier");
    static inline const QString Credits = QStringLiteral("credits");
    static inline const QString AdminToken = QStringLiteral("admin_token");

    static void append(QSqlDatabase &db, const QString &entity, const QString &entityId, qint64 nowMs);
    // Rows with seq > afterSeq, oldest first.
    static QList<Change> since(QSqlDatabase &db, qint64 afterSeq, int limit = 1000);
    static qint64 latestSeq(QSqlDatabase &db);
};

} // namespace tollgate
