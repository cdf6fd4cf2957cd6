#include "core/storage/UsageStore.h"

#include "core/storage/Sql.h"

#include <QSqlQuery>

namespace tollgate {

UsageCounters &UsageCounters::operator+=(const UsageCounters &other)
{
    requests += other.requests;
    credits += other.credits;
    errors += other.errors;
    latencyMsSum += other.latencyMsSum;
    bytesIn += other.bytesIn;
    bytesOut += other.bytesOut;
    return *this;
}

void UsageStore::apply(QSqlDatabase &db, const UsageBatch &batch, qint64 nowMs)
{
    sql::Transaction tx(db);
    for (const UsageRow &row : batch.rows) {
        const UsageCounters &c = row.counters;
        sql::exec(db, QStringLiteral(
            "INSERT INTO usage_daily (key_id, day, endpoint, requests, credits, errors, latency_ms_sum, bytes_in, bytes_out)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id, day, endpoint) DO UPDATE SET"
            " requests = usage_daily.requests + excluded.requests, credits = usage_daily.credits + excluded.credits,"
            " errors = usage_daily.errors + excluded.errors, latency_ms_sum = usage_daily.latency_ms_sum + excluded.latency_ms_sum,"
            " bytes_in = usage_daily.bytes_in + excluded.bytes_in, bytes_out = usage_daily.bytes_out + excluded.bytes_out"),
            {row.keyId, row.day, row.endpoint, c.requests, c.credits, c.errors, c.latencyMsSum, c.bytesIn, c.bytesOut});
    }
    for (const CreditDelta &delta : batch.credits) {
        sql::exec(db, QStringLiteral(
            "INSERT INTO credit_periods (key_id, period, credits_used, credits_granted, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (key_id, period) DO UPDATE SET credits_used = credit_periods.credits_used + excluded.credits_used,"
            " credits_granted = credit_periods.credits_granted + excluded.credits_granted, updated_at = excluded.updated_at"),
            {delta.keyId, delta.period, delta.used, delta.granted, nowMs});
    }
    for (auto it = batch.lastUsedMs.constBegin(); it != batch.lastUsedMs.constEnd(); ++it) {
        sql::exec(db, QStringLiteral("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)"),
                  {it.value(), it.key(), it.value()});
    }
    tx.commit();
}

QList<UsageRow> UsageStore::forKey(QSqlDatabase &db, const QString &keyId, const QString &fromDay)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT day, endpoint, requests, credits, errors, latency_ms_sum, bytes_in, bytes_out FROM usage_daily"
        " WHERE key_id = ? AND day >= ? ORDER BY day, endpoint"), {keyId, fromDay});
    QList<UsageRow> rows;
    while (q.next()) {
        rows.append({keyId, q.value(0).toString(), q.value(1).toString(),
                     {q.value(2).toLongLong(), q.value(3).toLongLong(), q.value(4).toLongLong(),
                      q.value(5).toLongLong(), q.value(6).toLongLong(), q.value(7).toLongLong()}});
    }
    return rows;
}

QList<UsageRow> UsageStore::system(QSqlDatabase &db, const QString &fromDay)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT day, endpoint, SUM(requests), SUM(credits), SUM(errors), SUM(latency_ms_sum), SUM(bytes_in), SUM(bytes_out)"
        " FROM usage_daily WHERE day >= ? GROUP BY day, endpoint ORDER BY day, endpoint"), {fromDay});
    QList<UsageRow> rows;
    while (q.next()) {
        rows.append({QString(), q.value(0).toString(), q.value(1).toString(),
                     {q.value(2).toLongLong(), q.value(3).toLongLong(), q.value(4).toLongLong(),
                      q.value(5).toLongLong(), q.value(6).toLongLong(), q.value(7).toLongLong()}});
    }
    return rows;
}

QList<QPair<QString, UsageCounters>> UsageStore::topUsers(QSqlDatabase &db, const QString &fromDay, int limit)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT k.user_id, SUM(u.requests), SUM(u.credits), SUM(u.errors), SUM(u.latency_ms_sum), SUM(u.bytes_in), SUM(u.bytes_out)"
        " FROM usage_daily u JOIN api_keys k ON k.id = u.key_id WHERE u.day >= ?"
        " GROUP BY k.user_id ORDER BY SUM(u.credits) DESC, SUM(u.requests) DESC, k.user_id LIMIT ?"), {fromDay, qBound(1, limit, 1000)});
    QList<QPair<QString, UsageCounters>> users;
    while (q.next()) {
        users.append({q.value(0).toString(),
                      {q.value(1).toLongLong(), q.value(2).toLongLong(), q.value(3).toLongLong(), q.value(4).toLongLong(),
                       q.value(5).toLongLong(), q.value(6).toLongLong()}});
    }
    return users;
}

} // namespace tollgate
