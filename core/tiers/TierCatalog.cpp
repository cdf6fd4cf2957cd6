#include "core/tiers/TierCatalog.h"

#include <algorithm>

namespace tollgate {

void TierCatalog::replaceAll(const QList<Tier> &tiers)
{
    QHash<QString, Tier> next;
    for (const Tier &tier : tiers)
        next.insert(tier.slug, tier);
    QWriteLocker locker(&m_lock);
    m_tiers.swap(next);
}

std::optional<Tier> TierCatalog::find(const QString &slug) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_tiers.constFind(slug);
    if (it == m_tiers.constEnd())
        return std::nullopt;
    return *it;
}

QList<Tier> TierCatalog::all() const
{
    QReadLocker locker(&m_lock);
    QList<Tier> tiers = m_tiers.values();
    std::sort(tiers.begin(), tiers.end(), [](const Tier &a, const Tier &b) {
        return a.priceCents != b.priceCents ? a.priceCents < b.priceCents : a.slug < b.slug;
    });
    return tiers;
}

} // namespace tollgate
