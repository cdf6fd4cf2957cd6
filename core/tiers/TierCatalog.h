#pragma once

#include "core/tiers/Tier.h"

#include <QHash>
#include <QList>
#include <QReadWriteLock>

#include <optional>

namespace tollgate {

// The tiers in memory, read on every request from any thread; replaced whole when the change feed says so.
class TierCatalog
{
public:
    void replaceAll(const QList<Tier> &tiers);
    std::optional<Tier> find(const QString &slug) const;
    QList<Tier> all() const;

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, Tier> m_tiers;
};

} // namespace tollgate
