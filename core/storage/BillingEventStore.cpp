#include "core/storage/BillingEventStore.h"

#include "core/storage/Sql.h"

#include <QSqlQuery>

namespace tollgate {

bool BillingEventStore::insertIfNew(QSqlDatabase &db, const Row &row)
{
    const QSqlQuery q = sql::exec(db, QStringLiteral("INSERT INTO billing_events (id, type, user_id, event_created, tier, outcome, keys_moved, received_at)"
                                                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
                                  {row.id, row.type, row.userId, row.eventCreated, row.tier, row.outcome, row.keysMoved, row.receivedAtMs});
    return q.numRowsAffected() > 0;
}

void BillingEventStore::setResult(QSqlDatabase &db, const QString &id, const QString &outcome, int keysMoved)
{
    sql::exec(db, QStringLiteral("UPDATE billing_events SET outcome = ?, keys_moved = ? WHERE id = ?"), {outcome, keysMoved, id});
}

qint64 BillingEventStore::newestFor(QSqlDatabase &db, const QString &userId, const QString &exceptId)
{
    return sql::scalar(db, QStringLiteral("SELECT COALESCE(MAX(event_created), 0) FROM billing_events WHERE user_id = ? AND id <> ?"),
                       {userId, exceptId})
        .toLongLong();
}

} // namespace tollgate
