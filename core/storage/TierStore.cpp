#include "core/storage/TierStore.h"

#include "core/storage/Sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace tollgate {

namespace {

const QString Select = QStringLiteral(
    "SELECT slug, name, rate_limit, rate_window_seconds, monthly_credits, endpoints, price_cents, endpoint_limits FROM tiers");

Tier fromRow(const QSqlQuery &q)
{
    Tier tier;
    tier.slug = q.value(0).toString();
    tier.name = q.value(1).toString();
    tier.rateLimit = q.value(2).toInt();
    tier.rateWindowSeconds = q.value(3).toInt();
    tier.monthlyCredits = q.value(4).toLongLong();
    for (const QJsonValue &value : QJsonDocument::fromJson(q.value(5).toString().toUtf8()).array())
        tier.endpoints.append(value.toString());
    tier.priceCents = q.value(6).toInt();
    QString ignored;  // written by upsert() from a validated tier
    tier.endpointLimits = Tier::endpointLimitsFromJson(QJsonDocument::fromJson(q.value(7).toString().toUtf8()).object(),
                                                       QStringLiteral("endpointLimits"), &ignored)
                              .value_or(QMap<QString, EndpointLimit>());
    return tier;
}

} // namespace

QList<Tier> TierStore::list(QSqlDatabase &db)
{
    QSqlQuery q = sql::exec(db, Select + QStringLiteral(" ORDER BY price_cents, slug"));
    QList<Tier> tiers;
    while (q.next())
        tiers.append(fromRow(q));
    return tiers;
}

std::optional<Tier> TierStore::find(QSqlDatabase &db, const QString &slug)
{
    QSqlQuery q = sql::exec(db, Select + QStringLiteral(" WHERE slug = ?"), {slug});
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

void TierStore::upsert(QSqlDatabase &db, const Tier &tier, qint64 nowMs)
{
    const QString endpoints = QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tier.endpoints)).toJson(QJsonDocument::Compact));
    sql::exec(db, QStringLiteral(
        "INSERT INTO tiers (slug, name, rate_limit, rate_window_seconds, monthly_credits, endpoints, price_cents, updated_at,"
        " endpoint_limits)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET name = excluded.name,"
        " rate_limit = excluded.rate_limit, rate_window_seconds = excluded.rate_window_seconds,"
        " monthly_credits = excluded.monthly_credits, endpoints = excluded.endpoints,"
        " price_cents = excluded.price_cents, updated_at = excluded.updated_at, endpoint_limits = excluded.endpoint_limits"),
        {tier.slug, tier.name, tier.rateLimit, tier.rateWindowSeconds, tier.monthlyCredits, endpoints, tier.priceCents, nowMs,
         QString::fromUtf8(QJsonDocument(tier.endpointLimitsJson()).toJson(QJsonDocument::Compact))});
}

} // namespace tollgate
