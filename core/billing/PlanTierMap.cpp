#include "core/billing/PlanTierMap.h"

#include <QRegularExpression>

namespace tollgate {

std::optional<PlanTierMap> PlanTierMap::parse(const QString &text, QString *why)
{
    // The id as Stripe writes them (price_…, plan_…, or an operator's own plan nickname): no spaces, commas or
    // colons. The tier as Tier::validate wants a slug.
    static const QRegularExpression idPattern(QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_.\\-]{1,255}")));
    static const QRegularExpression slugPattern(QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9_-]{0,31}")));
    auto fail = [why](const QString &message) -> std::optional<PlanTierMap> {
        if (why)
            *why = message;
        return std::nullopt;
    };
    PlanTierMap map;
    for (const QString &raw : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString entry = raw.trimmed();
        if (entry.isEmpty())
            continue;
        const qsizetype colon = entry.indexOf(QLatin1Char(':'));
        if (colon < 0)
            return fail(QStringLiteral("\"%1\" is not price_or_plan_id:tier").arg(entry));
        const QString id = entry.left(colon).trimmed();
        const QString tier = entry.mid(colon + 1).trimmed();
        if (!idPattern.match(id).hasMatch())
            return fail(QStringLiteral("\"%1\": \"%2\" is not a price or plan id (letters, digits, '_', '-', '.')").arg(entry, id));
        if (!slugPattern.match(tier).hasMatch())
            return fail(QStringLiteral("\"%1\": \"%2\" is not a tier slug (lower-case letters, digits, '-' or '_')").arg(entry, tier));
        if (const auto it = map.m_tiers.constFind(id); it != map.m_tiers.constEnd() && it.value() != tier)
            return fail(QStringLiteral("\"%1\" is mapped twice, to %2 and to %3").arg(id, it.value(), tier));
        map.m_tiers.insert(id, tier);
    }
    return map;
}

std::optional<QString> PlanTierMap::tierFor(const QStringList &priceOrPlanIds) const
{
    for (const QString &id : priceOrPlanIds) {
        if (const auto it = m_tiers.constFind(id); it != m_tiers.constEnd())
            return it.value();
    }
    return std::nullopt;
}

QStringList PlanTierMap::tiers() const
{
    QStringList out;
    for (const QString &tier : m_tiers) {
        if (!out.contains(tier))
            out.append(tier);
    }
    out.sort();
    return out;
}

} // namespace tollgate
