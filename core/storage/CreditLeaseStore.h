#pragma once

#include "core/credits/CreditLedger.h"

#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// SQL of shared credits: per key and period, credit_periods.leased is what all instances hold as leases,
// credit_leases one instance's part with its expiry (renewed by heartbeats), gateway_instances who is alive.
// Spendable = effective monthly credits + granted - used - leased; a lease is taken only while that stays
// ≥ 0, so instances together never spend more than the key has. Every transaction here locks the period row
// before any lease row, as UsageStore::apply does, and several rows in (key, period, instance) order.
class CreditLeaseStore
{
public:
    struct Lease
    {
        bool keyFound = false;
        qint64 granted = 0;     // credits added to our lease; 0 = the balance cannot cover `cost`
        qint64 dbFreeBase = 0;  // granted - used - leased afterwards (see CreditLedger::addLease)
    };
    // Leases at least `cost`, up to `block`, but no more than an equal share of what is left among the live
    // instances — so the last credits are split, not taken by the first to ask.
    static Lease lease(QSqlDatabase &db, const QString &keyId, const QString &period, const QString &instanceId,
                       qint64 cost, qint64 block, qint64 ttlMs, qint64 nowMs);
    // Inside UsageStore::apply, after the period row is locked: `amount` of our lease was spent.
    static void consume(QSqlDatabase &db, const QString &keyId, const QString &period, const QString &instanceId, qint64 amount);
    // Unused lease credits go back to the shared balance (one transaction; any order given).
    static void giveBack(QSqlDatabase &db, QList<LeaseReturn> returns, const QString &instanceId);
    // Heartbeat: this instance is alive, its leases live on. Returns "keyId\nperiod" of the leases it still has.
    static QSet<QString> renew(QSqlDatabase &db, const QString &instanceId, qint64 startedAtMs, qint64 ttlMs);
    // Leases whose instance stopped renewing them go back. Returns the credits returned.
    static qint64 reclaimExpired(QSqlDatabase &db);
    // Instances whose heartbeat has not expired (at least 1).
    static qint64 liveInstances(QSqlDatabase &db);
    // Leave: give back everything this instance holds (clean shutdown).
    static void releaseAll(QSqlDatabase &db, const QString &instanceId);
};

} // namespace tollgate
