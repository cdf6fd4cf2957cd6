#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace tollgate {

// BILLING_PLAN_TIERS: which tier a billing price or plan id buys ("price_1Pro:pro,plan_team:enterprise").
// Parsed and checked for form at start-up (Settings); whether each tier exists is a question for the database,
// asked when an event needs it (BillingService), since tiers are data an admin may add after start-up.
class PlanTierMap
{
public:
    // nullopt and *why (one phrase, no variable name) when the text is malformed. Empty text: an empty map.
    static std::optional<PlanTierMap> parse(const QString &text, QString *why = nullptr);

    bool isEmpty() const { return m_tiers.isEmpty(); }
    // The tier of the first id that has one, in the order given (a subscription's items in Stripe's order).
    std::optional<QString> tierFor(const QStringList &priceOrPlanIds) const;
    QStringList tiers() const;  // every tier named, each once

private:
    QHash<QString, QString> m_tiers;  // price or plan id → tier slug
};

} // namespace tollgate
