#include "core/keys/ApiKey.h"

#include <QJsonArray>
#include <QTimeZone>
#include <QVariant>

namespace tollgate {

QString keyStatusName(KeyStatus status)
{
    switch (status) {
    case KeyStatus::Active: return QStringLiteral("active");
    case KeyStatus::Revoked: return QStringLiteral("revoked");
    case KeyStatus::Expired: return QStringLiteral("expired");
    }
    return {};
}

KeyStatus ApiKey::statusAt(const QDateTime &now) const
{
    if (revoked)
        return KeyStatus::Revoked;
    if (expiresAt.isValid() && expiresAt <= now)
        return KeyStatus::Expired;
    return KeyStatus::Active;
}

QStringList ApiKey::effectiveEndpoints(const Tier &tier) const
{
    if (allowedEndpoints.isEmpty())
        return tier.endpoints;
    QStringList out;
    for (const QString &group : allowedEndpoints) {
        if (tier.endpoints.contains(group))
            out.append(group);
    }
    return out;
}

QString toIsoUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODateWithMs).replace(QStringLiteral(".000Z"), QStringLiteral("Z"));
}

QJsonValue toIsoUtcOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toIsoUtc(time)) : QJsonValue();
}

QDateTime fromMsUtc(const QVariant &ms)
{
    if (ms.isNull() || !ms.isValid())
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), QTimeZone::utc());
}

QJsonObject ApiKey::toJson(const Tier &tierData, qint64 creditsUsed, qint64 creditsRemaining,
                           const QDateTime &now) const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("userId"), userId},
        {QStringLiteral("tier"), tier},
        {QStringLiteral("maskedKey"), maskedKey()},
        {QStringLiteral("isTest"), isTest},
        {QStringLiteral("status"), keyStatusName(statusAt(now))},
        {QStringLiteral("rateLimit"), effectiveRateLimit(tierData)},
        {QStringLiteral("rateWindowSeconds"), effectiveRateWindowSeconds(tierData)},
        {QStringLiteral("monthlyCredits"), effectiveMonthlyCredits(tierData)},
        {QStringLiteral("creditsUsed"), creditsUsed},
        {QStringLiteral("creditsRemaining"), creditsRemaining},
        {QStringLiteral("allowedEndpoints"), QJsonArray::fromStringList(effectiveEndpoints(tierData))},
        {QStringLiteral("allowedIps"), QJsonArray::fromStringList(allowedIps)},
        {QStringLiteral("expiresAt"), toIsoUtcOrNull(expiresAt)},
        {QStringLiteral("lastUsedAt"), toIsoUtcOrNull(lastUsedAt)},
        {QStringLiteral("createdAt"), toIsoUtcOrNull(createdAt)},
    };
}

} // namespace tollgate
