#include "core/service/ChangeFeedWatcher.h"

#include "core/keys/KeyCache.h"
#include "core/storage/ChangeFeed.h"
#include "core/storage/StorageWorker.h"
#include "core/storage/TierStore.h"
#include "core/tiers/TierCatalog.h"
#include "core/util/WhenDone.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcChangeFeed, "tollgate.core.changefeed")

namespace tollgate {

namespace {
constexpr qint64 Overlap = 64;
constexpr qsizetype RememberedSeqs = 4096;
}

ChangeFeedWatcher::ChangeFeedWatcher(StorageWorker *storage, KeyCache *keys, TierCatalog *tiers, int pollIntervalMs,
                                     QObject *parent)
    : QObject(parent), m_storage(storage), m_keys(keys), m_tiers(tiers)
{
    m_timer.setInterval(pollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ChangeFeedWatcher::poll);
}

QFuture<qint64> ChangeFeedWatcher::latestSeq() const
{
    return m_storage->run<qint64>([](QSqlDatabase &db) { return ChangeFeed::latestSeq(db); });
}

void ChangeFeedWatcher::startFrom(qint64 seq)
{
    m_lastSeq.store(seq);
    m_started = true;
    m_timer.start();
}

void ChangeFeedWatcher::stop()
{
    m_started = false;
    m_timer.stop();
}

void ChangeFeedWatcher::pollNow()
{
    if (!m_started)
        return;
    if (m_polling.load()) {
        m_pollAgain = true;
        return;
    }
    poll();
}

QFuture<void> ChangeFeedWatcher::reloadTiers()
{
    return m_storage->run<QList<Tier>>([](QSqlDatabase &db) { return TierStore::list(db); })
        .then(QtFuture::Launch::Sync, [this](const QList<Tier> &tiers) {
            m_tiers->replaceAll(tiers);
            m_keys->reapplyAllowances();
        });
}

bool ChangeFeedWatcher::markApplied(qint64 seq)
{
    if (m_applied.contains(seq))
        return false;
    m_applied.insert(seq);
    m_appliedOrder.push_back(seq);
    if (qsizetype(m_appliedOrder.size()) > RememberedSeqs) {
        m_applied.remove(m_appliedOrder.front());
        m_appliedOrder.pop_front();
    }
    return true;
}

void ChangeFeedWatcher::poll()
{
    if (m_polling.exchange(true))
        return;
    const qint64 from = qMax<qint64>(0, m_lastSeq.load() - Overlap);
    whenDone(m_storage->run<QList<Change>>([from](QSqlDatabase &db) { return ChangeFeed::since(db, from, 2000); }),
             this, [this](QFuture<QList<Change>> done) {
                 m_polling.store(false);
                 if (done.isCanceled())
                     return;
                 try {
                     apply(done.result());
                 } catch (const StorageError &error) {
                     qCDebug(lcChangeFeed) << "change feed poll failed:" << error.message();
                 }
                 // A notification came while this poll ran: its row may have committed after our read.
                 if (m_pollAgain) {
                     m_pollAgain = false;
                     pollNow();
                 }
             });
}

void ChangeFeedWatcher::apply(const QList<Change> &changes)
{
    int applied = 0;
    bool tiersChanged = false;
    for (const Change &change : changes) {
        m_lastSeq.store(qMax(m_lastSeq.load(), change.seq));
        if (!markApplied(change.seq))
            continue;
        ++applied;
        if (change.entity == ChangeFeed::Tier)
            tiersChanged = true;
        else if (change.entity == ChangeFeed::AdminToken)
            m_adminTokenGeneration.fetch_add(1);
        else
            m_keys->refresh(change.entityId);
    }
    if (tiersChanged)
        reloadTiers();
    if (applied) {
        qCDebug(lcChangeFeed) << "applied" << applied << "changes up to" << m_lastSeq.load();
        Q_EMIT changesApplied(applied);
    }
}

} // namespace tollgate
