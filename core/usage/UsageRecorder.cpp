#include "core/usage/UsageRecorder.h"

#include "core/credits/CreditLedger.h"
#include "core/storage/StorageWorker.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QThread>

#include <limits>

Q_LOGGING_CATEGORY(lcUsage, "tollgate.core.usage")

namespace tollgate {

UsageRecorder::UsageRecorder(StorageWorker *storage, CreditLedger *ledger, std::shared_ptr<const Clock> clock,
                             Options options, QObject *parent)
    : QObject(parent), m_storage(storage), m_ledger(ledger), m_clock(std::move(clock)), m_options(options)
{
    m_timer.setInterval(m_options.flushIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_inFlight.load())
            flush();
    });
}

void UsageRecorder::start()
{
    m_timer.start();
}

void UsageRecorder::stop()
{
    m_timer.stop();
}

namespace {

// "2026-11-22" for a UTC instant; formatted once a day per thread, since every request asks.
QString utcDay(qint64 ms)
{
    thread_local qint64 cachedDay = std::numeric_limits<qint64>::min();
    thread_local QString cachedText;
    const qint64 day = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
    if (day != cachedDay) {
        cachedDay = day;
        cachedText = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).date().toString(Qt::ISODate);
    }
    return cachedText;
}

} // namespace

void UsageRecorder::record(const UsageEvent &event)
{
    const qint64 at = event.atMs ? event.atMs : m_clock->nowMs();
    QMutexLocker locker(&m_mutex);
    addLocked(event, at, 0);
}

qint64 UsageRecorder::recordCharge(const CreditReservation &reservation, qint64 cost, const UsageEvent &event)
{
    // One instant for both: the charge's UTC month is the month of the row's UTC day, even across midnight
    // on the last day of a month.
    const qint64 at = event.atMs ? event.atMs : m_clock->nowMs();
    QMutexLocker locker(&m_mutex);
    // Under m_mutex: takeBatch() cannot cut between the ledger's used delta and the row that matches it.
    const qint64 charged = reservation.isOpen() ? m_ledger->settleAt(reservation, cost, at).charged : 0;
    addLocked(event, at, charged);
    return charged;
}

void UsageRecorder::addLocked(const UsageEvent &event, qint64 at, qint64 credits)
{
    const RowKey key{event.keyId, utcDay(at), event.endpoint};
    UsageCounters counters{1, credits, event.error ? 1 : 0, event.latencyMs, event.bytesIn, event.bytesOut};
    counters.count(event.outcome);
    auto it = m_rows.find(key);
    if (it == m_rows.end()) {
        // A charged row is kept whatever the bound: its credits are in the ledger's delta already, and
        // the number of charged rows is bounded by keys × days × endpoints anyway.
        if (m_rows.size() >= m_options.maxPendingRows && credits == 0) {
            // Only reachable during a long outage with very many distinct keys: count it, say it, go on serving.
            if (m_dropped.fetch_add(1) == 0)
                qCCritical(lcUsage) << "usage buffer full (" << m_rows.size() << "rows); dropping usage until the database is back";
            return;
        }
        it = m_rows.insert(key, {});
    }
    *it += counters;
    qint64 &lastUsed = m_lastUsed[event.keyId];
    lastUsed = qMax(lastUsed, at);
}

UsageBatch UsageRecorder::takeBatch()
{
    UsageBatch batch;
    QHash<RowKey, UsageCounters> rows;
    {
        // One cut for rows and deltas: a recordCharge() is wholly before it or wholly after it.
        QMutexLocker locker(&m_mutex);
        rows.swap(m_rows);
        batch.lastUsedMs.swap(m_lastUsed);
        batch.credits = m_ledger->takeDeltas();
    }
    batch.instanceId = m_instanceId;
    batch.rows.reserve(rows.size());
    for (auto it = rows.constBegin(); it != rows.constEnd(); ++it)
        batch.rows.append({it.key().keyId, it.key().day, it.key().endpoint, it.value()});
    return batch;
}

void UsageRecorder::restore(const UsageBatch &batch)
{
    QMutexLocker locker(&m_mutex);
    m_ledger->restoreDeltas(batch.credits);
    // Restored rows are never dropped: they were already counted once, and the bound only stops growth.
    for (const UsageRow &row : batch.rows)
        m_rows[RowKey{row.keyId, row.day, row.endpoint}] += row.counters;
    for (auto it = batch.lastUsedMs.constBegin(); it != batch.lastUsedMs.constEnd(); ++it) {
        qint64 &lastUsed = m_lastUsed[it.key()];
        lastUsed = qMax(lastUsed, it.value());
    }
}

QFuture<bool> UsageRecorder::flush()
{
    if (m_inFlight.exchange(true))
        return QtFuture::makeReadyFuture(false);
    const UsageBatch batch = takeBatch();
    if (batch.isEmpty()) {
        m_inFlight.store(false);
        m_lastSuccessMs.store(m_clock->nowMs());
        return QtFuture::makeReadyFuture(true);
    }
    const qint64 now = m_clock->nowMs();
    return m_storage->run<void>([batch, now](QSqlDatabase &db) { UsageStore::apply(db, batch, now); })
        .then(QtFuture::Launch::Sync, [this, now] {
            m_flushed.fetch_add(1);
            m_lastSuccessMs.store(now);
            if (!m_writing.exchange(true))
                qCInfo(lcUsage) << "usage writes resumed";
            m_inFlight.store(false);
            QMetaObject::invokeMethod(this, [this] { Q_EMIT flushed(true); }, Qt::QueuedConnection);
            return true;
        })
        .onFailed([this, batch](const StorageError &error) {
            restore(batch);
            m_failedFlushes.fetch_add(1);
            if (m_writing.exchange(false))
                qCWarning(lcUsage) << "cannot write usage, keeping it in memory and retrying:" << error.message();
            m_inFlight.store(false);
            QMetaObject::invokeMethod(this, [this] { Q_EMIT flushed(false); }, Qt::QueuedConnection);
            return false;
        });
}

bool UsageRecorder::flushAndWait(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        QFuture<bool> attempt = flush();
        // Not waitForFinished(): in a thread that takes its storage results through its event loop
        // (PromiseHome) the result arrives as an event.
        while (!attempt.isFinished()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            if (!attempt.isFinished())
                QThread::usleep(500);
        }
        if (attempt.result() && stats().pendingRows == 0)
            return true;
        if (deadline.hasExpired())
            return false;
        QThread::msleep(qMin<qint64>(200, qMax<qint64>(1, deadline.remainingTime())));
    }
}

UsageRecorder::Stats UsageRecorder::stats() const
{
    Stats s;
    {
        QMutexLocker locker(&m_mutex);
        s.pendingRows = m_rows.size();
    }
    s.failedFlushes = m_failedFlushes.load();
    s.droppedEvents = m_dropped.load();
    s.flushedBatches = m_flushed.load();
    s.lastSuccessMs = m_lastSuccessMs.load();
    s.writing = m_writing.load();
    return s;
}

} // namespace tollgate
