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
// Validation problems fail the future with StorageError::Kind::Invalid naming the field; unknown ids with NotFound.
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

    QFuture<QList<Tier>> listTiers();
    QFuture<Tier> setTier(const Tier &tier, const QString &actor);

    QFuture<CreatedAdminToken> createAdminToken(const QString &name, const QString &actor);
    QFuture<QList<AdminToken>> listAdminTokens();
    QFuture<AdminToken> revokeAdminToken(const QString &id, const QString &actor);

    static constexpr auto AdminTokenPrefix = "tga_";

private:
    StorageWorker *m_storage;
    std::shared_ptr<const Clock> m_clock;
    QString m_livePrefix;
    QString m_testPrefix;
};

} // namespace tollgate
