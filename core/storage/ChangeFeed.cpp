#include "core/storage/ChangeFeed.h"

#include "core/storage/Sql.h"

#include <QSqlQuery>

namespace tollgate {

void ChangeFeed::append(QSqlDatabase &db, const QString &entity, const QString &entityId, qint64 nowMs)
{
    sql::exec(db, QStringLiteral("INSERT INTO change_feed (entity, entity_id, at) VALUES (?, ?, ?)"), {entity, entityId, nowMs});
}

QList<Change> ChangeFeed::since(QSqlDatabase &db, qint64 afterSeq, int limit)
{
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT seq, entity, entity_id FROM change_feed WHERE seq > ? ORDER BY seq LIMIT ?"),
                            {afterSeq, limit});
    QList<Change> changes;
    while (q.next())
        changes.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    return changes;
}

qint64 ChangeFeed::latestSeq(QSqlDatabase &db)
{
    return sql::scalar(db, QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM change_feed")).toLongLong();
}

} // namespace tollgate
