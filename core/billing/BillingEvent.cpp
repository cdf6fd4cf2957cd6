#include "core/billing/BillingEvent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tollgate {

namespace {

const QString FreeTier = QStringLiteral("free");

void addId(QStringList &ids, const QJsonValue &object)
{
    const QString id = object.toObject().value(QLatin1String("id")).toString();
    if (!id.isEmpty() && !ids.contains(id))
        ids.append(id);
}

BillingDecision ignore(QByteArray reason, QString explanation)
{
    return {BillingDecision::Action::Ignore, {}, std::move(reason), std::move(explanation)};
}

BillingDecision move(const QString &tier, QByteArray reason, QString explanation)
{
    return {BillingDecision::Action::MoveKeys, tier, std::move(reason), std::move(explanation)};
}

} // namespace

std::optional<BillingEvent> BillingEvent::parse(const QByteArray &json, QString *why)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        *why = QStringLiteral("The body is not a JSON object.");
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    BillingEvent event;
    event.id = root.value(QLatin1String("id")).toString();
    event.type = root.value(QLatin1String("type")).toString();
    if (event.id.isEmpty() || event.id.size() > 255 || event.type.isEmpty()) {
        *why = QStringLiteral("The body is not a Stripe event: it needs a string id (at most 255 characters) and type.");
        return std::nullopt;
    }
    event.created = qint64(root.value(QLatin1String("created")).toDouble(0));
    const QJsonObject object = root.value(QLatin1String("data")).toObject().value(QLatin1String("object")).toObject();
    event.userId = object.value(QLatin1String("metadata")).toObject().value(QLatin1String("userId")).toString().trimmed();
    event.status = object.value(QLatin1String("status")).toString();
    for (const QJsonValue &item : object.value(QLatin1String("items")).toObject().value(QLatin1String("data")).toArray()) {
        addId(event.priceOrPlanIds, item.toObject().value(QLatin1String("price")));
        addId(event.priceOrPlanIds, item.toObject().value(QLatin1String("plan")));
    }
    addId(event.priceOrPlanIds, object.value(QLatin1String("plan")));
    return event;
}

BillingDecision BillingDecision::of(const BillingEvent &event, const PlanTierMap &tiers)
{
    const bool changed = event.type == QLatin1String("customer.subscription.created")
        || event.type == QLatin1String("customer.subscription.updated");
    const bool deleted = event.type == QLatin1String("customer.subscription.deleted");
    if (!changed && !deleted)
        return ignore("unknown_type", QStringLiteral("Event type %1 is not one the gateway acts on.").arg(event.type));
    if (event.userId.isEmpty())
        return ignore("no_user", QStringLiteral("The subscription has no metadata.userId; no keys to move."));
    if (deleted)
        return move(FreeTier, "deleted", QStringLiteral("The subscription ended."));

    static const QStringList entitled{QStringLiteral("active"), QStringLiteral("trialing"), QStringLiteral("past_due")};
    static const QStringList ended{QStringLiteral("canceled"), QStringLiteral("unpaid"), QStringLiteral("incomplete_expired"),
                                   QStringLiteral("paused")};
    if (ended.contains(event.status))
        return move(FreeTier, "status_ended", QStringLiteral("The subscription is %1.").arg(event.status));
    if (!event.status.isEmpty() && !entitled.contains(event.status))
        return ignore("status_pending", QStringLiteral("The subscription is %1; nothing changes until it is active.").arg(event.status));
    const auto tier = tiers.tierFor(event.priceOrPlanIds);
    if (!tier)
        return ignore("unmapped_price", QStringLiteral("BILLING_PLAN_TIERS maps none of the subscription's price or plan ids (%1).")
                                            .arg(event.priceOrPlanIds.isEmpty() ? QStringLiteral("none given")
                                                                                : event.priceOrPlanIds.join(QStringLiteral(", "))));
    return move(*tier, "subscription", QStringLiteral("The subscription is %1.").arg(event.status.isEmpty() ? QStringLiteral("active") : event.status));
}

} // namespace tollgate
