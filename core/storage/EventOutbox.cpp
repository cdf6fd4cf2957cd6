#include "core/storage/EventOutbox.h"

#include "core/storage/Sql.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTimeZone>
#include <QUuid>

namespace tollgate {

namespace {

QString newEventId()
{
    return QStringLiteral("evt_") + QUuid::createUuid().toString(QUuid::Id128);
}

QByteArray bodyOf(const QString &id, const QString &type, qint64 nowMs, const QJsonObject &data)
{
    const QString createdAt = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()).toString(Qt::ISODateWithMs);
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                     {QStringLiteral("type"), type},
                                     {QStringLiteral("createdAt"), createdAt},
                                     {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

void insert(QSqlDatabase &db, const QString &id, const QString &type, const QJsonObject &data, qint64 nowMs)
{
    sql::exec(db, QStringLiteral("INSERT INTO event_outbox (event_id, type, created_at, body, next_attempt_at) VALUES (?, ?, ?, ?, ?)"),
              {id, type, nowMs, QString::fromUtf8(bodyOf(id, type, nowMs, data)), nowMs});
}

const QString Claimable = QStringLiteral("delivered_at IS NULL AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)");

} // namespace

QString EventOutbox::append(QSqlDatabase &db, const QString &type, const QJsonObject &data, qint64 nowMs)
{
    const QString id = newEventId();
    insert(db, id, type, data, nowMs);
    return id;
}

bool EventOutbox::appendThresholdOnce(QSqlDatabase &db, const QString &keyId, const QString &period, int threshold,
                                      const QJsonObject &data, qint64 nowMs)
{
    const QString id = newEventId();
    QSqlQuery q = sql::exec(db, QStringLiteral("INSERT INTO credit_thresholds (key_id, period, threshold, event_id, created_at)"
                                               " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_id, period, threshold) DO NOTHING"),
                            {keyId, period, threshold, id, nowMs});
    if (q.numRowsAffected() != 1)
        return false;
    insert(db, id, CreditsThreshold, data, nowMs);
    return true;
}

QList<OutboxEvent> EventOutbox::claim(QSqlDatabase &db, const QString &claimToken, qint64 nowMs, qint64 lockMs, int limit)
{
    // The outer WHERE repeats the claimable test: on PostgreSQL a row another instance claimed meanwhile is re-read
    // after its lock is released and then fails the test, so two concurrent claims never both get it.
    // Polled every second by every instance: when nothing is due, a read and no write (no lock, no WAL).
    if (!sql::scalar(db, QStringLiteral("SELECT seq FROM event_outbox WHERE %1 LIMIT 1").arg(Claimable), {nowMs, nowMs}).isValid())
        return {};
    sql::Transaction tx(db);
    sql::exec(db, QStringLiteral("UPDATE event_outbox SET locked_by = ?, locked_until = ? WHERE %1 AND seq IN"
                                 " (SELECT seq FROM event_outbox WHERE %1 ORDER BY seq LIMIT ?)").arg(Claimable),
              {claimToken, nowMs + lockMs, nowMs, nowMs, nowMs, nowMs, limit});
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT seq, event_id, type, created_at, body, attempts, webhook_done_at, stream_done_at"
                                               " FROM event_outbox WHERE locked_by = ? ORDER BY seq"),
                            {claimToken});
    QList<OutboxEvent> events;
    while (q.next()) {
        events.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                       q.value(4).toString().toUtf8(), q.value(5).toInt(), !q.value(6).isNull(), !q.value(7).isNull()});
    }
    tx.commit();
    return events;
}

void EventOutbox::settle(QSqlDatabase &db, const QList<DeliveryOutcome> &outcomes, qint64 nowMs)
{
    sql::Transaction tx(db);
    // Values decided here rather than in SQL CASEs, whose untyped parameters PostgreSQL cannot prepare.
    const QVariant now(nowMs);
    const QVariant null(QMetaType::fromType<qlonglong>());
    for (const DeliveryOutcome &o : outcomes) {
        const bool delivered = o.webhookDone && o.streamDone;
        sql::exec(db, QStringLiteral(
            "UPDATE event_outbox SET locked_by = NULL, locked_until = NULL, attempts = attempts + ?,"
            " webhook_done_at = COALESCE(webhook_done_at, ?), stream_done_at = COALESCE(stream_done_at, ?),"
            " delivered_at = ?, next_attempt_at = ?, last_error = ? WHERE seq = ?"),
            {delivered ? 0 : 1, o.webhookDone ? now : null, o.streamDone ? now : null, delivered ? now : null,
             delivered ? nowMs : o.retryAtMs, sql::nullable(o.error), o.seq});
    }
    tx.commit();
}

qint64 EventOutbox::pendingCount(QSqlDatabase &db)
{
    return sql::scalar(db, QStringLiteral("SELECT COUNT(*) FROM event_outbox WHERE delivered_at IS NULL")).toLongLong();
}

qint64 EventOutbox::prune(QSqlDatabase &db, qint64 beforeMs, bool undeliveredToo)
{
    QSqlQuery q = undeliveredToo
        ? sql::exec(db, QStringLiteral("DELETE FROM event_outbox WHERE created_at < ? AND (delivered_at IS NOT NULL OR locked_until IS NULL)"),
                    {beforeMs})
        : sql::exec(db, QStringLiteral("DELETE FROM event_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?"), {beforeMs});
    return q.numRowsAffected();
}

} // namespace tollgate
