// POST /webhooks/billing in the OpenAPI document: Stripe's events in, signed with BILLING_WEBHOOK_SECRET.
#include "server/api/OpenApiParts.h"

namespace tollgate::api::openapi {

QJsonObject billingWebhookOperation()
{
    QJsonObject responses = errorResponses({QStringLiteral("400"), QStringLiteral("404"), QStringLiteral("413"), QStringLiteral("429"),
                                            QStringLiteral("431"), QStringLiteral("500"), QStringLiteral("503")});
    QJsonObject ok = literal(R"json({
        "description": "Received. Applied, a replay of an event applied before (nothing changes), superseded by a newer event of the same user, or ignored (an event type, status or price that moves nothing)",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}})json");
    const QJsonObject result = literal(R"json({"type": "object", "required": ["eventId", "result"], "properties": {
        "eventId": {"type": "string", "example": "evt_1PqR2sT3uV4wX5yZ"},
        "result": {"type": "string", "enum": ["applied", "replay", "superseded", "ignored"]},
        "reason": {"type": "string", "description": "subscription, deleted, status_ended, status_pending, unknown_type, no_user or unmapped_price"},
        "message": {"type": "string", "description": "Why an ignored event was ignored"},
        "tier": {"type": "string", "description": "Applied: the tier the user's keys are on now"},
        "keysMoved": {"type": "integer", "minimum": 0, "description": "Applied: keys that changed tier (revoked keys never do)"}}})json");
    ok.insert(QStringLiteral("content"),
              jsonContent(envelope(result), literal(R"json({"data": {"eventId": "evt_1PqR2sT3uV4wX5yZ", "result": "applied",
                  "reason": "subscription", "tier": "pro", "keysMoved": 2}, "meta": {}})json")));
    responses.insert(QStringLiteral("200"), ok);
    QJsonObject operation = literal(R"json({
        "operationId": "receiveBillingEvent",
        "summary": "Stripe events in: subscription changes move a user's keys between tiers",
        "description": "Only while BILLING_WEBHOOK_SECRET is set (otherwise 404). The body must be the event exactly as Stripe signed it: Stripe-Signature is t=<unix s>,v1=<hex HMAC-SHA256(secret, \"t.body\")>, any one of several v1 may match, and t must lie within 5 minutes of the gateway's clock; else 400, which also counts toward the per-address limit of failed authentications. customer.subscription.created and .updated move every key of data.object.metadata.userId to the tier BILLING_PLAN_TIERS maps the subscription's price (or plan) id to (status canceled, unpaid, incomplete_expired or paused: free; incomplete: no change); customer.subscription.deleted moves them to free. Each change is audited with actor billing. Idempotent on the event id. 500 when the mapped tier does not exist (nothing is recorded, so Stripe's retry applies it once it does).",
        "tags": ["webhooks"],
        "security": [],
        "parameters": [{"name": "Stripe-Signature", "in": "header", "required": true, "schema": {"type": "string"},
                        "description": "t=<unix s>,v1=<hex>[,v1=<hex>…]", "example": "t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"}]})json");
    operation.insert(QStringLiteral("requestBody"), QJsonObject{
        {QStringLiteral("required"), true},
        {QStringLiteral("content"), jsonContent(literal(R"json({"type": "object", "required": ["id", "type"], "additionalProperties": true,
            "description": "A Stripe event object (at most 256 KiB)", "properties": {
              "id": {"type": "string"}, "type": {"type": "string"}, "created": {"type": "integer"},
              "data": {"type": "object", "additionalProperties": true, "properties": {"object": {"type": "object", "additionalProperties": true}}}}})json"),
                                                literal(R"json({"id": "evt_1PqR2sT3uV4wX5yZ", "type": "customer.subscription.updated", "created": 1767225600,
              "data": {"object": {"id": "sub_1PqR", "status": "active", "metadata": {"userId": "alice"},
                                  "items": {"data": [{"price": {"id": "price_1Pro"}}]}}}})json"))}});
    operation.insert(QStringLiteral("responses"), responses);
    return operation;
}

} // namespace tollgate::api::openapi
