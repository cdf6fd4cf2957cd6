#pragma once

#include "core/credits/CreditLedger.h"
#include "core/util/Clock.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace tollgate {

class StorageWorker;

// Shares each key's credits with every other instance on the same database. The balance lives in the
// database; this instance leases small blocks of it into the ledger (CreditLedger::setLeasing) and spends
// only what it leased, so all instances together never spend more than the key has:
// - reserve(): the lease cannot cover a call → one storage job leases more (CreditLeaseStore::lease, an atomic
//   UPDATE … WHERE spendable >= n) and reserves there; the request path never waits for it synchronously.
// - blocks shrink as the balance gets low (an equal share among live instances, down to the call's cost);
// - unused lease credits of a key idle for `idleMs` go back (so nothing is stranded here for more than ~2 s);
// - a heartbeat renews this instance's leases; leases not renewed for `ttlMs` (a dead instance) are returned
//   by whichever instance reclaims next. Leases we could not renew in time are not drawn on until renewed.
class CreditLeaser : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qint64 blockCredits = 100;
        qint64 ttlMs = 30000;
        qint64 idleMs = 1000;
        int tickMs = 250;
    };
    struct Stats
    {
        qint64 leases = 0;          // lease transactions that added credits
        qint64 refusals = 0;        // the shared balance could not cover a call
        qint64 returnedCredits = 0; // given back idle
        qint64 reclaimedCredits = 0;// returned from expired leases (of any instance)
        qint64 renewFailures = 0;
    };

    CreditLeaser(StorageWorker *storage, CreditLedger *ledger, QString instanceId, Options options,
                 QObject *parent = nullptr);
    ~CreditLeaser() override;

    // Enables leasing in the ledger and starts heartbeats, idle returns and reclaims.
    void start();
    void stop();
    // Clean shutdown, after the usage write-behind is flushed: gives every lease back. Blocks (event loop spun).
    bool releaseAll(int timeoutMs);

    // For a reservation the ledger answered NeedsLease: leases more and reserves on the storage thread. The
    // future finishes there with Ok, Insufficient or UnknownKey (never NeedsLease); whoever gets an Ok one
    // must settle or release it.
    QFuture<CreditReservation> reserve(const QString &keyId, qint64 cost);

    QString instanceId() const;
    Stats stats() const;

private:
    struct Shared;
    void tick();
    void renew();
    void returnIdle();
    void reclaim();

    StorageWorker *m_storage;
    std::shared_ptr<Shared> m_shared;  // also held by storage jobs still queued
    QTimer m_timer;
    qint64 m_lastReclaimMs = 0;
};

} // namespace tollgate
