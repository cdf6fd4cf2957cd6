#pragma once

#include "server/http/HttpExchange.h"

#include <QByteArray>
#include <QJsonObject>

#include <memory>

class QObject;

namespace tollgate {
struct BillingEvent;
struct BillingDecision;
namespace gateway {
struct GatewayContext;
}
}

namespace tollgate::billing {

// POST /webhooks/billing, for one event-loop thread: Stripe's events in. The signature is its only credential
// (StripeSignature: the raw body as received, never re-serialised), so it is not behind management auth; a failed
// signature counts toward the per-address limit of failed authentications (AUTH_FAILURE_LIMIT), as a wrong key does.
// Off (the path answers 404 like any unknown one) while BILLING_WEBHOOK_SECRET is unset.
class BillingWebhook
{
public:
    static constexpr QByteArrayView Path = "/webhooks/billing";
    // Stripe's events are a few KiB; a subscription with many items stays well below this.
    static constexpr qint64 BodyLimit = 256 * 1024;

    BillingWebhook(gateway::GatewayContext &context, QObject *threadContext);
    // True when the request is ours (it is then answered, now or later).
    bool handle(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId);

private:
    void verifyAndApply(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId);
    void apply(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, const BillingEvent &event,
               const BillingDecision &decision);
    void refuseSignature(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId,
                         const QByteArray &reason, const QString &message);
    void acknowledge(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, const QJsonObject &data,
                     const QByteArray &result, const QByteArray &reason);
    void fail(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, int status, QByteArrayView code,
              const QString &message, const QByteArray &result, const QByteArray &reason, const QByteArray &retryAfter = {});
    void answer(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId, int status,
                const QByteArray &body, const http::HttpHeaders &extra = {});

    gateway::GatewayContext &m_context;
    QObject *m_threadContext;
};

} // namespace tollgate::billing
