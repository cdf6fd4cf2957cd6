#include "core/credits/CreditLeaser.h"

#include "core/storage/CreditLeaseStore.h"
#include "core/storage/StorageWorker.h"
#include "core/util/WhenDone.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QThread>

Q_LOGGING_CATEGORY(lcLeaser, "tollgate.core.credits.leaser")

namespace tollgate {

struct CreditLeaser::Shared
{
    CreditLedger *ledger = nullptr;
    QString instanceId;
    Options options;
    qint64 startedAtMs = 0;
    QElapsedTimer monotonic;
    // Monotonic ms until which our leases are certainly still ours: a renewal sent at t made the database
    // keep them until at least t + ttl; the margin covers the time the answer took to come back.
    std::atomic<qint64> validUntil{-1};
    std::atomic<qint64> lastRenewSent{-1000000};
    std::atomic<bool> renewing{false};
    std::atomic<bool> returning{false};
    std::atomic<bool> reclaiming{false};
    std::atomic<qint64> leases{0}, refusals{0}, returned{0}, reclaimed{0}, renewFailures{0};

    qint64 margin() const { return qMax<qint64>(250, qMin<qint64>(2000, options.ttlMs / 10)); }

    // On the storage thread.
    void renewOn(QSqlDatabase &db)
    {
        const qint64 sent = monotonic.elapsed();
        lastRenewSent.store(sent);
        const QSet<QString> present = CreditLeaseStore::renew(db, instanceId, startedAtMs, options.ttlMs);
        // Leases the database no longer has (reclaimed while we were away) are not ours to spend.
        ledger->dropLeasesNotIn(present);
        validUntil.store(sent + options.ttlMs - margin());
        if (!ledger->isLeaseValid()) {
            qCInfo(lcLeaser) << "credit leases renewed; drawing on them again";
            ledger->setLeaseValid(true);
        }
    }
};

CreditLeaser::CreditLeaser(StorageWorker *storage, CreditLedger *ledger, QString instanceId, Options options, QObject *parent)
    : QObject(parent), m_storage(storage), m_shared(std::make_shared<Shared>())
{
    m_shared->ledger = ledger;
    m_shared->instanceId = std::move(instanceId);
    m_shared->options = options;
    m_shared->startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_shared->monotonic.start();
    m_timer.setInterval(options.tickMs);
    connect(&m_timer, &QTimer::timeout, this, &CreditLeaser::tick);
}

CreditLeaser::~CreditLeaser() = default;

QString CreditLeaser::instanceId() const
{
    return m_shared->instanceId;
}

void CreditLeaser::start()
{
    // Until the first renewal has answered, nothing is drawn on (there is nothing yet anyway).
    m_shared->ledger->setLeaseValid(false);
    m_shared->ledger->setLeasing(true);
    qCInfo(lcLeaser) << "sharing credits through the database as instance" << m_shared->instanceId
                     << "(block" << m_shared->options.blockCredits << ", lease ttl" << m_shared->options.ttlMs << "ms)";
    m_timer.start();
    renew();
}

void CreditLeaser::stop()
{
    m_timer.stop();
}

void CreditLeaser::tick()
{
    const qint64 now = m_shared->monotonic.elapsed();
    if (m_shared->ledger->isLeaseValid() && now > m_shared->validUntil.load()) {
        qCWarning(lcLeaser) << "credit leases not renewed in time; not drawing on them until the database answers";
        m_shared->ledger->setLeaseValid(false);
    }
    if (now - m_shared->lastRenewSent.load() >= m_shared->options.ttlMs / 3)
        renew();
    returnIdle();
    const qint64 reclaimEvery = qBound(qint64(250), m_shared->options.ttlMs / 3, qint64(10000));
    if (now - m_lastReclaimMs >= reclaimEvery) {
        m_lastReclaimMs = now;
        reclaim();
    }
}

void CreditLeaser::renew()
{
    if (m_shared->renewing.exchange(true))
        return;
    m_shared->lastRenewSent.store(m_shared->monotonic.elapsed());
    whenDone(m_storage->run<void>([shared = m_shared](QSqlDatabase &db) { shared->renewOn(db); }), this,
             [shared = m_shared](QFuture<void> done) {
                 shared->renewing.store(false);
                 try {
                     done.waitForFinished();
                 } catch (const StorageError &error) {
                     if (shared->renewFailures.fetch_add(1) % 20 == 0)
                         qCWarning(lcLeaser) << "cannot renew credit leases:" << error.message();
                 }
             });
}

void CreditLeaser::returnIdle()
{
    if (m_shared->returning.load())
        return;
    const QList<LeaseReturn> returns = m_shared->ledger->takeIdleLeases(m_shared->options.idleMs);
    if (returns.isEmpty())
        return;
    m_shared->returning.store(true);
    whenDone(m_storage->run<void>([returns, id = m_shared->instanceId](QSqlDatabase &db) {
                 CreditLeaseStore::giveBack(db, returns, id);
             }),
             this, [shared = m_shared, returns](QFuture<void> done) {
                 shared->returning.store(false);
                 try {
                     done.waitForFinished();
                     qint64 sum = 0;
                     for (const LeaseReturn &r : returns)
                         sum += r.amount;
                     shared->returned.fetch_add(sum);
                     qCDebug(lcLeaser) << "gave back" << sum << "idle credits of" << returns.size() << "leases";
                 } catch (const StorageError &error) {
                     // Still leased in the database: hold them again and try later.
                     shared->ledger->giveBack(returns);
                     qCDebug(lcLeaser) << "cannot give back idle credits yet:" << error.message();
                 }
             });
}

void CreditLeaser::reclaim()
{
    if (m_shared->reclaiming.exchange(true))
        return;
    whenDone(m_storage->run<qint64>([](QSqlDatabase &db) { return CreditLeaseStore::reclaimExpired(db); }), this,
             [shared = m_shared](QFuture<qint64> done) {
                 shared->reclaiming.store(false);
                 try {
                     if (const qint64 n = done.result(); n > 0) {
                         shared->reclaimed.fetch_add(n);
                         qCInfo(lcLeaser) << "returned" << n << "credits of expired leases (an instance stopped renewing them)";
                     }
                 } catch (const StorageError &error) {
                     qCDebug(lcLeaser) << "cannot reclaim expired leases:" << error.message();
                 }
             });
}

QFuture<CreditReservation> CreditLeaser::reserve(const QString &keyId, qint64 cost)
{
    return m_storage->run<CreditReservation>([shared = m_shared, keyId, cost](QSqlDatabase &db) {
        CreditLedger &ledger = *shared->ledger;
        // A few rounds: what we lease may be taken by concurrent calls of this instance before we reserve.
        for (int round = 0; round < 4; ++round) {
            if (!ledger.isLeaseValid() || shared->monotonic.elapsed() > shared->validUntil.load())
                shared->renewOn(db);
            CreditReservation r = ledger.reserve(keyId, cost);
            if (r.status() != CreditReservation::Status::NeedsLease)
                return r;
            const QString period = ledger.currentPeriod();
            // A block, or a second of this key's demand here when that is more: a busy key then needs about one
            // lease a second rather than one per block (what is left over goes back once the key idles).
            const qint64 block = qMax(cost, qMax(shared->options.blockCredits, ledger.leaseDemand(keyId)));
            const CreditLeaseStore::Lease lease = CreditLeaseStore::lease(
                db, keyId, period, shared->instanceId, cost, block, shared->options.ttlMs, QDateTime::currentMSecsSinceEpoch());
            if (!lease.keyFound)
                return ledger.refusal(keyId, cost, CreditReservation::Status::UnknownKey);
            ledger.addLease(keyId, period, lease.granted, lease.dbFreeBase);
            if (lease.granted == 0) {
                // The shared balance cannot cover it; what we still hold might (released meanwhile).
                CreditReservation last = ledger.reserve(keyId, cost);
                if (last.ok())
                    return last;
                shared->refusals.fetch_add(1);
                return ledger.refusal(keyId, cost, CreditReservation::Status::Insufficient);
            }
            shared->leases.fetch_add(1);
        }
        shared->refusals.fetch_add(1);
        return ledger.refusal(keyId, cost, CreditReservation::Status::Insufficient);
    });
}

bool CreditLeaser::releaseAll(int timeoutMs)
{
    stop();
    QFuture<void> done = m_storage->run<void>([id = m_shared->instanceId, ledger = m_shared->ledger](QSqlDatabase &db) {
        ledger->setLeaseValid(false);
        CreditLeaseStore::releaseAll(db, id);
    });
    QDeadlineTimer deadline(timeoutMs);
    while (!done.isFinished() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (!done.isFinished())
            QThread::usleep(500);
    }
    if (!done.isFinished())
        return false;
    try {
        done.waitForFinished();
        return true;
    } catch (const StorageError &error) {
        qCWarning(lcLeaser) << "cannot give credit leases back; they return when they expire:" << error.message();
        return false;
    }
}

CreditLeaser::Stats CreditLeaser::stats() const
{
    return {m_shared->leases.load(), m_shared->refusals.load(), m_shared->returned.load(), m_shared->reclaimed.load(),
            m_shared->renewFailures.load()};
}

} // namespace tollgate
