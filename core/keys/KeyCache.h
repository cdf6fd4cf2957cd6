#pragma once

#include "core/keys/ApiKey.h"
#include "core/util/Clock.h"
#include "core/util/PromiseHome.h"

#include <QFuture>
#include <QPromise>
#include <QHash>
#include <QReadWriteLock>

#include <memory>

namespace tollgate {

class CreditLedger;
class StorageWorker;
class TierCatalog;

// API keys by SHA-256 hash, served from memory on the request path. A miss is looked up on the storage
// worker (concurrent misses for one hash share the lookup); an unknown hash is remembered as unknown for
// a short time so a flood of guesses does not reach the database. Loading a key also loads its credit
// period into the ledger. Thread-safe.
class KeyCache
{
public:
    struct Options
    {
        qint64 negativeTtlMs = 5000;
        qsizetype maxNegativeEntries = 100000;
    };

    KeyCache(StorageWorker *storage, TierCatalog *tiers, CreditLedger *ledger, std::shared_ptr<const Clock> clock,
             Options options);

    // Memory only. *known is false on a miss (or an expired negative entry); a null key with *known true
    // means "known not to exist".
    ApiKeyPtr cached(const QString &hash, bool *known) const;
    // A hit answers with a finished future; null = no such key.
    QFuture<ApiKeyPtr> lookup(const QString &hash);

    // The change feed said so: reload what the database now has for this key (and its credits).
    QFuture<void> refresh(const QString &keyId);
    // Tiers changed: effective credit allowances of every cached key follow.
    void reapplyAllowances();
    qsizetype size() const;
    // Where refresh() reads (the change feed's own connection, so a slow write-behind never delays a revocation).
    void setRefreshStorage(StorageWorker *storage) { m_refreshStorage = storage; }

private:
    struct Loaded
    {
        ApiKeyPtr key;
        QString period;
        qint64 used = 0;
        qint64 granted = 0;
        qint64 leased = 0;
    };
    struct Entry
    {
        ApiKeyPtr key;
        qint64 negativeUntilMs = 0;
    };
    struct Waiter
    {
        std::shared_ptr<QPromise<ApiKeyPtr>> promise;
        PromiseHome home; // finished in the requester's thread (see PromiseHome)
    };

    void store(const QString &hash, const Loaded &loaded);
    void install(const Loaded &loaded);
    void forgetKeyLocked(const QString &keyId);
    QList<Waiter> takeWaiters(const QString &hash);

    StorageWorker *m_storage;
    StorageWorker *m_refreshStorage = nullptr;
    TierCatalog *m_tiers;
    CreditLedger *m_ledger;
    std::shared_ptr<const Clock> m_clock;
    Options m_options;

    mutable QReadWriteLock m_lock;
    QHash<QString, Entry> m_byHash;
    QHash<QString, QStringList> m_hashesById;
    qsizetype m_negativeCount = 0;
    QHash<QString, QList<Waiter>> m_waiting;
};

} // namespace tollgate
