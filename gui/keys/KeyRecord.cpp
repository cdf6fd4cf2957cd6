#include "gui/keys/KeyRecord.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QTimeZone>

namespace tollgate::gui {

namespace {

QDateTime parseUtc(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out.append(item.toString());
    return out;
}

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    // The context lupdate gives tr() calls in namespace keytime.
    return QCoreApplication::translate("tollgate::gui::keytime", text, disambiguation, n);
}

} // namespace

KeyRecord::Status KeyRecord::statusFromName(const QString &name)
{
    if (name == QLatin1String("active"))
        return Status::Active;
    if (name == QLatin1String("revoked"))
        return Status::Revoked;
    if (name == QLatin1String("expired"))
        return Status::Expired;
    return Status::Unknown;
}

KeyRecord KeyRecord::fromJson(const QJsonObject &o)
{
    KeyRecord key;
    key.id = o.value(QStringLiteral("id")).toString();
    key.name = o.value(QStringLiteral("name")).toString();
    key.description = o.value(QStringLiteral("description")).toString();
    key.userId = o.value(QStringLiteral("userId")).toString();
    key.tier = o.value(QStringLiteral("tier")).toString();
    key.maskedKey = o.value(QStringLiteral("maskedKey")).toString();
    key.isTest = o.value(QStringLiteral("isTest")).toBool();
    key.status = statusFromName(o.value(QStringLiteral("status")).toString());
    key.rateLimit = o.value(QStringLiteral("rateLimit")).toInt();
    key.rateWindowSeconds = o.value(QStringLiteral("rateWindowSeconds")).toInt();
    key.monthlyCredits = qint64(o.value(QStringLiteral("monthlyCredits")).toDouble());
    key.creditsUsed = qint64(o.value(QStringLiteral("creditsUsed")).toDouble());
    key.creditsRemaining = qint64(o.value(QStringLiteral("creditsRemaining")).toDouble());
    key.allowedEndpoints = strings(o.value(QStringLiteral("allowedEndpoints")));
    key.allowedIps = strings(o.value(QStringLiteral("allowedIps")));
    key.expiresAt = parseUtc(o.value(QStringLiteral("expiresAt")));
    key.lastUsedAt = parseUtc(o.value(QStringLiteral("lastUsedAt")));
    key.createdAt = parseUtc(o.value(QStringLiteral("createdAt")));
    return key;
}

double KeyRecord::creditsShareUsed() const
{
    const qint64 available = creditsAvailable();
    if (available <= 0)
        return creditsUsed > 0 ? 1.0 : 0.0;
    return qBound(0.0, double(creditsUsed) / double(available), 1.0);
}

QList<TierRecord> TierRecord::listFromJson(const QJsonValue &data)
{
    QList<TierRecord> tiers;
    for (const QJsonValue &value : data.toArray()) {
        const QJsonObject o = value.toObject();
        TierRecord tier;
        tier.slug = o.value(QStringLiteral("slug")).toString();
        tier.name = o.value(QStringLiteral("name")).toString(tier.slug);
        tier.rateLimit = o.value(QStringLiteral("rateLimit")).toInt();
        tier.rateWindowSeconds = o.value(QStringLiteral("rateWindowSeconds")).toInt(60);
        tier.monthlyCredits = qint64(o.value(QStringLiteral("monthlyCredits")).toDouble());
        tier.endpoints = strings(o.value(QStringLiteral("endpoints")));
        if (!tier.slug.isEmpty())
            tiers.append(tier);
    }
    return tiers;
}

namespace keytime {

QString dateUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return QLocale().toString(time.toUTC().date(), QLocale::ShortFormat);
}

QString dateTimeUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    //: a date and time, then the zone it is in
    return tr("%1 UTC").arg(QLocale().toString(time.toUTC(), QLocale::ShortFormat));
}

QString relative(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return tr("never");
    const qint64 seconds = time.secsTo(now);
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    if (seconds < 86400)
        return tr("%n h ago", nullptr, int(seconds / 3600));
    if (seconds < 86400 * 60)
        return tr("%n day(s) ago", nullptr, int(seconds / 86400));
    return dateUtc(time);
}

} // namespace keytime

} // namespace tollgate::gui
