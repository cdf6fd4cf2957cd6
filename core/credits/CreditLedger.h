#pragma once

#include "core/util/Clock.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QSet>
#include <QString>

#include <array>
#include <atomic>
#include <memory>
#include <utility>

namespace tollgate {

struct CreditBalance
{
    QString period;            // "YYYY-MM", UTC
    qint64 allowance = 0;      // effective monthly credits of the key
    qint64 granted = 0;
    qint64 used = 0;
    qint64 reserved = 0;       // in flight
    // Leasing (several instances on one database): credits this instance cannot see as spendable — what other
    // instances hold or spent since the last look. 0 without leasing.
    qint64 elsewhere = 0;
    qint64 remaining() const { return allowance + granted - used - reserved - elsewhere; }
};

// A change the database has not seen yet; used/granted are increments, not totals.
struct CreditDelta
{
    QString keyId;
    QString period;
    qint64 used = 0;
    qint64 granted = 0;
    qint64 fromLease = 0;  // the part of `used` that came out of this instance's lease (CreditLeaser)
};

// Credits of a lease that go back to the database (idle, forgotten key, past period, forfeited).
struct LeaseReturn
{
    QString keyId;
    QString period;
    qint64 amount = 0;
};

// Copyable handle on a hold. Copies share one "open" flag, so whichever copy is settled or
// released first wins and every later settle/release of any copy is a no-op.
class CreditReservation
{
public:
    // NeedsLease (leasing only): this instance's lease cannot cover the cost; CreditLeaser::reserve() leases more
    // from the database and answers asynchronously.
    enum class Status { None, Ok, Insufficient, UnknownKey, NeedsLease };

    CreditReservation() = default;

    bool ok() const { return m_status == Status::Ok; }
    Status status() const { return m_status; }
    quint64 id() const { return m_id; }
    QString keyId() const { return m_keyId; }
    // The credits held; for Insufficient, the credits that were asked for.
    qint64 amount() const { return m_amount; }
    // Remaining credits right after the reservation (or the refusal).
    qint64 remaining() const { return m_remaining; }
    // Still holding credits: ok and neither settled nor released.
    bool isOpen() const { return m_open && m_open->load(); }

private:
    friend class CreditLedger;
    quint64 m_id = 0;
    quint64 m_incarnation = 0; // which account entry holds the credits (a forgotten key may come back)
    QString m_keyId;
    qint64 m_amount = 0;
    qint64 m_remaining = 0;
    Status m_status = Status::None;
    std::shared_ptr<std::atomic_bool> m_open;
};

// The authoritative, in-memory credit balance of every loaded key. The database lags behind
// through takeDeltas()/restoreDeltas() (write-behind). Thread-safe; keys are sharded so
// requests for different keys rarely contend.
class CreditLedger
{
public:
    explicit CreditLedger(std::shared_ptr<const Clock> clock);
    CreditLedger(const CreditLedger &) = delete;
    CreditLedger &operator=(const CreditLedger &) = delete;

    static QString periodOf(qint64 msSinceEpoch); // "2026-11", UTC
    QString currentPeriod() const;

    // Key loaded or its tier/override changed. Creates the entry if needed.
    void setAllowance(const QString &keyId, qint64 monthlyCredits);
    // What the database says for the current period: used = dbUsed + unwritten used delta,
    // granted = dbGranted + unwritten granted delta. Ignored if `period` is not the current one.
    // Deltas already taken count as written, so call this with values read after the flush.
    // Creates the entry if needed (allowance 0 until setAllowance), so load order does not matter.
    // dbLeased (leasing; < 0 = not read): credits all instances hold as leases, for the remaining estimate.
    void syncFromStore(const QString &keyId, const QString &period, qint64 dbUsed, qint64 dbGranted, qint64 dbLeased = -1);
    bool knows(const QString &keyId) const;

    // Leasing: the balance lives in the database, shared by every instance; reservations draw only on
    // credits this instance leased (addLease) and anything beyond answers NeedsLease. Off: the ledger's own
    // allowance + granted - used is the balance (one process alone on its database).
    void setLeasing(bool on) { m_leasing.store(on); }
    bool isLeasing() const { return m_leasing.load(); }
    // While false (heartbeats lapsed, the database may have reclaimed our leases) nothing is drawn from a lease.
    void setLeaseValid(bool valid) { m_leaseValid.store(valid); }
    bool isLeaseValid() const { return m_leaseValid.load(); }
    // `amount` more credits leased for `period` (0 allowed: only the observation); dbFreeAfter = what the
    // database had left unleased afterwards, minus the allowance (granted - used - leased).
    void addLease(const QString &keyId, const QString &period, qint64 amount, qint64 dbFreeBase);
    // Leased credits not reserved, of keys not reserved from for idleMs (and everything queued to go back:
    // forgotten keys, past periods). They leave the ledger now; giveBack() if the database write fails.
    QList<LeaseReturn> takeIdleLeases(qint64 idleMs);
    void giveBack(const QList<LeaseReturn> &returns);
    // The database no longer has these leases of ours (reclaimed while we could not renew): forget them.
    // `present` holds "keyId\nperiod" of the lease rows the database still has for this instance.
    void dropLeasesNotIn(const QSet<QString> &present);
    // Charged here this month and not yet taken by the write-behind (so certainly not in the database yet).
    qint64 unwrittenUsed(const QString &keyId) const;
    // Credits this instance asked of the key's lease in about the last second (CreditLeaser sizes blocks by it).
    qint64 leaseDemand(const QString &keyId) const;
    // Leased credits held for a key now (reserved ones included); for tests and /admin/status.
    qint64 leaseHeld(const QString &keyId) const;

    // Unknown key → UnknownKey (even for cost 0). Cost 0 → always Ok (free endpoints keep working
    // after an STT overrun). Otherwise Insufficient if cost > remaining.
    CreditReservation reserve(const QString &keyId, qint64 cost);
    // A reservation that says no (Insufficient or UnknownKey), with the remaining estimate; for CreditLeaser.
    CreditReservation refusal(const QString &keyId, qint64 cost, CreditReservation::Status status) const;
    // Releases the hold and charges actualCost to the current period, even past zero (STT
    // duration is known only afterwards). Returns remaining. No-op if no longer open.
    // The gateway settles through UsageRecorder::recordCharge(), which hands the charge and its
    // usage row to the write-behind together; a bare settle() reaches credit_periods alone.
    qint64 settle(const CreditReservation &r, qint64 actualCost);
    struct Settlement
    {
        bool settled = false;   // false: the reservation was no longer open, nothing charged
        qint64 charged = 0;
        qint64 remaining = 0;
    };
    // settle() at a given instant: the charge belongs to periodOf(atMs), so a caller that dates a
    // usage row by the same instant puts both in the same UTC month, whatever the clock does meanwhile.
    // An instant before the key's current period (another call rolled it over first) is charged to
    // that earlier period, as an unwritten delta only.
    Settlement settleAt(const CreditReservation &r, qint64 actualCost, qint64 atMs);
    // Abort: nothing charged. No-op if no longer open.
    void release(const CreditReservation &r);
    // Adds credits (> 0; others ignored) to the current period; recorded for the write-behind
    // even if the key is not loaded.
    void grant(const QString &keyId, qint64 credits);

    // Unknown key → zeros for the current period.
    CreditBalance balance(const QString &keyId) const;
    // Loaded keys that have used at least `fraction` of this month's credits (allowance + granted > 0), as this
    // instance sees them: the metric behind "credits nearly exhausted on many keys".
    qsizetype countUsedAtLeast(double fraction) const;
    // Drops the key; its unwritten deltas stay queued for the write-behind.
    void forget(const QString &keyId);

    // used/granted changes since the last take, for the write-behind.
    QList<CreditDelta> takeDeltas();
    // The write failed: put them back (merging with newer deltas) so nothing is lost.
    void restoreDeltas(const QList<CreditDelta> &deltas);

private:
    struct Account
    {
        QString period;
        quint64 incarnation = 0;
        qint64 allowance = 0;
        qint64 storedUsed = 0;     // as of the last syncFromStore()
        qint64 storedGranted = 0;
        qint64 takenUsed = 0;      // taken by the write-behind since that sync
        qint64 takenGranted = 0;
        qint64 pendingUsed = 0;    // not yet taken
        qint64 pendingGranted = 0;
        qint64 reserved = 0;
        // Leasing: credits of our lease not yet spent or given back (reserved ones included); the part of the
        // used deltas that came out of it; what the database had unleased (granted - used - leased) at the
        // last look; the last time a reservation drew on the lease.
        qint64 held = 0;
        qint64 pendingFromLease = 0;
        qint64 dbFreeBase = 0;
        bool dbFreeKnown = false;
        qint64 lastLeaseUseMs = 0;
        // Credits asked of the lease per second (this one so far, the last whole one): a busy key leases a
        // second's worth at once instead of a block per round trip.
        qint64 demandWindowStartMs = 0;
        qint64 demandThisWindow = 0;
        qint64 demandLastWindow = 0;
        qint64 used() const { return storedUsed + takenUsed + pendingUsed; }
        qint64 granted() const { return storedGranted + takenGranted + pendingGranted; }
        qint64 remaining() const { return allowance + granted() - used() - reserved; }
    };
    using CarryKey = std::pair<QString, QString>; // keyId, period
    struct Carry { qint64 used = 0; qint64 granted = 0; qint64 fromLease = 0; };
    struct Shard
    {
        mutable QMutex mutex;
        QHash<QString, Account> accounts;
        // Unwritten deltas no account holds any more: a past period, a forgotten key.
        QMap<CarryKey, Carry> carry;
        // Lease credits to give back that no account holds any more.
        QMap<CarryKey, qint64> returns;
    };
    static constexpr int kShards = 16;

    Shard &shardFor(const QString &keyId) const;
    static void rollOver(Shard &shard, const QString &keyId, Account &account, const QString &period);
    Account &accountLocked(Shard &shard, const QString &keyId, const QString &period);
    Account *findLocked(Shard &shard, const QString &keyId, const QString &period) const;
    qint64 estimateLocked(const Account &account) const;
    static void countDemand(Account &account, qint64 cost, qint64 nowMs);

    std::shared_ptr<const Clock> m_clock;
    mutable std::array<Shard, kShards> m_shards;
    std::atomic<quint64> m_nextId{1};
    std::atomic<bool> m_leasing{false};
    std::atomic<bool> m_leaseValid{true};
};

} // namespace tollgate
