#include "core/storage/CreditLeaseStore.h"

#include "core/storage/Sql.h"

#include <QSqlQuery>

#include <algorithm>
#include <tuple>

namespace tollgate {

namespace {

bool isPostgres(const QSqlDatabase &db)
{
    return sql::dialectOf(db) == sql::Dialect::Postgres;
}

QString dbNow(const QSqlDatabase &db)
{
    return sql::nowMsExpression(sql::dialectOf(db));
}

// Takes the period row's lock (SQLite: the transaction already holds the database's write lock).
void lockPeriod(QSqlDatabase &db, const QString &keyId, const QString &period)
{
    sql::exec(db, QStringLiteral("UPDATE credit_periods SET leased = leased WHERE key_id = ? AND period = ?"), {keyId, period});
}

// Moves up to `amount` of one lease back to the shared balance; the period row must be locked. Returns what moved.
qint64 shrinkLease(QSqlDatabase &db, const QString &keyId, const QString &period, const QString &instanceId, qint64 amount)
{
    const QVariant held = sql::scalar(db, QStringLiteral("SELECT amount FROM credit_leases WHERE key_id = ? AND period = ? AND instance_id = ?"),
                                      {keyId, period, instanceId});
    const qint64 moved = qMin(amount, held.isValid() ? held.toLongLong() : 0);
    if (moved <= 0)
        return 0;
    sql::exec(db, QStringLiteral("UPDATE credit_leases SET amount = amount - ? WHERE key_id = ? AND period = ? AND instance_id = ?"),
              {moved, keyId, period, instanceId});
    sql::exec(db, QStringLiteral("UPDATE credit_periods SET leased = leased - ? WHERE key_id = ? AND period = ?"), {moved, keyId, period});
    return moved;
}

} // namespace

CreditLeaseStore::Lease CreditLeaseStore::lease(QSqlDatabase &db, const QString &keyId, const QString &period,
                                                const QString &instanceId, qint64 cost, qint64 block, qint64 ttlMs, qint64 nowMs)
{
    Lease result;
    sql::retrying([&] {
        result = {};
        sql::Transaction tx(db);
        sql::exec(db, QStringLiteral("INSERT INTO credit_periods (key_id, period, credits_used, credits_granted, updated_at)"
                                     " SELECT id, ?, 0, 0, ? FROM api_keys WHERE id = ? ON CONFLICT (key_id, period) DO NOTHING"),
                  {period, nowMs, keyId});
        QSqlQuery q = sql::exec(db, QStringLiteral(
            "SELECT cp.credits_used, cp.credits_granted, cp.leased, COALESCE(k.monthly_credits, t.monthly_credits)"
            " FROM credit_periods cp JOIN api_keys k ON k.id = cp.key_id JOIN tiers t ON t.slug = k.tier"
            " WHERE cp.key_id = ? AND cp.period = ?%1").arg(isPostgres(db) ? QStringLiteral(" FOR UPDATE OF cp") : QString()),
            {keyId, period});
        if (!q.next())
            return;
        result.keyFound = true;
        const qint64 used = q.value(0).toLongLong(), granted = q.value(1).toLongLong(), leased = q.value(2).toLongLong();
        const qint64 allowance = q.value(3).toLongLong();
        q.finish();
        const qint64 free = allowance + granted - used - leased;
        result.dbFreeBase = granted - used - leased;
        if (free < cost || free <= 0) {
            tx.commit();
            return;
        }
        const qint64 instances = liveInstances(db);
        const qint64 amount = qMin(free, qMax(cost, qMin(block, free / instances)));
        // The guard repeats the check the lock made true: one atomic UPDATE … WHERE spendable >= n.
        QSqlQuery taken = sql::exec(db, QStringLiteral(
            "UPDATE credit_periods SET leased = leased + ?, updated_at = ?"
            " WHERE key_id = ? AND period = ? AND ? + credits_granted - credits_used - leased >= ?"),
            {amount, nowMs, keyId, period, allowance, amount});
        if (taken.numRowsAffected() != 1)
            return;
        sql::exec(db, QStringLiteral(
            "INSERT INTO credit_leases (key_id, period, instance_id, amount, expires_at) VALUES (?, ?, ?, ?, %1 + ?)"
            " ON CONFLICT (key_id, period, instance_id) DO UPDATE SET amount = credit_leases.amount + excluded.amount,"
            " expires_at = excluded.expires_at").arg(dbNow(db)),
            {keyId, period, instanceId, amount, ttlMs});
        tx.commit();
        result.granted = amount;
        result.dbFreeBase -= amount;
    });
    return result;
}

void CreditLeaseStore::consume(QSqlDatabase &db, const QString &keyId, const QString &period, const QString &instanceId, qint64 amount)
{
    shrinkLease(db, keyId, period, instanceId, amount);
}

void CreditLeaseStore::giveBack(QSqlDatabase &db, QList<LeaseReturn> returns, const QString &instanceId)
{
    std::sort(returns.begin(), returns.end(), [](const LeaseReturn &a, const LeaseReturn &b) {
        return std::tie(a.keyId, a.period) < std::tie(b.keyId, b.period);
    });
    sql::retrying([&] {
        sql::Transaction tx(db);
        for (const LeaseReturn &r : returns) {
            lockPeriod(db, r.keyId, r.period);
            shrinkLease(db, r.keyId, r.period, instanceId, r.amount);
        }
        tx.commit();
    });
}

QSet<QString> CreditLeaseStore::renew(QSqlDatabase &db, const QString &instanceId, qint64 startedAtMs, qint64 ttlMs)
{
    QSet<QString> present;
    sql::retrying([&] {
        present.clear();
        sql::Transaction tx(db);
        sql::exec(db, QStringLiteral(
            "INSERT INTO gateway_instances (id, started_at, heartbeat_at, expires_at) VALUES (?, ?, %1, %1 + ?)"
            " ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at").arg(dbNow(db)),
            {instanceId, startedAtMs, ttlMs});
        sql::exec(db, QStringLiteral("UPDATE credit_leases SET expires_at = %1 + ? WHERE instance_id = ? AND amount > 0").arg(dbNow(db)),
                  {ttlMs, instanceId});
        QSqlQuery q = sql::exec(db, QStringLiteral("SELECT key_id, period FROM credit_leases WHERE instance_id = ? AND amount > 0"), {instanceId});
        while (q.next())
            present.insert(q.value(0).toString() + QLatin1Char('\n') + q.value(1).toString());
        tx.commit();
    });
    return present;
}

qint64 CreditLeaseStore::reclaimExpired(QSqlDatabase &db)
{
    struct Row { QString keyId, period, instanceId; };
    QList<Row> rows;
    {
        QSqlQuery q = sql::exec(db, QStringLiteral("SELECT key_id, period, instance_id FROM credit_leases WHERE expires_at < %1"
                                                   " ORDER BY key_id, period, instance_id LIMIT 500").arg(dbNow(db)));
        while (q.next())
            rows.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
    }
    qint64 returned = 0;
    sql::retrying([&] {
        returned = 0;
        sql::Transaction tx(db);
        for (const Row &row : rows) {
            lockPeriod(db, row.keyId, row.period);
            // Still expired under the lock: a renewal that came in between wins.
            const QVariant amount = sql::scalar(db, QStringLiteral(
                "SELECT amount FROM credit_leases WHERE key_id = ? AND period = ? AND instance_id = ? AND expires_at < %1").arg(dbNow(db)),
                {row.keyId, row.period, row.instanceId});
            if (!amount.isValid())
                continue;
            sql::exec(db, QStringLiteral("DELETE FROM credit_leases WHERE key_id = ? AND period = ? AND instance_id = ?"),
                      {row.keyId, row.period, row.instanceId});
            if (amount.toLongLong() > 0)
                sql::exec(db, QStringLiteral("UPDATE credit_periods SET leased = leased - ? WHERE key_id = ? AND period = ?"),
                          {amount.toLongLong(), row.keyId, row.period});
            returned += amount.toLongLong();
        }
        sql::exec(db, QStringLiteral("DELETE FROM gateway_instances WHERE expires_at < %1 - 600000").arg(dbNow(db)));
        tx.commit();
    });
    return returned;
}

qint64 CreditLeaseStore::liveInstances(QSqlDatabase &db)
{
    const qint64 n = sql::scalar(db, QStringLiteral("SELECT COUNT(*) FROM gateway_instances WHERE expires_at > %1").arg(dbNow(db))).toLongLong();
    return qMax<qint64>(1, n);
}

void CreditLeaseStore::releaseAll(QSqlDatabase &db, const QString &instanceId)
{
    QList<LeaseReturn> all;
    {
        QSqlQuery q = sql::exec(db, QStringLiteral("SELECT key_id, period, amount FROM credit_leases WHERE instance_id = ? AND amount > 0"),
                                {instanceId});
        while (q.next())
            all.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()});
    }
    giveBack(db, all, instanceId);
    sql::exec(db, QStringLiteral("DELETE FROM gateway_instances WHERE id = ?"), {instanceId});
}

} // namespace tollgate
