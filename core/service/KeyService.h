#pragma once

#include "core/keys/ApiKey.h"
#include "core/storage/AdminTokenStore.h"
#include "core/storage/KeyStore.h"
#include "core/storage/StorageWorker.h"
#include "core/tiers/Tier.h"
#include "core/util/Clock.h"

#include <QFuture>

#include <memory>

namespace tollgate {

// A key with what it takes to show it: its tier and this period's credits as stored.
struct KeyView
{
    ApiKey key;
    Tier tier;
    qint64 creditsUsed = 0;
    qint64 creditsGranted = 0;

    qint64 creditsRemaining() const { return key.effectiveMonthlyCredits(tier) + creditsGranted - creditsUsed; }
    QJsonObject toJson(const QDateTime &now) const;
};

struct CreateKeyRequest
{
    QString userId;
    QString name;
    QString description;
    QString tier = QStringLiteral("free");
    bool isTest = false;
    QDateTime expiresAt;
    QStringList allowedEndpoints;
    QStringList allowedIps;
    // Admin overrides of the tier's values (POST /admin/api-keys); unset: the tier's.
    std::optional<int> rateLimit;
    std::optional<int> rateWindowSeconds;
    std::optional<qint64> monthlyCredits;
    // > 0: the user creates this key for itself (POST /api-keys) and may hold at most this many active keys
    // created that way (MAX_KEYS_PER_USER); beyond, the future fails with StorageError::Kind::LimitReached.
    // 0 for admins, the CLI and the console, which are not capped.
    int maxSelfCreatedActive = 0;
};

// A partial change of a key. Owners may change the first group; tier and overrides are for admins.
// An override set to nullopt inside the optional clears it (back to the tier's value).
struct KeyPatch
{
    std::optional<QString> name;
    std::optional<QString> description;
    std::optional<QStringList> allowedEndpoints;
    std::optional<QStringList> allowedIps;
    std::optional<QDateTime> expiresAt;  // an invalid QDateTime clears the expiry
    std::optional<QString> tier;
    std::optional<std::optional<int>> rateLimit;
    std::optional<std::optional<int>> rateWindowSeconds;
    std::optional<std::optional<qint64>> monthlyCredits;
    bool touchesAdminFields() const { return tier || rateLimit || rateWindowSeconds || monthlyCredits; }
};

// The raw secret is only ever here, once, on its way to the caller.
struct CreatedKey
{
    QString rawKey;
    KeyView view;
    QJsonObject toJson(const QDateTime &now) const;
};

struct CreatedAdminToken
{
    QString rawToken;
    AdminToken token;
};

// Every mutation of keys, tiers and admin tokens, for the CLI and the management API alike: validated,
// written in one transaction with its audit entry and a change-feed row, so that other processes see it.
// Validation problems fail the future with StorageError::Kind::Invalid naming the field (sizes: core/keys/FieldLimits.h;
// lists are stored without duplicates); unknown ids with NotFound.
class KeyService
{
public:
    KeyService(StorageWorker *storage, std::shared_ptr<const Clock> clock, QString livePrefix, QString testPrefix);

    QFuture<int> migrate();
    QFuture<CreatedKey> createKey(const CreateKeyRequest &request, const QString &actor);
    QFuture<QList<KeyView>> listKeys(const KeyFilter &filter);
    QFuture<KeyView> showKey(const QString &id);
    QFuture<KeyView> revokeKey(const QString &id, const QString &actor);
    QFuture<KeyView> grantCredits(const QString &id, qint64 credits, const QString &actor);
    QFuture<KeyView> updateKey(const QString &id, const KeyPatch &patch, const QString &actor);
    // A new secret for the same key (id, usage and credits stay); the old one keeps working for
    // graceSeconds (at most 7 days), then only the new one does.
    QFuture<CreatedKey> regenerateKey(const QString &id, int graceSeconds, const QString &actor);
    struct ViewPage
    {
        QList<KeyView> views;
        QString nextCursor;
    };
    QFuture<ViewPage> listKeyViews(const KeyFilter &filter);
    QFuture<QList<Tier>> replaceTiers(const QList<Tier> &tiers, const QString &actor);

    QFuture<QList<Tier>> listTiers();
    QFuture<Tier> setTier(const Tier &tier, const QString &actor);

    QFuture<CreatedAdminToken> createAdminToken(const QString &name, const QString &actor);
    QFuture<QList<AdminToken>> listAdminTokens();
    QFuture<AdminToken> revokeAdminToken(const QString &id, const QString &actor);

    // Inside the caller's transaction (on the storage worker): every key of `userId` that is not revoked moves to
    // `tier` (which must exist), each with its audit entry (action key.update; `auditExtra`'s fields added to the
    // entry's "after") and a change-feed row, so every instance applies it as any other tier change. Revoked keys stay
    // as they are; a key already on the tier is left alone. A key's allowedEndpoints are kept: at run time a key may
    // use what its list and its tier both allow, so a restriction survives a downgrade and the upgrade after it.
    // Returns how many keys moved.
    static int moveKeysOfUser(QSqlDatabase &db, const QString &userId, const QString &tier, const QString &actor,
                              qint64 nowMs, const QJsonObject &auditExtra);

    static constexpr auto AdminTokenPrefix = "tga_";
    static constexpr int MaxGraceSeconds = 7 * 24 * 3600;

private:
    StorageWorker *m_storage;
    std::shared_ptr<const Clock> m_clock;
    QString m_livePrefix;
    QString m_testPrefix;
};

} // namespace tollgate
