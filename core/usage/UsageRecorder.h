#pragma once

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

class CreditLedger;
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
};

// Aggregates usage per key, UTC day and endpoint in memory (record() is a hash update under a mutex,
// callable from any thread) and writes it behind, with the ledger's credit deltas, in one transaction
// per interval from the storage worker. A failed write puts everything back and is retried on the next
// tick, so a database outage loses nothing while memory stays bounded by maxPendingRows.
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

    void record(const UsageEvent &event);
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

    UsageBatch takeBatch();
    void restore(const UsageBatch &batch);

    StorageWorker *m_storage;
    CreditLedger *m_ledger;
    std::shared_ptr<const Clock> m_clock;
    Options m_options;
    QTimer m_timer;

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
