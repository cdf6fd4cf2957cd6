#pragma once

#include "core/credits/CreditLedger.h"
#include "core/storage/UsageStore.h"
#include "core/util/Clock.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace tollgate {

class StorageWorker;

struct UsageEvent
{
    QString keyId;
    QString endpoint;
    qint64 credits = 0;
    bool error = false;
    qint64 latencyMs = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 atMs = 0;  // 0 = now
    UsageOutcome outcome = UsageOutcome::None;  // counted in the row's outcome columns
};

// Aggregates usage per key, UTC day and endpoint in memory (record() is a hash update under a mutex,
// callable from any thread) and writes it behind, with the ledger's credit deltas, in one transaction
// per interval from the storage worker. A failed write puts everything back and is retried on the next
// tick, so a database outage loses nothing while memory stays bounded by maxPendingRows.
//
// The books stay exact: a charge reaches the write-behind only through recordCharge(), which settles
// the reservation and adds the usage row under the same mutex under which a flush swaps the rows out
// and takes the ledger's deltas. Every batch therefore holds a call's credits_used increment and its
// usage_daily credits together or neither, and a crash between any two commits leaves them equal.
class UsageRecorder : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int flushIntervalMs = 1000;
        qsizetype maxPendingRows = 1000000;
    };
    struct Stats
    {
        qsizetype pendingRows = 0;
        qint64 failedFlushes = 0;
        qint64 droppedEvents = 0;     // only when maxPendingRows was reached during an outage
        qint64 flushedBatches = 0;
        qint64 lastSuccessMs = 0;     // wall clock of the last successful write (0 = none yet)
        bool writing = true;          // false while the database refuses writes
    };

    UsageRecorder(StorageWorker *storage, CreditLedger *ledger, std::shared_ptr<const Clock> clock, Options options,
                  QObject *parent = nullptr);

    // Usage without a charge (refused, failed or free calls). event.credits is ignored: credits only
    // enter together with the settlement that charged them, through recordCharge().
    void record(const UsageEvent &event);
    // A call's charge and its usage as one hand-off: settles `reservation` at `cost` if it is still open
    // and records `event` carrying exactly the credits that settlement charged (event.credits is
    // ignored), both dated at one instant (the charge goes to that instant's UTC month, the row to its
    // UTC day). A charged row is never dropped for maxPendingRows. Returns the credits charged.
    qint64 recordCharge(const CreditReservation &reservation, qint64 cost, const UsageEvent &event);
    // Whose credit leases the charges came out of (CreditLeaser), written with each batch.
    void setInstanceId(const QString &instanceId) { m_instanceId = instanceId; }
    void start();
    void stop();
    // One write attempt of everything pending; true when written (or nothing to write).
    QFuture<bool> flush();
    // Shutdown: retries until written or the deadline passes. Blocks the caller; not for the event loop.
    bool flushAndWait(int timeoutMs);
    Stats stats() const;

Q_SIGNALS:
    void flushed(bool ok);

private:
    struct RowKey
    {
        QString keyId;
        QString day;
        QString endpoint;
        bool operator==(const RowKey &) const = default;
    };
    friend size_t qHash(const RowKey &key, size_t seed) { return qHashMulti(seed, key.keyId, key.day, key.endpoint); }

    // Adds one event's counters; with m_mutex held.
    void addLocked(const UsageEvent &event, qint64 atMs, qint64 credits);
    UsageBatch takeBatch();
    void restore(const UsageBatch &batch);

    StorageWorker *m_storage;
    CreditLedger *m_ledger;
    std::shared_ptr<const Clock> m_clock;
    Options m_options;
    QString m_instanceId;
    QTimer m_timer;

    // Guards the rows, and makes each recordCharge() and each batch cut atomic with respect to each
    // other. Order: m_mutex, then a ledger shard (the ledger never calls back).
    mutable QMutex m_mutex;
    QHash<RowKey, UsageCounters> m_rows;
    QHash<QString, qint64> m_lastUsed;
    std::atomic<bool> m_inFlight{false};
    std::atomic<qint64> m_failedFlushes{0};
    std::atomic<qint64> m_dropped{0};
    std::atomic<qint64> m_flushed{0};
    std::atomic<qint64> m_lastSuccessMs{0};
    std::atomic<bool> m_writing{true};
};

} // namespace tollgate
