#include "server/api/OpenApi.h"

#include "server/api/OpenApiParts.h"

namespace tollgate::api {

using namespace openapi;

namespace {

// One key as the examples show it (valid against components/schemas/ApiKey).
const char *const SampleKey = R"({"id": "key_01hx3k9d2f", "name": "crawler", "description": "", "userId": "alice", "tier": "pro",
    "maskedKey": "sk_live_…abcd", "isTest": false, "status": "active", "rateLimit": 100, "rateWindowSeconds": 60,
    "monthlyCredits": 5000, "creditsUsed": 42, "creditsRemaining": 4958, "allowedEndpoints": ["search", "extract"],
    "allowedIps": [], "expiresAt": null, "lastUsedAt": "2026-01-05T10:00:00Z", "createdAt": "2026-01-01T09:30:00Z"})";
const char *const SampleTier = R"({"slug": "pro", "name": "Pro", "rateLimit": 100, "rateWindowSeconds": 60, "monthlyCredits": 5000,
    "endpoints": ["search", "extract", "stt", "tts"], "priceCents": 1900, "endpointLimits": {"stt": {"rate": 5, "windowSeconds": 3600}}})";
const char *const SampleUsageRow = R"({"date": "2026-01-05", "endpoint": "search", "requests": 120, "credits": 118, "errors": 2,
    "avgLatencyMs": 85.5, "bytesIn": 4096, "bytesOut": 512000, "outcomes": {"ok": 118, "upstreamError": 1, "rateLimited": 1,
    "insufficientCredits": 0, "forbidden": 0, "clientError": 0, "clientClosed": 0}})";

// What the document says of one management route.
struct ManagementDocs
{
    const char *operationId;
    const char *summary;
    const char *requestSchema = nullptr;  // components/schemas name
    const char *requestExample = nullptr; // JSON
    int okStatus = 200;
    const char *okDescription = "OK";
    QJsonObject okData;                   // what "data" holds
    QString okExample;                    // JSON of the whole answer
};

QString answer(const QString &data, const char *meta = "{}")
{
    return QStringLiteral(R"({"data": %1, "meta": %2})").arg(data, QLatin1String(meta));
}

QJsonObject listOf(const char *schema)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), schemaRef(schema)}};
}

ManagementDocs docsFor(const QString &route)
{
    const QString key = QString::fromUtf8(SampleKey);
    const QString created = QStringLiteral(R"({"key": "sk_live_4f8a1c9e2b7d6a3f5e0c1b2a9d8e7f6abcd", "apiKey": %1})").arg(key);
    const QString usage = QStringLiteral("[%1]").arg(QString::fromUtf8(SampleUsageRow));
    const QString totals = QStringLiteral(R"({"days": 30, "requests": 120, "credits": 118, "errors": 2, "avgLatencyMs": 85.5, "bytesIn": 4096, "bytesOut": 512000})");
    static const QHash<QString, ManagementDocs> table{
        {QStringLiteral("POST /api-keys"), {"createApiKey", "Create a key for yourself", "CreateKeyRequest",
                                            R"({"name": "crawler", "tier": "pro", "allowedEndpoints": ["search", "extract"]})", 201,
                                            "Created; the raw key is shown this once", schemaRef("CreatedKey"), answer(created)}},
        {QStringLiteral("GET /api-keys"), {"listApiKeys", "List your keys", nullptr, nullptr, 200, "Newest first, masked", listOf("ApiKey"),
                                           answer(QStringLiteral("[%1]").arg(key), R"({"count": 1})")}},
        {QStringLiteral("GET /api-keys/{id}"), {"getApiKey", "Show one of your keys", nullptr, nullptr, 200, "The key", schemaRef("ApiKey"), answer(key)}},
        {QStringLiteral("PATCH /api-keys/{id}"), {"updateApiKey", "Change one of your keys", "PatchKeyRequest", R"({"name": "crawler-eu", "allowedIps": ["203.0.113.0/24"]})",
                                                  200, "The key as it is now", schemaRef("ApiKey"), answer(key)}},
        {QStringLiteral("DELETE /api-keys/{id}"), {"revokeApiKey", "Revoke one of your keys", nullptr, nullptr, 200, "The key, revoked", schemaRef("ApiKey"), answer(key)}},
        {QStringLiteral("POST /api-keys/{id}/regenerate"), {"regenerateApiKey", "Give one of your keys a new secret", "RegenerateRequest", R"({"graceSeconds": 300})",
                                                            200, "New secret, shown this once", schemaRef("CreatedKey"), answer(created)}},
        {QStringLiteral("GET /api-keys/{id}/usage"), {"getApiKeyUsage", "Usage of one of your keys per day and endpoint", nullptr, nullptr, 200,
                                                      "Per day and endpoint", listOf("UsageRow"), answer(usage, R"({"days": 30})")}},
        {QStringLiteral("GET /api-keys/{id}/usage/summary"), {"getApiKeyUsageSummary", "Usage totals of one of your keys", nullptr, nullptr, 200,
                                                              "Totals", schemaRef("UsageTotals"), answer(totals)}},
        {QStringLiteral("POST /admin/api-keys"), {"adminCreateApiKey", "Create a key for any user", "AdminCreateKeyRequest",
                                                  R"({"userId": "bob", "name": "partner", "tier": "enterprise", "monthlyCredits": 100000})", 201,
                                                  "Created for that user (not counted toward MAX_KEYS_PER_USER); the raw key is shown this once",
                                                  schemaRef("CreatedKey"), answer(created)}},
        {QStringLiteral("GET /admin/api-keys"), {"adminListApiKeys", "List and search all keys", nullptr, nullptr, 200, "Newest first, masked",
                                                 listOf("ApiKey"), answer(QStringLiteral("[%1]").arg(key), R"({"count": 1, "next_cursor": "MTcwMDAwMDAwMDAwMDprZXlfMDE"})")}},
        {QStringLiteral("GET /admin/api-keys/{id}"), {"adminGetApiKey", "Show any key", nullptr, nullptr, 200, "The key", schemaRef("ApiKey"), answer(key)}},
        {QStringLiteral("PATCH /admin/api-keys/{id}"), {"adminUpdateApiKey", "Change any key: tier, overrides, grants", "AdminPatchKeyRequest",
                                                        R"({"tier": "enterprise", "rateLimit": null, "grantCredits": 500})", 200, "The key as it is now",
                                                        schemaRef("ApiKey"), answer(key)}},
        {QStringLiteral("DELETE /admin/api-keys/{id}"), {"adminRevokeApiKey", "Revoke any key", nullptr, nullptr, 200, "The key, revoked", schemaRef("ApiKey"), answer(key)}},
        {QStringLiteral("POST /admin/api-keys/{id}/regenerate"), {"adminRegenerateApiKey", "Give any key a new secret", "RegenerateRequest", R"({"graceSeconds": 0})",
                                                                  200, "New secret, shown this once", schemaRef("CreatedKey"), answer(created)}},
        {QStringLiteral("GET /admin/usage/summary"), {"adminGetUsageSummary", "Usage totals of all keys", nullptr, nullptr, 200, "Totals", schemaRef("UsageTotals"), answer(totals)}},
        {QStringLiteral("GET /admin/usage/daily"), {"adminGetDailyUsage", "Usage per UTC day and endpoint", nullptr, nullptr, 200,
                                                    "Per UTC day (ISO date) and endpoint, summed over keys, oldest first, with outcomes", listOf("UsageRow"),
                                                    answer(usage, R"({"days": 30})")}},
        {QStringLiteral("GET /admin/usage/top-users"), {"adminGetTopUsers", "The users spending most credits", nullptr, nullptr, 200, "Users by credits spent",
                                                        listOf("UsageTotals"), answer(QStringLiteral(R"([{"userId": "alice", "requests": 120, "credits": 118, "errors": 2}])"))}},
        {QStringLiteral("GET /admin/usage/top-keys"), {"adminGetTopKeys", "The keys spending most credits", nullptr, nullptr, 200, "Keys by credits spent, then by requests",
                                                       listOf("TopKey"), answer(QStringLiteral(R"([{"keyId": "key_01hx3k9d2f", "name": "crawler", "userId": "alice", "tier": "pro", "requests": 120, "credits": 118, "errors": 2}])"))}},
        {QStringLiteral("GET /admin/tiers"), {"adminListTiers", "List the tiers", nullptr, nullptr, 200, "All tiers", listOf("Tier"),
                                              answer(QStringLiteral("[%1]").arg(QString::fromUtf8(SampleTier)))}},
        {QStringLiteral("PUT /admin/tiers"), {"adminReplaceTiers", "Replace the whole set of tiers", "TierSet", nullptr, 200, "All tiers, as stored", listOf("Tier"),
                                              answer(QStringLiteral("[%1]").arg(QString::fromUtf8(SampleTier)))}},
        {QStringLiteral("GET /admin/audit"), {"adminListAudit", "The audit log", nullptr, nullptr, 200, "Newest first", listOf("AuditEntry"),
                                              answer(QStringLiteral(R"([{"id": "aud_01", "at": "2026-01-05T10:00:00Z", "actor": "admin:ops", "action": "key.revoke", "targetType": "key", "targetId": "key_01hx3k9d2f", "before": {"status": "active"}, "after": {"status": "revoked"}}])"))}},
        {QStringLiteral("GET /admin/status"), {"adminGetStatus", "Instance, database, Redis, upstreams and counters", nullptr, nullptr, 200,
                                               "Instance, version, uptime, database, Redis and every upstream instance, monotonic counters", schemaRef("Status"),
                                               answer(QStringLiteral(R"({"instance": "gw-1", "version": "1.0.0", "uptimeSeconds": 3600, "requestsPerSecond": 12.5, "database": {"url": "sqlite:/var/lib/tollgate/tollgate.db", "status": "up"}, "redis": {"status": "disabled"}, "upstreams": {"search": {"status": "up", "latencyMs": 12, "checkedAt": "2026-01-05T10:00:00Z", "instances": []}}, "counters": {"creditsCharged": 118, "inFlight": 1, "rateLimited": 0, "requests": {"total": 130, "2xx": 125, "3xx": 0, "4xx": 5, "5xx": 0}}, "usage": {"pendingRows": 0, "writing": false, "failedWrites": 0}})"))}},
    };
    return table.value(route);
}

QJsonArray parametersOf(const ManagementApi::Route &route)
{
    QJsonArray parameters;
    const QJsonObject string = type("string");
    const QJsonObject days = type("integer", R"({"minimum": 1, "maximum": 366})");
    if (route.path.contains("{id}"))
        parameters.append(param("id", "path", string, "Key id (key_…)"));
    if (route.path == "/api-keys" || route.path == "/admin/api-keys") {
        if (route.method != "GET")
            return parameters;
        parameters.append(param("cursor", "query", string, "meta.next_cursor of the previous page (a malformed one is 400)"));
        parameters.append(param("limit", "query", type("integer", R"({"minimum": 1, "maximum": 200, "default": 50})"), "Page size"));
        if (route.adminOnly) {
            parameters.append(param("q", "query", string,
                                    "Search: name contains it (case-insensitive), or id, user id or the key's last 4 characters equal it"));
            parameters.append(param("userId", "query", string, "Only this user's keys"));
            parameters.append(param("tier", "query", string, "Only keys of this tier"));
            parameters.append(param("status", "query", schemaRef("KeyStatus"), "Only keys in this state"));
            parameters.append(param("active", "query", type("boolean"), "Only active (true) or inactive (false) keys"));
        }
    } else if (route.path.endsWith("/usage") || route.path.endsWith("/usage/summary")) {
        parameters.append(param("days", "query", days, "Days back (30)"));
    } else if (route.path == "/admin/usage/daily") {
        parameters.append(param("days", "query", days, "UTC days back, today included (30)"));
        parameters.append(param("keyId", "query", string, "Only this key"));
        parameters.append(param("endpoint", "query", string, "Only this endpoint (search, extract/bulk, stt/transcribe, …)"));
    } else if (route.path == "/admin/usage/top-keys" || route.path == "/admin/usage/top-users") {
        parameters.append(param("days", "query", days, route.path.endsWith("keys") ? "UTC days back, today included (1)" : "Days back (30)"));
        parameters.append(param("limit", "query", type("integer", R"({"minimum": 1, "maximum": 1000, "default": 10})"), "How many"));
    } else if (route.path == "/admin/audit") {
        parameters.append(param("cursor", "query", string, "meta.next_cursor of the previous page (a malformed one is 400)"));
        parameters.append(param("limit", "query", type("integer", R"({"minimum": 1, "maximum": 500, "default": 50})"), "Page size"));
        parameters.append(param("actor", "query", string, "Only entries by this actor, exactly (cli, a user id, admin-token:<name>)"));
        parameters.append(param("action", "query", string, "Only entries of this action (key.create, key.revoke, tier.update, …)"));
        parameters.append(param("keyId", "query", string, "Only entries about this key"));
        parameters.append(param("targetId", "query", string, "Only entries about this key or tier"));
    }
    return parameters;
}

// /health*, /metrics and this document: no credentials (security: []).
QJsonObject publicOperation(const char *operationId, const char *summary, const char *tag, const char *responses)
{
    QJsonObject operation = literal(responses);
    // The HTTP front's refusal of an oversized head applies here too (and is this route's only 4xx).
    operation.insert(QStringLiteral("431"), ref("responses", QStringLiteral("RequestHeaderFieldsTooLarge")));
    return QJsonObject{{QStringLiteral("operationId"), QLatin1String(operationId)}, {QStringLiteral("summary"), QLatin1String(summary)},
                       {QStringLiteral("tags"), QJsonArray{QLatin1String(tag)}}, {QStringLiteral("security"), QJsonArray()},
                       {QStringLiteral("responses"), operation}};
}

void addOperation(QJsonObject &paths, const QByteArray &path, const QByteArray &method, const QJsonObject &operation)
{
    const QString p = QString::fromLatin1(path);
    QJsonObject item = paths.value(p).toObject();
    item.insert(QString::fromLatin1(method).toLower(), operation);
    paths.insert(p, item);
}

} // namespace

namespace openapi {

QJsonObject managementOperation(const ManagementApi::Route &route)
{
    const QString key = QString::fromLatin1(route.method + ' ' + route.path);
    const ManagementDocs docs = docsFor(key);
    QJsonObject ok{{QStringLiteral("description"), QLatin1String(docs.okDescription)},
                   {QStringLiteral("headers"), QJsonObject{{QStringLiteral("X-Request-ID"), ref("headers", QStringLiteral("X-Request-ID"))}}}};
    const QJsonObject data = docs.okData.isEmpty() ? type("object", R"({"additionalProperties": true})") : docs.okData;
    ok.insert(QStringLiteral("content"), jsonContent(envelope(data), docs.okExample.isEmpty() ? QJsonValue() : QJsonValue(literal(docs.okExample.toUtf8().constData()))));
    QStringList errors{QStringLiteral("400"), QStringLiteral("401"), QStringLiteral("403"), QStringLiteral("429"), QStringLiteral("500"), QStringLiteral("503")};
    if (route.path.contains("{id}"))
        errors.insert(3, QStringLiteral("404"));
    QJsonObject responses = errorResponses(errors);
    responses.insert(QString::number(docs.okStatus), ok);
    QJsonObject operation{
        {QStringLiteral("operationId"), docs.operationId ? QLatin1String(docs.operationId) : operationIdOf(route.method, route.path)},
        {QStringLiteral("summary"), docs.summary ? QLatin1String(docs.summary) : QString::fromLatin1(route.method + ' ' + route.path)},
        {QStringLiteral("tags"), QJsonArray{route.adminOnly ? QStringLiteral("admin") : QStringLiteral("keys")}},
        {QStringLiteral("security"), QJsonArray{QJsonObject{{QStringLiteral("bearer"), QJsonArray()}}}},
        {QStringLiteral("responses"), responses},
    };
    const QJsonArray parameters = parametersOf(route);
    if (!parameters.isEmpty())
        operation.insert(QStringLiteral("parameters"), parameters);
    if (docs.requestSchema) {
        QJsonValue example = docs.requestExample ? QJsonValue(literal(docs.requestExample)) : QJsonValue();
        if (!docs.requestExample && key == QLatin1String("PUT /admin/tiers"))
            example = literal(QStringLiteral(R"({"tiers": [%1]})").arg(QString::fromUtf8(SampleTier)).toUtf8().constData());
        operation.insert(QStringLiteral("requestBody"),
                         QJsonObject{{QStringLiteral("required"), true}, {QStringLiteral("content"), jsonContent(schemaRef(docs.requestSchema), example)}});
    }
    return operation;
}

} // namespace openapi

QJsonObject openApiDocument()
{
    QJsonObject paths;
    const gateway::RouteTable table = gateway::RouteTable::defaults();
    QStringList groups;
    for (const gateway::Route &route : table.routes()) {
        addOperation(paths, route.path, route.method, v1Operation(route));
        if (!groups.contains(route.group))
            groups.append(route.group);
    }
    for (const ManagementApi::Route &route : ManagementApi::routes())
        addOperation(paths, route.path, route.method, managementOperation(route));
    addOperation(paths, "/webhooks/billing", "POST", billingWebhookOperation());
    addOperation(paths, "/health", "GET", publicOperation("getHealth", "Database, Redis and upstream state", "operations", R"json({
        "200": {"description": "ok, or degraded when the database or an upstream is down",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"},
                  "example": {"status": "ok", "database": "up", "redis": "disabled", "upstreams": {"search": {"status": "up", "latencyMs": 12}},
                              "version": "1.0.0", "uptimeSeconds": 3600}}}}})json"));
    addOperation(paths, "/health/live", "GET", publicOperation("getLiveness", "200 while serving", "operations", R"json({
        "200": {"description": "Serving", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HealthState"}, "example": {"status": "ok"}}}}})json"));
    addOperation(paths, "/health/ready", "GET", publicOperation("getReadiness", "503 while the database is unreachable", "operations", R"json({
        "200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HealthState"}, "example": {"status": "ready"}}}},
        "503": {"description": "Not ready: the database is unreachable", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HealthState"}, "example": {"status": "unavailable"}}}}})json"));
    addOperation(paths, "/metrics", "GET", publicOperation("getMetrics", "Prometheus metrics", "operations", R"json({
        "200": {"description": "Prometheus text exposition format 0.0.4",
                "content": {"text/plain": {"schema": {"type": "string"}, "example": "# TYPE tollgate_requests_total counter\ntollgate_requests_total{route=\"/v1/search\",method=\"POST\",status=\"200\",tier=\"pro\"} 118\n"}}}})json"));
    addOperation(paths, "/openapi.json", "GET", publicOperation("getOpenApi", "This document", "operations", R"json({
        "200": {"description": "OpenAPI 3.0", "content": {"application/json": {"schema": {"type": "object", "additionalProperties": true}, "example": {"openapi": "3.0.3"}}}}})json"));

    QJsonArray tags;
    for (const QString &group : groups)
        tags.append(QJsonObject{{QStringLiteral("name"), group}, {QStringLiteral("description"), QStringLiteral("/v1 calls of the %1 endpoint group (X-API-Key)").arg(group)}});
    tags.append(literal(R"json({"name": "keys", "description": "Your own API keys and their usage (Bearer JWT)"})json"));
    tags.append(literal(R"json({"name": "admin", "description": "Every key, usage, tiers, audit and status (admin JWT or tga_ admin token)"})json"));
    tags.append(literal(R"json({"name": "webhooks", "description": "Events in from billing (Stripe-Signature; no other credentials)"})json"));
    tags.append(literal(R"json({"name": "operations", "description": "Health, metrics and this document; no credentials"})json"));
    QJsonObject info = literal(R"({"title": "Tollgate",
        "description": "API keys, tiers, rate limits and credits in front of search, extraction, STT and TTS services. /v1 bodies pass through to the upstream untouched.",
        "license": {"name": "Proprietary", "url": "https://tollgate.invalid/license"},
        "contact": {"name": "Tollgate developers", "email": "dev@tollgate.invalid", "url": "https://tollgate.invalid"}})");
    info.insert(QStringLiteral("version"), QStringLiteral(TOLLGATE_VERSION));
    return QJsonObject{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"), info},
        // Relative: the document is served by the gateway it describes, on whatever address the client reached.
        {QStringLiteral("servers"), QJsonArray{literal(R"({"url": "/", "description": "The gateway serving this document"})")}},
        {QStringLiteral("tags"), tags},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), components()},
    };
}

} // namespace tollgate::api
