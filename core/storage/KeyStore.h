#pragma once

#include "core/keys/ApiKey.h"

#include <QHash>
#include <QSqlDatabase>

#include <optional>

namespace tollgate {

struct KeyFilter
{
    QString userId;
    QString tier;
    std::optional<bool> active;  // active = not revoked and not expired
    // "active", "revoked" or "expired" (revoked wins over expired, as ApiKey::statusAt says); empty: any.
    QString status;
    // Search: a key whose name contains it (case-insensitive; SQLite folds ASCII letters only), or whose id,
    // user id or last 4 characters equal it. Empty: no search.
    QString query;
    QString cursor;              // opaque, from KeyPage::nextCursor; anything else fails list() as Invalid
    int limit = 50;
};

struct KeyPage
{
    QList<ApiKey> keys;
    QString nextCursor;  // empty at the end
};

struct CreditPeriodRow
{
    qint64 used = 0;
    qint64 granted = 0;
    qint64 leased = 0;  // held by instances as leases (creditPeriod() only)
};

// SQL for api_keys and their credit periods. Every function runs on the storage worker's connection.
class KeyStore
{
public:
    static void insert(QSqlDatabase &db, const ApiKey &key);
    static void update(QSqlDatabase &db, const ApiKey &key);
    static std::optional<ApiKey> findById(QSqlDatabase &db, const QString &id);
    // The current secret, or a previous one still inside its grace period.
    static std::optional<ApiKey> findByHash(QSqlDatabase &db, const QString &hash, qint64 nowMs);
    // Newest first.
    static KeyPage list(QSqlDatabase &db, const KeyFilter &filter, qint64 nowMs);
    // Active (not revoked, not expired) keys of `userId` that the user created itself: those whose key.create
    // audit entry, written in the same transaction as the key, has the user as actor. Keys an admin, the CLI
    // or the console made for the user do not count.
    static qint64 countSelfCreatedActive(QSqlDatabase &db, const QString &userId, qint64 nowMs);

    static CreditPeriodRow creditPeriod(QSqlDatabase &db, const QString &keyId, const QString &period);
    // The same for many keys at once; keys without a row are absent.
    static QHash<QString, CreditPeriodRow> creditPeriods(QSqlDatabase &db, const QStringList &keyIds, const QString &period);
    static void addGrant(QSqlDatabase &db, const QString &keyId, const QString &period, qint64 credits,
                         const QString &actor, qint64 nowMs);
};

} // namespace tollgate
