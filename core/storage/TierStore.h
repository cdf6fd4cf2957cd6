#pragma once

#include "core/tiers/Tier.h"

#include <QSqlDatabase>

#include <optional>

namespace tollgate {

class TierStore
{
public:
    static QList<Tier> list(QSqlDatabase &db);
    static std::optional<Tier> find(QSqlDatabase &db, const QString &slug);
    static void upsert(QSqlDatabase &db, const Tier &tier, qint64 nowMs);
};

} // namespace tollgate
