#include "core/keys/KeyCache.h"

#include "core/credits/CreditLedger.h"
#include "core/storage/KeyStore.h"
#include "core/storage/StorageWorker.h"
#include "core/tiers/TierCatalog.h"

#include <QLoggingCategory>
#include <QPromise>

Q_LOGGING_CATEGORY(lcKeyCache, "tollgate.core.keycache")

namespace tollgate {

KeyCache::KeyCache(StorageWorker *storage, TierCatalog *tiers, CreditLedger *ledger, std::shared_ptr<const Clock> clock,
                   Options options)
    : m_storage(storage), m_tiers(tiers), m_ledger(ledger), m_clock(std::move(clock)), m_options(options)
{
}

ApiKeyPtr KeyCache::cached(const QString &hash, bool *known) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_byHash.constFind(hash);
    if (it == m_byHash.constEnd() || (!it->key && it->negativeUntilMs <= m_clock->nowMs())) {
        *known = false;
        return {};
    }
    *known = true;
    return it->key;
}

QFuture<ApiKeyPtr> KeyCache::lookup(const QString &hash)
{
    bool known = false;
    if (ApiKeyPtr key = cached(hash, &known); known)
        return QtFuture::makeReadyFuture(key);

    // Every caller gets its own future: a Qt 6.4 QFuture runs only the last continuation attached to it,
    // so one shared future would strand all but one of the requests waiting for the same key.
    auto promise = std::make_shared<QPromise<ApiKeyPtr>>();
    QFuture<ApiKeyPtr> result = promise->future();
    promise->start();
    {
        QWriteLocker locker(&m_lock);
        auto pending = m_waiting.find(hash);
        if (pending != m_waiting.end()) {
            pending->append({promise, PromiseHome()});
            return result;
        }
        m_waiting.insert(hash, {{promise, PromiseHome()}});
    }
    const qint64 now = m_clock->nowMs();
    const QString period = CreditLedger::periodOf(now);
    m_storage->run<Loaded>([hash, now, period](QSqlDatabase &db) {
            Loaded loaded;
            loaded.period = period;
            if (const auto key = KeyStore::findByHash(db, hash, now)) {
                loaded.key = std::make_shared<const ApiKey>(*key);
                const CreditPeriodRow row = KeyStore::creditPeriod(db, key->id, period);
                loaded.used = row.used;
                loaded.granted = row.granted;
                loaded.leased = row.leased;
            }
            return loaded;
        })
        .then(QtFuture::Launch::Sync, [this, hash](const Loaded &loaded) {
            store(hash, loaded);
            for (const Waiter &waiter : takeWaiters(hash)) {
                waiter.promise->addResult(loaded.key);
                waiter.home.finish(waiter.promise);
            }
        })
        .onFailed([this, hash](const StorageError &error) {
            // Not cached: the next request asks the database again.
            for (const Waiter &waiter : takeWaiters(hash)) {
                waiter.promise->setException(std::make_exception_ptr(error));
                waiter.home.finish(waiter.promise);
            }
        });
    return result;
}

QList<KeyCache::Waiter> KeyCache::takeWaiters(const QString &hash)
{
    QWriteLocker locker(&m_lock);
    return m_waiting.take(hash);
}

void KeyCache::store(const QString &hash, const Loaded &loaded)
{
    if (loaded.key)
        return install(loaded);
    QWriteLocker locker(&m_lock);
    if (m_negativeCount >= m_options.maxNegativeEntries) {
        // A flood of random keys: drop every negative entry rather than grow without bound.
        m_byHash.removeIf([](const auto &it) { return !it.value().key; });
        m_negativeCount = 0;
    }
    auto &entry = m_byHash[hash];
    if (entry.key)
        return;  // installed meanwhile (a change-feed reload): the key exists
    if (entry.negativeUntilMs == 0)
        ++m_negativeCount;
    entry = Entry{{}, m_clock->nowMs() + m_options.negativeTtlMs};
}

void KeyCache::install(const Loaded &loaded)
{
    const ApiKey &key = *loaded.key;
    if (const auto tier = m_tiers->find(key.tier))
        m_ledger->setAllowance(key.id, key.effectiveMonthlyCredits(*tier));
    m_ledger->syncFromStore(key.id, loaded.period, loaded.used, loaded.granted, loaded.leased);

    QWriteLocker locker(&m_lock);
    forgetKeyLocked(key.id);
    QStringList hashes{key.keyHash};
    if (!key.previousHash.isEmpty() && key.previousHashUntil.isValid())
        hashes.append(key.previousHash);
    for (const QString &hash : hashes) {
        auto &entry = m_byHash[hash];
        if (!entry.key && entry.negativeUntilMs > 0)
            --m_negativeCount;
        entry = Entry{loaded.key, 0};
    }
    m_hashesById.insert(key.id, hashes);
}

void KeyCache::forgetKeyLocked(const QString &keyId)
{
    for (const QString &hash : m_hashesById.take(keyId))
        m_byHash.remove(hash);
}

QFuture<void> KeyCache::refresh(const QString &keyId)
{
    // Loaded even when not cached here: a key created elsewhere may sit in the negative cache of its hash.
    const qint64 now = m_clock->nowMs();
    const QString period = CreditLedger::periodOf(now);
    StorageWorker *storage = m_refreshStorage ? m_refreshStorage : m_storage;
    return storage->run<Loaded>([keyId, period](QSqlDatabase &db) {
            Loaded loaded;
            loaded.period = period;
            if (const auto key = KeyStore::findById(db, keyId)) {
                loaded.key = std::make_shared<const ApiKey>(*key);
                const CreditPeriodRow row = KeyStore::creditPeriod(db, keyId, period);
                loaded.used = row.used;
                loaded.granted = row.granted;
                loaded.leased = row.leased;
            }
            return loaded;
        })
        .then(QtFuture::Launch::Sync, [this, keyId](const Loaded &loaded) {
            if (loaded.key) {
                install(loaded);
                qCDebug(lcKeyCache) << "reloaded key" << keyId;
            } else {
                QWriteLocker locker(&m_lock);
                forgetKeyLocked(keyId);
            }
        });
}

void KeyCache::reapplyAllowances()
{
    QList<ApiKeyPtr> keys;
    {
        QReadLocker locker(&m_lock);
        for (const Entry &entry : m_byHash) {
            if (entry.key)
                keys.append(entry.key);
        }
    }
    for (const ApiKeyPtr &key : keys) {
        if (const auto tier = m_tiers->find(key->tier))
            m_ledger->setAllowance(key->id, key->effectiveMonthlyCredits(*tier));
    }
}

qsizetype KeyCache::size() const
{
    QReadLocker locker(&m_lock);
    return m_byHash.size();
}

} // namespace tollgate
