#include "server/billing/BillingWebhook.h"

#include "core/billing/BillingEvent.h"
#include "core/billing/StripeSignature.h"
#include "core/ratelimit/SlidingWindowLimiter.h"
#include "core/service/BillingService.h"
#include "core/service/GatewayCore.h"
#include "core/storage/StorageError.h"
#include "core/util/WhenDone.h"
#include "server/gateway/ErrorResponse.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/JsonResponse.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcBilling, "tollgate.server.billing")

namespace tollgate::billing {

namespace {

QString outcomeName(BillingOutcome::Kind kind)
{
    switch (kind) {
    case BillingOutcome::Kind::Applied: return QStringLiteral("applied");
    case BillingOutcome::Kind::Replay: return QStringLiteral("replay");
    case BillingOutcome::Kind::Superseded: return QStringLiteral("superseded");
    case BillingOutcome::Kind::UnknownTier: return QStringLiteral("unknown_tier");
    }
    return QStringLiteral("applied");
}

} // namespace

BillingWebhook::BillingWebhook(gateway::GatewayContext &context, QObject *threadContext)
    : m_context(context), m_threadContext(threadContext)
{
}

bool BillingWebhook::handle(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId)
{
    const http::HttpRequest &request = exchange->request();
    if (request.path != Path || !m_context.billing)
        return false;  // off: the path is as unknown as any other (404), nothing tells a scanner it exists
    if (request.method != "POST") {
        http::HttpHeaders allow;
        allow.add("Allow", "POST");
        answer(exchange, requestId, 405,
               gateway::errorEnvelope(gateway::ErrorCode::MethodNotAllowed, QStringLiteral("Use POST."), requestId), allow);
        return true;
    }
    // The signature is this route's credential: an address that failed too often is refused before its body is read,
    // as on /v1 and the management API.
    GatewayCore &core = *m_context.core;
    const RateDecision ipState = core.authFailureLimiter().peek(request.peerText, m_context.authFailureLimit,
                                                                m_context.authFailureWindowMs);
    if (!ipState.allowed) {
        m_context.countRateLimited(QByteArrayLiteral("none"));
        fail(exchange, requestId, 429, gateway::nameOf(gateway::ErrorCode::RateLimited),
             QStringLiteral("Too many failed authentications from this address."), "rejected", "rate_limited",
             QByteArray::number(qMax(1, ipState.retryAfterSeconds)));
        return true;
    }
    // No header: nothing could make the body acceptable, so it is never read.
    if (request.headers.value("stripe-signature").trimmed().isEmpty()) {
        refuseSignature(exchange, requestId, "missing", QStringLiteral("The Stripe-Signature header is missing."));
        return true;
    }
    // The body is read into memory as received (BodyPolicy: at most BodyLimit): the signature is over these bytes.
    exchange->readBody([this, exchange, requestId] { verifyAndApply(exchange, requestId); });
    return true;
}

void BillingWebhook::verifyAndApply(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId)
{
    const http::HttpRequest &request = exchange->request();
    const qint64 nowSeconds = m_context.core->clock()->nowMs() / 1000;
    const StripeSignature::Verdict verdict = StripeSignature::verify(request.headers.value("stripe-signature"), request.body,
                                                                     m_context.billingSecret, nowSeconds);
    if (!verdict.valid())
        return refuseSignature(exchange, requestId, verdict.reason(), verdict.message);

    QString why;
    const auto event = BillingEvent::parse(request.body, &why);
    if (!event)
        return fail(exchange, requestId, 400, gateway::nameOf(gateway::ErrorCode::InvalidRequest), why, "rejected", "not_an_event");
    const BillingDecision decision = BillingDecision::of(*event, m_context.billingPlans);
    if (decision.action == BillingDecision::Action::Ignore) {
        // 200 all the same: Stripe retries anything else for days, and a retry would be ignored again. Not recorded
        // either, so the same event re-sent from Stripe's dashboard once BILLING_PLAN_TIERS knows its price applies.
        if (decision.reason == "unknown_type")
            qCDebug(lcBilling).noquote() << "event" << event->id << "ignored:" << decision.explanation;
        else
            qCWarning(lcBilling).noquote() << "event" << event->id << event->type << "for user" << event->userId
                                           << "ignored:" << decision.explanation;
        return acknowledge(exchange, requestId,
                           QJsonObject{{QStringLiteral("eventId"), event->id}, {QStringLiteral("result"), QStringLiteral("ignored")},
                                       {QStringLiteral("reason"), QString::fromLatin1(decision.reason)},
                                       {QStringLiteral("message"), decision.explanation}},
                           "ignored", decision.reason);
    }
    apply(exchange, requestId, *event, decision);
}

void BillingWebhook::apply(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, const BillingEvent &event,
                           const BillingDecision &decision)
{
    whenDone(m_context.billing->apply(event, decision), m_threadContext,
             [this, exchange, requestId, event, decision](QFuture<BillingOutcome> done) {
                 BillingOutcome outcome;
                 try {
                     outcome = done.result();
                 } catch (const StorageError &error) {
                     // Not recorded: Stripe's retry (any non-2xx) applies it once the database is back.
                     if (error.kind() == StorageError::Kind::Unavailable)
                         return fail(exchange, requestId, 503, gateway::nameOf(gateway::ErrorCode::ServiceUnavailable),
                                     QStringLiteral("The database is unavailable; the event was not applied."), "failed",
                                     "database_unavailable", QByteArray::number(gateway::ServiceUnavailableRetryAfterSeconds));
                     qCWarning(lcBilling).noquote() << "event" << event.id << "failed:" << error.message();
                     return fail(exchange, requestId, 500, gateway::nameOf(gateway::ErrorCode::Internal),
                                 QStringLiteral("The event could not be applied."), "failed", "storage");
                 }
                 if (outcome.kind == BillingOutcome::Kind::UnknownTier) {
                     // A configuration to fix, not an event to drop: not recorded, and Stripe keeps retrying for days.
                     qCCritical(lcBilling).noquote() << "event" << event.id << "not applied: BILLING_PLAN_TIERS names tier"
                                                     << decision.tier << "which does not exist; create it (tiers set) or fix the map";
                     return fail(exchange, requestId, 500, gateway::nameOf(gateway::ErrorCode::Internal),
                                 QStringLiteral("Tier \"%1\" (from BILLING_PLAN_TIERS) does not exist; the event was not applied.")
                                     .arg(decision.tier),
                                 "failed", "unknown_tier");
                 }
                 const QString result = outcomeName(outcome.kind);
                 qCInfo(lcBilling).noquote() << "event" << event.id << event.type << "for user" << event.userId << result
                                             << "tier" << decision.tier << "keys moved" << outcome.keysMoved;
                 QJsonObject data{{QStringLiteral("eventId"), event.id}, {QStringLiteral("result"), result},
                                  {QStringLiteral("reason"), QString::fromLatin1(decision.reason)}};
                 if (outcome.kind == BillingOutcome::Kind::Applied) {
                     data.insert(QStringLiteral("tier"), decision.tier);
                     data.insert(QStringLiteral("keysMoved"), outcome.keysMoved);
                 }
                 acknowledge(exchange, requestId, data, result.toLatin1(), decision.reason);
             });
}

void BillingWebhook::refuseSignature(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId,
                                     const QByteArray &reason, const QString &message)
{
    // A forged or stale delivery counts as a failed authentication of its address.
    m_context.core->authFailureLimiter().hit(exchange->request().peerText, m_context.authFailureLimit, m_context.authFailureWindowMs);
    m_context.authFailures->inc({QByteArrayLiteral("billing_signature_") + reason});
    qCWarning(lcBilling).noquote() << "delivery from" << exchange->request().peerText << "refused:" << message;
    fail(exchange, requestId, 400, gateway::nameOf(gateway::ErrorCode::InvalidRequest), message, "rejected",
         QByteArrayLiteral("signature_") + reason);
}

void BillingWebhook::acknowledge(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId,
                                 const QJsonObject &data, const QByteArray &result, const QByteArray &reason)
{
    m_context.billingEvents->inc({result, reason});
    const QJsonObject document{{QStringLiteral("data"), data}, {QStringLiteral("meta"), QJsonObject()}};
    answer(exchange, requestId, 200, QJsonDocument(document).toJson(QJsonDocument::Compact));
}

void BillingWebhook::fail(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, int status,
                          QByteArrayView code, const QString &message, const QByteArray &result, const QByteArray &reason,
                          const QByteArray &retryAfter)
{
    m_context.billingEvents->inc({result, reason});
    http::HttpHeaders extra;
    if (!retryAfter.isEmpty())
        extra.add("Retry-After", retryAfter);
    answer(exchange, requestId, status, gateway::errorEnvelope(code, message, requestId), extra);
}

void BillingWebhook::answer(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, int status,
                            const QByteArray &body, const http::HttpHeaders &extra)
{
    m_context.counters.answered(status);
    http::HttpHeaders headers = extra;
    headers.add("Cache-Control", "no-store");
    gateway::respondJson(exchange, status, body, requestId, std::move(headers));
}

} // namespace tollgate::billing
