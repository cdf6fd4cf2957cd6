#pragma once

#include "core/billing/PlanTierMap.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace tollgate {

// The part of a Stripe event (https://docs.stripe.com/api/events/object) the billing webhook acts on. For
// customer.subscription.* events data.object is the subscription: its metadata.userId names the gateway user,
// its items carry the price (and legacy plan) ids that BILLING_PLAN_TIERS maps to tiers.
struct BillingEvent
{
    QString id;            // "evt_…": what idempotency is keyed on
    QString type;          // "customer.subscription.updated"
    qint64 created = 0;    // unix s, when Stripe made the event: orders one user's events
    QString userId;        // data.object.metadata.userId; empty when absent
    QString status;        // data.object.status: active, trialing, past_due, canceled, unpaid, incomplete, …
    QStringList priceOrPlanIds;  // items.data[].price.id, items.data[].plan.id, then plan.id, in that order

    // nullopt with *why when the body is not a Stripe event (no JSON object, no string id or type).
    static std::optional<BillingEvent> parse(const QByteArray &json, QString *why);
};

// What one event asks of the gateway, decided without the database.
struct BillingDecision
{
    enum class Action { MoveKeys, Ignore };
    Action action = Action::Ignore;
    QString tier;            // MoveKeys: where every key of the user goes
    QByteArray reason;       // metric label: subscription, deleted, unknown_type, no_user, unmapped_price, status_…
    QString explanation;     // for the log and the 200's body

    // created/updated: the mapped tier while the subscription entitles (active, trialing, past_due: Stripe is still
    // retrying the payment), free once it no longer does (canceled, unpaid, incomplete_expired, paused); incomplete
    // (the first payment is pending) changes nothing yet. deleted: free. Any other type, or no userId: ignored.
    static BillingDecision of(const BillingEvent &event, const PlanTierMap &tiers);
};

} // namespace tollgate
