#include "core/credits/CreditLedger.h"

#include <limits>

#include <QDateTime>
#include <QMutexLocker>

namespace tollgate {

namespace {

// Process-wide, so a reservation can never match an entry of another ledger or an older
// incarnation of the same key.
std::atomic<quint64> g_nextIncarnation{1};

} // namespace

CreditLedger::CreditLedger(std::shared_ptr<const Clock> clock)
    : m_clock(clock ? std::move(clock) : Clock::system())
{
}

QString CreditLedger::periodOf(qint64 msSinceEpoch)
{
    // Every reservation and settlement asks: format once per UTC day and thread, not per call.
    thread_local qint64 cachedDay = std::numeric_limits<qint64>::min();
    thread_local QString cachedPeriod;
    const qint64 day = msSinceEpoch >= 0 ? msSinceEpoch / 86400000 : (msSinceEpoch - 86399999) / 86400000;
    if (day != cachedDay) {
        const QDate d = QDateTime::fromMSecsSinceEpoch(msSinceEpoch, QTimeZone::utc()).date();
        cachedPeriod = QStringLiteral("%1-%2").arg(d.year(), 4, 10, QLatin1Char('0')).arg(d.month(), 2, 10, QLatin1Char('0'));
        cachedDay = day;
    }
    return cachedPeriod;
}

QString CreditLedger::currentPeriod() const
{
    return periodOf(m_clock->nowMs());
}

CreditLedger::Shard &CreditLedger::shardFor(const QString &keyId) const
{
    return m_shards[qHash(keyId) % kShards];
}

// Lazily, on the first touch in a new month: no timer, and a key nobody uses costs nothing.
// Only forward: "YYYY-MM" sorts chronologically, and a clock stepping back must not wipe usage.
void CreditLedger::rollOver(Shard &shard, const QString &keyId, Account &a, const QString &period)
{
    if (a.period >= period)
        return;
    if (a.pendingUsed || a.pendingGranted) {
        Carry &c = shard.carry[{keyId, a.period}];
        c.used += a.pendingUsed;
        c.granted += a.pendingGranted;
        c.fromLease += a.pendingFromLease;
    }
    // The old month's lease is no use any more: it goes back to that month's row.
    const qint64 unreservedHeld = a.held - qMin(a.held, a.reserved);
    if (unreservedHeld > 0)
        shard.returns[{keyId, a.period}] += unreservedHeld;
    a.period = period;
    a.storedUsed = a.storedGranted = a.takenUsed = a.takenGranted = a.pendingUsed = a.pendingGranted = 0;
    a.held = a.pendingFromLease = a.dbFreeBase = 0;
    a.dbFreeKnown = false;
    // a.reserved stays: those calls are still running and settle into the new month.
}

CreditLedger::Account &CreditLedger::accountLocked(Shard &shard, const QString &keyId, const QString &period)
{
    auto it = shard.accounts.find(keyId);
    if (it == shard.accounts.end()) {
        Account a;
        a.period = period;
        a.incarnation = g_nextIncarnation.fetch_add(1, std::memory_order_relaxed);
        it = shard.accounts.insert(keyId, a);
    }
    rollOver(shard, keyId, *it, period);
    return *it;
}

CreditLedger::Account *CreditLedger::findLocked(Shard &shard, const QString &keyId, const QString &period) const
{
    auto it = shard.accounts.find(keyId);
    if (it == shard.accounts.end())
        return nullptr;
    rollOver(shard, keyId, *it, period);
    return &*it;
}

void CreditLedger::setAllowance(const QString &keyId, qint64 monthlyCredits)
{
    const QString period = currentPeriod();
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    accountLocked(s, keyId, period).allowance = qMax<qint64>(0, monthlyCredits);
}

void CreditLedger::syncFromStore(const QString &keyId, const QString &period, qint64 dbUsed, qint64 dbGranted, qint64 dbLeased)
{
    const QString now = currentPeriod();
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    Account &a = accountLocked(s, keyId, now);
    if (period != a.period)
        return;
    a.storedUsed = qMax<qint64>(0, dbUsed);
    a.storedGranted = qMax<qint64>(0, dbGranted);
    if (dbLeased >= 0) {
        a.dbFreeBase = dbGranted - dbUsed - dbLeased;
        a.dbFreeKnown = true;
    }
    // The store now holds whatever was taken and written; a failed write comes back via restoreDeltas().
    a.takenUsed = a.takenGranted = 0;
}

bool CreditLedger::knows(const QString &keyId) const
{
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    return s.accounts.contains(keyId);
}

CreditReservation CreditLedger::reserve(const QString &keyId, qint64 cost)
{
    cost = qMax<qint64>(0, cost);
    const QString period = currentPeriod();
    CreditReservation r;
    r.m_keyId = keyId;
    r.m_amount = cost;

    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    Account *a = findLocked(s, keyId, period);
    if (!a) {
        r.m_status = CreditReservation::Status::UnknownKey;
        return r;
    }
    const bool leasing = m_leasing.load();
    // Check and hold under one lock: two requests cannot both see the same last credits.
    if (leasing && cost > 0) {
        const qint64 now = m_clock->nowMs();
        countDemand(*a, cost, now);
        // Only what this instance leased is ours to hold; the rest of the balance is shared.
        if (!m_leaseValid.load() || cost > a->held - a->reserved) {
            r.m_status = CreditReservation::Status::NeedsLease;
            r.m_remaining = estimateLocked(*a);
            return r;
        }
        a->lastLeaseUseMs = now;
    } else if (!leasing && cost > 0 && cost > a->remaining()) {
        r.m_status = CreditReservation::Status::Insufficient;
        r.m_remaining = a->remaining();
        return r;
    }
    a->reserved += cost;
    r.m_status = CreditReservation::Status::Ok;
    r.m_remaining = leasing ? estimateLocked(*a) : a->remaining();
    r.m_incarnation = a->incarnation;
    r.m_id = m_nextId.fetch_add(1, std::memory_order_relaxed);
    r.m_open = std::make_shared<std::atomic_bool>(true);
    return r;
}

CreditReservation CreditLedger::refusal(const QString &keyId, qint64 cost, CreditReservation::Status status) const
{
    CreditReservation r;
    r.m_keyId = keyId;
    r.m_amount = qMax<qint64>(0, cost);
    r.m_status = status;
    r.m_remaining = status == CreditReservation::Status::Insufficient ? balance(keyId).remaining() : 0;
    return r;
}

qint64 CreditLedger::settle(const CreditReservation &r, qint64 actualCost)
{
    return settleAt(r, actualCost, m_clock->nowMs()).remaining;
}

CreditLedger::Settlement CreditLedger::settleAt(const CreditReservation &r, qint64 actualCost, qint64 atMs)
{
    if (!r.ok() || !r.m_open->exchange(false))
        return {false, 0, balance(r.keyId()).remaining()};

    actualCost = qMax<qint64>(0, actualCost);
    const QString period = periodOf(atMs);
    Shard &s = shardFor(r.keyId());
    QMutexLocker lock(&s.mutex);
    Account *a = findLocked(s, r.keyId(), period);
    if (!a) {
        // The key was forgotten mid-call; the upstream work still happened, so bill it.
        if (actualCost > 0)
            s.carry[{r.keyId(), period}].used += actualCost;
        return {true, actualCost, 0};
    }
    // A key forgotten and reloaded mid-call: the new entry never held these credits.
    if (a->incarnation == r.m_incarnation)
        a->reserved -= r.amount();
    if (a->period == period) {
        a->pendingUsed += actualCost;
        if (m_leasing.load()) {
            // Out of our lease as far as it reaches (the reserved part always does, unless the lease was
            // reclaimed); an STT overrun beyond it is charged to the shared balance directly.
            const qint64 fromLease = qBound<qint64>(0, actualCost, a->held - a->reserved);
            a->held -= fromLease;
            a->pendingFromLease += fromLease;
            a->dbFreeBase -= actualCost - fromLease;
        }
    } else if (actualCost > 0) {
        s.carry[{r.keyId(), period}].used += actualCost;  // dated before the month the account has moved on to
    }
    return {true, actualCost, m_leasing.load() ? estimateLocked(*a) : a->remaining()};
}

void CreditLedger::release(const CreditReservation &r)
{
    if (!r.ok() || !r.m_open->exchange(false))
        return;
    const QString period = currentPeriod();
    Shard &s = shardFor(r.keyId());
    QMutexLocker lock(&s.mutex);
    Account *a = findLocked(s, r.keyId(), period);
    if (a && a->incarnation == r.m_incarnation)
        a->reserved -= r.amount();
}

void CreditLedger::grant(const QString &keyId, qint64 credits)
{
    if (credits <= 0)
        return;
    const QString period = currentPeriod();
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    if (Account *a = findLocked(s, keyId, period))
        a->pendingGranted += credits;
    else
        s.carry[{keyId, period}].granted += credits;
}

CreditBalance CreditLedger::balance(const QString &keyId) const
{
    const QString period = currentPeriod();
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    const Account *a = findLocked(s, keyId, period);
    if (!a)
        return CreditBalance{period, 0, 0, 0, 0};
    CreditBalance b{a->period, a->allowance, a->granted(), a->used(), a->reserved};
    if (m_leasing.load())
        b.elsewhere = b.remaining() - estimateLocked(*a);
    return b;
}

qsizetype CreditLedger::countUsedAtLeast(double fraction) const
{
    const QString period = currentPeriod();
    qsizetype count = 0;
    for (Shard &s : m_shards) {
        QMutexLocker lock(&s.mutex);
        for (const Account &a : std::as_const(s.accounts)) {
            const qint64 total = a.allowance + a.granted();
            count += a.period == period && total > 0 && double(a.used()) >= fraction * double(total);
        }
    }
    return count;
}

void CreditLedger::forget(const QString &keyId)
{
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    const auto it = s.accounts.constFind(keyId);
    if (it == s.accounts.cend())
        return;
    if (it->pendingUsed || it->pendingGranted) {
        Carry &c = s.carry[{keyId, it->period}];
        c.used += it->pendingUsed;
        c.granted += it->pendingGranted;
        c.fromLease += it->pendingFromLease;
    }
    if (it->held > it->reserved)
        s.returns[{keyId, it->period}] += it->held - qMax<qint64>(0, it->reserved);
    s.accounts.erase(it);
}

QList<CreditDelta> CreditLedger::takeDeltas()
{
    QList<CreditDelta> out;
    for (Shard &s : m_shards) {
        QMutexLocker lock(&s.mutex);
        for (auto it = s.carry.cbegin(); it != s.carry.cend(); ++it)
            out.append(CreditDelta{it.key().first, it.key().second, it->used, it->granted, it->fromLease});
        s.carry.clear();
        for (auto it = s.accounts.begin(); it != s.accounts.end(); ++it) {
            Account &a = *it;
            if (!a.pendingUsed && !a.pendingGranted)
                continue;
            out.append(CreditDelta{it.key(), a.period, a.pendingUsed, a.pendingGranted, a.pendingFromLease});
            a.pendingFromLease = 0;
            // Still counted while the write runs, so the balance does not dip.
            a.takenUsed += a.pendingUsed;
            a.takenGranted += a.pendingGranted;
            a.pendingUsed = a.pendingGranted = 0;
        }
    }
    return out;
}

void CreditLedger::restoreDeltas(const QList<CreditDelta> &deltas)
{
    const QString period = currentPeriod();
    for (const CreditDelta &d : deltas) {
        if (!d.used && !d.granted)
            continue;
        Shard &s = shardFor(d.keyId);
        QMutexLocker lock(&s.mutex);
        Account *a = findLocked(s, d.keyId, period);
        if (a && a->period == d.period) {
            // Undo takeDeltas(): taken becomes pending again, the total stays the same. If a
            // syncFromStore() came in between, taken is already 0 and the store lacks it: add it back.
            a->takenUsed -= qMin(a->takenUsed, d.used);
            a->takenGranted -= qMin(a->takenGranted, d.granted);
            a->pendingUsed += d.used;
            a->pendingGranted += d.granted;
            a->pendingFromLease += d.fromLease;
        } else {
            Carry &c = s.carry[{d.keyId, d.period}];
            c.used += d.used;
            c.granted += d.granted;
            c.fromLease += d.fromLease;
        }
    }
}

qint64 CreditLedger::estimateLocked(const Account &a) const
{
    // What this instance could spend now: the database's unleased credits at the last look plus our lease.
    if (!a.dbFreeKnown)
        return a.remaining();
    return a.allowance + a.dbFreeBase + a.held - a.reserved;
}

void CreditLedger::countDemand(Account &a, qint64 cost, qint64 nowMs)
{
    if (nowMs - a.demandWindowStartMs >= 1000) {
        a.demandLastWindow = nowMs - a.demandWindowStartMs < 2000 ? a.demandThisWindow : 0;
        a.demandThisWindow = 0;
        a.demandWindowStartMs = nowMs;
    }
    a.demandThisWindow += cost;
}

qint64 CreditLedger::unwrittenUsed(const QString &keyId) const
{
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    const Account *a = findLocked(s, keyId, currentPeriod());
    return a ? a->pendingUsed : 0;
}

qint64 CreditLedger::leaseDemand(const QString &keyId) const
{
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    const auto it = s.accounts.constFind(keyId);
    return it == s.accounts.cend() ? 0 : qMax(it->demandLastWindow, it->demandThisWindow);
}

void CreditLedger::addLease(const QString &keyId, const QString &period, qint64 amount, qint64 dbFreeBase)
{
    amount = qMax<qint64>(0, amount);
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    Account *a = findLocked(s, keyId, currentPeriod());
    if (!a || a->period != period) {
        // Forgotten, or the month turned while the lease was taken: it goes straight back.
        if (amount > 0)
            s.returns[{keyId, period}] += amount;
        return;
    }
    a->held += amount;
    a->dbFreeBase = dbFreeBase;
    a->dbFreeKnown = true;
    a->lastLeaseUseMs = m_clock->nowMs();
}

QList<LeaseReturn> CreditLedger::takeIdleLeases(qint64 idleMs)
{
    QList<LeaseReturn> out;
    const qint64 now = m_clock->nowMs();
    const QString period = currentPeriod();
    for (Shard &s : m_shards) {
        QMutexLocker lock(&s.mutex);
        for (auto it = s.returns.cbegin(); it != s.returns.cend(); ++it) {
            if (*it > 0)
                out.append({it.key().first, it.key().second, *it});
        }
        s.returns.clear();
        for (auto it = s.accounts.begin(); it != s.accounts.end(); ++it) {
            rollOver(s, it.key(), *it, period);
            Account &a = *it;
            const qint64 unreserved = a.held - qMax<qint64>(0, a.reserved);
            if (unreserved <= 0 || now - a.lastLeaseUseMs < idleMs)
                continue;
            a.held -= unreserved;
            a.dbFreeBase += unreserved;  // back in the shared balance
            out.append({it.key(), a.period, unreserved});
        }
        // rollOver() above may have queued the old month's lease.
        for (auto it = s.returns.cbegin(); it != s.returns.cend(); ++it) {
            if (*it > 0)
                out.append({it.key().first, it.key().second, *it});
        }
        s.returns.clear();
    }
    return out;
}

void CreditLedger::giveBack(const QList<LeaseReturn> &returns)
{
    for (const LeaseReturn &r : returns) {
        Shard &s = shardFor(r.keyId);
        QMutexLocker lock(&s.mutex);
        Account *a = findLocked(s, r.keyId, currentPeriod());
        if (a && a->period == r.period) {
            a->held += r.amount;
            a->dbFreeBase -= r.amount;
        } else {
            s.returns[{r.keyId, r.period}] += r.amount;
        }
    }
}

void CreditLedger::dropLeasesNotIn(const QSet<QString> &present)
{
    for (Shard &s : m_shards) {
        QMutexLocker lock(&s.mutex);
        for (auto it = s.accounts.begin(); it != s.accounts.end(); ++it) {
            if (it->held > 0 && !present.contains(it.key() + QLatin1Char('\n') + it->period))
                it->held = 0;
        }
    }
}

qint64 CreditLedger::leaseHeld(const QString &keyId) const
{
    Shard &s = shardFor(keyId);
    QMutexLocker lock(&s.mutex);
    const auto it = s.accounts.constFind(keyId);
    return it == s.accounts.cend() ? 0 : it->held;
}

} // namespace tollgate
