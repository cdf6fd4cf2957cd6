#pragma once

#include "core/keys/IpAllowList.h"
#include "core/tiers/Tier.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace tollgate {

enum class KeyStatus { Active, Revoked, Expired };
QString keyStatusName(KeyStatus status);

// One API key as stored: never the raw secret, only its SHA-256, prefix and last 4 characters.
struct ApiKey
{
    QString id;
    QString keyHash;
    QString prefix;
    QString last4;
    QString userId;
    QString name;
    QString description;
    QString tier;
    bool isTest = false;
    std::optional<int> rateLimit;          // overrides of the tier
    std::optional<int> rateWindowSeconds;
    std::optional<qint64> monthlyCredits;
    QStringList allowedEndpoints;          // endpoint groups; empty = all of the tier's
    QStringList allowedIps;                // CIDRs; empty = any
    IpAllowList ipAllowList;               // allowedIps parsed once, for the request path
    QDateTime expiresAt;                   // invalid = never
    bool revoked = false;
    QDateTime revokedAt;
    QDateTime lastUsedAt;
    QDateTime createdAt;
    QDateTime updatedAt;
    // After a regeneration with grace, the previous secret keeps working until previousHashUntil.
    QString previousHash;
    QDateTime previousHashUntil;

    KeyStatus statusAt(const QDateTime &now) const;
    QString maskedKey() const { return prefix + QStringLiteral("…") + last4; }

    int effectiveRateLimit(const Tier &tier) const { return rateLimit.value_or(tier.rateLimit); }
    int effectiveRateWindowSeconds(const Tier &tier) const { return rateWindowSeconds.value_or(tier.rateWindowSeconds); }
    qint64 effectiveMonthlyCredits(const Tier &tier) const { return monthlyCredits.value_or(tier.monthlyCredits); }
    QStringList effectiveEndpoints(const Tier &tier) const;

    // The contract's key document, with effective limits and this period's credits.
    QJsonObject toJson(const Tier &tier, qint64 creditsUsed, qint64 creditsRemaining, const QDateTime &now) const;
};

using ApiKeyPtr = std::shared_ptr<const ApiKey>;

QString toIsoUtc(const QDateTime &time);  // "2026-11-21T23:59:23Z", or empty for an invalid time
QJsonValue toIsoUtcOrNull(const QDateTime &time);  // the same, or JSON null for an invalid time
QDateTime fromMsUtc(const QVariant &ms);  // NULL → invalid

} // namespace tollgate
