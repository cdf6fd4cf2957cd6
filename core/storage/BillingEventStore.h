#pragma once

#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// SQL for billing_events (migration 7): the billing webhook's memory of the events it has acted on.
class BillingEventStore
{
public:
    struct Row
    {
        QString id;
        QString type;
        QString userId;
        qint64 eventCreated = 0;  // unix s
        QString tier;
        QString outcome;          // "applied" or "superseded"
        int keysMoved = 0;
        qint64 receivedAtMs = 0;
    };

    // Inserts the row unless its id is already there (INSERT … ON CONFLICT DO NOTHING, on both dialects); true when
    // inserted. Inside a transaction on PostgreSQL, a concurrent insert of the same id waits for the other one's
    // commit and then returns false: of two instances receiving one delivery, one applies it.
    static bool insertIfNew(QSqlDatabase &db, const Row &row);
    static void setResult(QSqlDatabase &db, const QString &id, const QString &outcome, int keysMoved);
    // The newest event time already recorded for the user, other than `exceptId`; 0 when none.
    static qint64 newestFor(QSqlDatabase &db, const QString &userId, const QString &exceptId);
};

} // namespace tollgate
