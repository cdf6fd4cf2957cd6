#pragma once

#include <QFuture>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <atomic>
#include <deque>

namespace tollgate {

struct Change;
class KeyCache;
class StorageWorker;
class TierCatalog;

// Polls the change feed and applies what other processes changed (keys, credits, tiers, admin tokens), so a
// key revoked by the CLI or another instance is refused here within one poll interval plus a reload. With
// PostgreSQL a ChangeListener announces each change as it commits and the watcher polls at once (pollNow), so
// changes apply in well under a second; the timer stays as the fallback. Give it a storage worker of its own
// (GatewayCore does), so a slow write-behind transaction never holds up a revocation.
class ChangeFeedWatcher : public QObject
{
    Q_OBJECT

public:
    ChangeFeedWatcher(StorageWorker *storage, KeyCache *keys, TierCatalog *tiers, int pollIntervalMs,
                      QObject *parent = nullptr);

    // The feed's current end. Start from it: what happened before is already in what we load.
    QFuture<qint64> latestSeq() const;
    void startFrom(qint64 seq);
    void stop();
    // Loads every tier into the catalog now.
    QFuture<void> reloadTiers();
    qint64 lastSeq() const { return m_lastSeq.load(); }
    // Poll now (a notification came): coalesced with a poll already running.
    void pollNow();
    // Bumped whenever an admin token changed anywhere: cached admin tokens older than it are checked again.
    quint64 adminTokenGeneration() const { return m_adminTokenGeneration.load(); }

Q_SIGNALS:
    void changesApplied(int count);

private:
    void poll();
    void apply(const QList<Change> &changes);
    bool markApplied(qint64 seq);

    StorageWorker *m_storage;
    KeyCache *m_keys;
    TierCatalog *m_tiers;
    QTimer m_timer;
    std::atomic<qint64> m_lastSeq{0};
    std::atomic<bool> m_polling{false};
    bool m_pollAgain = false;
    bool m_started = false;
    std::atomic<quint64> m_adminTokenGeneration{0};
    // PostgreSQL sequences are handed out before commit, so a lower seq can become visible after a higher
    // one. Each poll re-reads a small overlap below the highest seq seen and skips what it already applied.
    QSet<qint64> m_applied;
    std::deque<qint64> m_appliedOrder;
};

} // namespace tollgate
