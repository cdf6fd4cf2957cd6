#include "core/storage/UsageStore.h"

#include "core/storage/CreditLeaseStore.h"
#include "core/storage/EventOutbox.h"
#include "core/storage/Sql.h"

#include <algorithm>
#include <tuple>

#include <QJsonObject>
#include <QSqlQuery>

namespace tollgate {

namespace {

// The counters of usage_daily in UsageCounters' order, plain (for one key) or summed.
const QString CounterColumns = QStringLiteral(
    "requests, credits, errors, latency_ms_sum, bytes_in, bytes_out, outcome_ok, outcome_upstream_error,"
    " outcome_rate_limited, outcome_insufficient_credits, outcome_forbidden, outcome_client_error, outcome_client_closed");
constexpr int CounterCount = 13;

QString summedCounters(const QString &table = {})
{
    QStringList out;
    for (const QString &column : CounterColumns.split(QLatin1Char(',')))
        out << QStringLiteral("SUM(%1%2)").arg(table.isEmpty() ? QString() : table + QLatin1Char('.'), column.trimmed());
    return out.join(QStringLiteral(", "));
}

UsageCounters countersAt(const QSqlQuery &q, int first)
{
    qint64 v[CounterCount];
    for (int i = 0; i < CounterCount; ++i)
        v[i] = q.value(first + i).toLongLong();
    return UsageCounters{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
}

// The credits.threshold events (80 % and 100 % of the key's monthly credits plus this period's grants), each once per
// key and period over all instances (EventOutbox::appendThresholdOnce). Read inside the flush's transaction, after
// credits_used was raised: the row is locked, so the value is this instance's and every earlier flush's sum.
void recordThresholdsCrossed(QSqlDatabase &db, const QString &keyId, const QString &period, qint64 nowMs)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT cp.credits_used, cp.credits_granted, COALESCE(k.monthly_credits, t.monthly_credits), k.user_id, k.tier"
        " FROM credit_periods cp JOIN api_keys k ON k.id = cp.key_id JOIN tiers t ON t.slug = k.tier"
        " WHERE cp.key_id = ? AND cp.period = ?"), {keyId, period});
    if (!q.next())
        return;
    const qint64 used = q.value(0).toLongLong();
    const qint64 limit = q.value(2).toLongLong() + q.value(1).toLongLong();
    if (limit <= 0)
        return;
    for (const int threshold : {80, 100}) {
        if (used * 100 < limit * threshold)
            break;
        const QJsonObject data{{QStringLiteral("keyId"), keyId},
                               {QStringLiteral("userId"), q.value(3).toString()},
                               {QStringLiteral("tier"), q.value(4).toString()},
                               {QStringLiteral("period"), period},
                               {QStringLiteral("threshold"), threshold},
                               {QStringLiteral("creditsUsed"), used},
                               {QStringLiteral("creditsLimit"), limit}};
        EventOutbox::appendThresholdOnce(db, keyId, period, threshold, data, nowMs);
    }
}

} // namespace

void UsageCounters::count(UsageOutcome outcome)
{
    switch (outcome) {
    case UsageOutcome::None: break;
    case UsageOutcome::Ok: ++ok; break;
    case UsageOutcome::UpstreamError: ++upstreamError; break;
    case UsageOutcome::RateLimited: ++rateLimited; break;
    case UsageOutcome::InsufficientCredits: ++insufficientCredits; break;
    case UsageOutcome::Forbidden: ++forbidden; break;
    case UsageOutcome::ClientError: ++clientError; break;
    case UsageOutcome::ClientClosed: ++clientClosed; break;
    }
}

UsageCounters &UsageCounters::operator+=(const UsageCounters &other)
{
    requests += other.requests;
    credits += other.credits;
    errors += other.errors;
    latencyMsSum += other.latencyMsSum;
    bytesIn += other.bytesIn;
    bytesOut += other.bytesOut;
    ok += other.ok;
    upstreamError += other.upstreamError;
    rateLimited += other.rateLimited;
    insufficientCredits += other.insufficientCredits;
    forbidden += other.forbidden;
    clientError += other.clientError;
    clientClosed += other.clientClosed;
    return *this;
}

void UsageStore::apply(QSqlDatabase &db, const UsageBatch &batch, qint64 nowMs)
{
    QList<UsageRow> rows = batch.rows;
    std::sort(rows.begin(), rows.end(), [](const UsageRow &a, const UsageRow &b) {
        return std::tie(a.keyId, a.day, a.endpoint) < std::tie(b.keyId, b.day, b.endpoint);
    });
    QList<CreditDelta> credits = batch.credits;
    std::sort(credits.begin(), credits.end(), [](const CreditDelta &a, const CreditDelta &b) {
        return std::tie(a.keyId, a.period) < std::tie(b.keyId, b.period);
    });
    QList<QPair<QString, qint64>> lastUsed;
    for (auto it = batch.lastUsedMs.constBegin(); it != batch.lastUsedMs.constEnd(); ++it)
        lastUsed.append({it.key(), it.value()});
    std::sort(lastUsed.begin(), lastUsed.end());
    sql::retrying([&] { applySorted(db, rows, credits, lastUsed, batch.instanceId, nowMs); });
}

void UsageStore::applySorted(QSqlDatabase &db, const QList<UsageRow> &rows, const QList<CreditDelta> &credits,
                             const QList<QPair<QString, qint64>> &lastUsed, const QString &instanceId, qint64 nowMs)
{
    sql::Transaction tx(db);
    for (const UsageRow &row : rows) {
        const UsageCounters &c = row.counters;
        sql::exec(db, QStringLiteral(
            "INSERT INTO usage_daily (key_id, day, endpoint, %1)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id, day, endpoint) DO UPDATE SET"
            " requests = usage_daily.requests + excluded.requests, credits = usage_daily.credits + excluded.credits,"
            " errors = usage_daily.errors + excluded.errors, latency_ms_sum = usage_daily.latency_ms_sum + excluded.latency_ms_sum,"
            " bytes_in = usage_daily.bytes_in + excluded.bytes_in, bytes_out = usage_daily.bytes_out + excluded.bytes_out,"
            " outcome_ok = usage_daily.outcome_ok + excluded.outcome_ok,"
            " outcome_upstream_error = usage_daily.outcome_upstream_error + excluded.outcome_upstream_error,"
            " outcome_rate_limited = usage_daily.outcome_rate_limited + excluded.outcome_rate_limited,"
            " outcome_insufficient_credits = usage_daily.outcome_insufficient_credits + excluded.outcome_insufficient_credits,"
            " outcome_forbidden = usage_daily.outcome_forbidden + excluded.outcome_forbidden,"
            " outcome_client_error = usage_daily.outcome_client_error + excluded.outcome_client_error,"
            " outcome_client_closed = usage_daily.outcome_client_closed + excluded.outcome_client_closed").arg(CounterColumns),
            {row.keyId, row.day, row.endpoint, c.requests, c.credits, c.errors, c.latencyMsSum, c.bytesIn, c.bytesOut,
             c.ok, c.upstreamError, c.rateLimited, c.insufficientCredits, c.forbidden, c.clientError, c.clientClosed});
    }
    for (const CreditDelta &delta : credits) {
        // Locks the period row first, as leasing and reclaiming do (CreditLeaseStore).
        sql::exec(db, QStringLiteral(
            "INSERT INTO credit_periods (key_id, period, credits_used, credits_granted, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (key_id, period) DO UPDATE SET credits_used = credit_periods.credits_used + excluded.credits_used,"
            " credits_granted = credit_periods.credits_granted + excluded.credits_granted, updated_at = excluded.updated_at"),
            {delta.keyId, delta.period, delta.used, delta.granted, nowMs});
        // What was spent out of our lease leaves it: the lease shrinks, and the period's leased total with it.
        // A lease reclaimed meanwhile (we were cut off past its expiry) has nothing left to shrink.
        if (delta.fromLease > 0 && !instanceId.isEmpty())
            CreditLeaseStore::consume(db, delta.keyId, delta.period, instanceId, delta.fromLease);
    }
    // After every period row of the batch is locked: whoever holds a key's period row is the only one that can
    // write its threshold rows, so instances never wait on each other here in another order.
    for (const CreditDelta &delta : credits) {
        if (delta.used > 0)
            recordThresholdsCrossed(db, delta.keyId, delta.period, nowMs);
    }
    for (const auto &[keyId, atMs] : lastUsed) {
        sql::exec(db, QStringLiteral("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)"),
                  {atMs, keyId, atMs});
    }
    tx.commit();
}

QList<UsageRow> UsageStore::forKey(QSqlDatabase &db, const QString &keyId, const QString &fromDay)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT day, endpoint, %1 FROM usage_daily WHERE key_id = ? AND day >= ? ORDER BY day, endpoint").arg(CounterColumns),
        {keyId, fromDay});
    QList<UsageRow> rows;
    while (q.next())
        rows.append({keyId, q.value(0).toString(), q.value(1).toString(), countersAt(q, 2)});
    return rows;
}

QList<UsageRow> UsageStore::system(QSqlDatabase &db, const QString &fromDay)
{
    return daily(db, fromDay, {}, {});
}

QList<UsageRow> UsageStore::daily(QSqlDatabase &db, const QString &fromDay, const QString &keyId, const QString &endpoint)
{
    QString where = QStringLiteral("day >= ?");
    QVariantList values{fromDay};
    if (!keyId.isEmpty()) {
        where += QStringLiteral(" AND key_id = ?");
        values << keyId;
    }
    if (!endpoint.isEmpty()) {
        where += QStringLiteral(" AND endpoint = ?");
        values << endpoint;
    }
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT day, endpoint, %1 FROM usage_daily WHERE %2 GROUP BY day, endpoint ORDER BY day, endpoint")
                                    .arg(summedCounters(), where), values);
    QList<UsageRow> rows;
    while (q.next())
        rows.append({keyId, q.value(0).toString(), q.value(1).toString(), countersAt(q, 2)});
    return rows;
}

QList<QPair<QString, UsageCounters>> UsageStore::topUsers(QSqlDatabase &db, const QString &fromDay, int limit)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT k.user_id, %1 FROM usage_daily u JOIN api_keys k ON k.id = u.key_id WHERE u.day >= ?"
        " GROUP BY k.user_id ORDER BY SUM(u.credits) DESC, SUM(u.requests) DESC, k.user_id LIMIT ?").arg(summedCounters(QStringLiteral("u"))),
        {fromDay, qBound(1, limit, 1000)});
    QList<QPair<QString, UsageCounters>> users;
    while (q.next())
        users.append({q.value(0).toString(), countersAt(q, 1)});
    return users;
}

QList<KeyUsage> UsageStore::topKeys(QSqlDatabase &db, const QString &fromDay, int limit)
{
    QSqlQuery q = sql::exec(db, QStringLiteral(
        "SELECT u.key_id, k.name, k.user_id, k.tier, %1 FROM usage_daily u JOIN api_keys k ON k.id = u.key_id WHERE u.day >= ?"
        " GROUP BY u.key_id, k.name, k.user_id, k.tier ORDER BY SUM(u.credits) DESC, SUM(u.requests) DESC, u.key_id LIMIT ?")
                                    .arg(summedCounters(QStringLiteral("u"))),
        {fromDay, qBound(1, limit, 1000)});
    QList<KeyUsage> keys;
    while (q.next())
        keys.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(), countersAt(q, 4)});
    return keys;
}

} // namespace tollgate
