#include "server/api/OpenApi.h"

#include "core/keys/FieldLimits.h"
#include "server/api/ManagementApi.h"
#include "server/gateway/Route.h"

#include <QJsonArray>

namespace tollgate::api {

namespace {

QJsonObject ref(const char *schema)
{
    return QJsonObject{{QStringLiteral("$ref"), QStringLiteral("#/components/schemas/%1").arg(QLatin1String(schema))}};
}

QJsonObject json(const QJsonObject &schema)
{
    return QJsonObject{{QStringLiteral("application/json"), QJsonObject{{QStringLiteral("schema"), schema}}}};
}

QJsonObject response(const char *description, const QJsonObject &schema = {})
{
    QJsonObject out{{QStringLiteral("description"), QLatin1String(description)}};
    if (!schema.isEmpty())
        out.insert(QStringLiteral("content"), json(schema));
    return out;
}

QJsonObject envelope(const QJsonObject &data)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"), QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("meta"), ref("Meta")}}}};
}

QJsonObject arrayOf(const QJsonObject &items)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), items}};
}

QJsonObject param(const char *name, const char *in, const char *type, const char *description, bool required = false)
{
    return QJsonObject{{QStringLiteral("name"), QLatin1String(name)}, {QStringLiteral("in"), QLatin1String(in)},
                       {QStringLiteral("required"), required || QLatin1String(in) == QLatin1String("path")},
                       {QStringLiteral("description"), QLatin1String(description)},
                       {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), QLatin1String(type)}}}};
}

QJsonObject errors(std::initializer_list<std::pair<const char *, const char *>> list)
{
    QJsonObject out;
    for (const auto &[status, description] : list)
        out.insert(QLatin1String(status), response(description, ref("Error")));
    return out;
}

QJsonObject object(std::initializer_list<std::pair<const char *, const char *>> fields, QStringList required = {})
{
    QJsonObject properties;
    for (const auto &[name, type] : fields) {
        const QString t = QLatin1String(type);
        if (t.endsWith(QLatin1String("[]")))
            properties.insert(QLatin1String(name), arrayOf({{QStringLiteral("type"), t.chopped(2)}}));
        else if (t == QLatin1String("nullable-integer"))
            properties.insert(QLatin1String(name), QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")}, {QStringLiteral("nullable"), true}});
        else if (t == QLatin1String("date-time"))
            properties.insert(QLatin1String(name), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("format"), t},
                                                               {QStringLiteral("nullable"), true}});
        else
            properties.insert(QLatin1String(name), QJsonObject{{QStringLiteral("type"), t}});
    }
    QJsonObject out{{QStringLiteral("type"), QStringLiteral("object")}, {QStringLiteral("properties"), properties}};
    if (!required.isEmpty())
        out.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
    return out;
}

QJsonObject withProperty(QJsonObject schema, const char *name, const QJsonObject &property)
{
    QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
    properties.insert(QLatin1String(name), property);
    schema.insert(QStringLiteral("properties"), properties);
    return schema;
}

QJsonObject withDescription(QJsonObject schema, const char *description)
{
    schema.insert(QStringLiteral("description"), QLatin1String(description));
    return schema;
}

QJsonObject nullable(const char *type, const char *format = nullptr)
{
    QJsonObject out{{QStringLiteral("type"), QLatin1String(type)}, {QStringLiteral("nullable"), true}};
    if (format)
        out.insert(QStringLiteral("format"), QLatin1String(format));
    return out;
}

QJsonObject enumOf(const QStringList &values)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("enum"), QJsonArray::fromStringList(values)}};
}

// GET /admin/status.
QJsonObject statusSchema()
{
    const QStringList states{QStringLiteral("up"), QStringLiteral("down"), QStringLiteral("unknown")};
    QJsonObject probe = object({});
    probe = withProperty(probe, "status", enumOf(states));
    probe = withProperty(probe, "latencyMs", nullable("integer"));
    probe = withProperty(probe, "checkedAt", nullable("string", "date-time"));
    QJsonObject instance = withProperty(probe, "url", QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    QJsonObject upstream = withProperty(probe, "instances", arrayOf(instance));
    QJsonObject requests = object({{"total", "integer"}, {"2xx", "integer"}, {"3xx", "integer"}, {"4xx", "integer"}, {"5xx", "integer"}});
    QJsonObject counters = withDescription(
        withProperty(object({{"creditsCharged", "integer"}, {"inFlight", "integer"}, {"rateLimited", "integer"}}), "requests", requests),
        "Monotonic since this process started (derive rates from two readings). requests counts every answered /v1 and "
        "management request (/api-keys, /admin, /openapi.json, CORS preflights) by status class, /admin/status itself "
        "included; not the HTTP front's refusals before routing (400 framing, 413, 431), /health*, /metrics, nor /v1 calls "
        "whose client left before the answer. creditsCharged: credits charged by /v1 calls. rateLimited: 429s of a key's "
        "rate limit or of the per-address limit of failed authentications. inFlight is a gauge: HTTP requests being "
        "handled now, of any route, this one included.");
    QJsonObject schema = object({{"instance", "string"}, {"version", "string"}, {"uptimeSeconds", "integer"}, {"requestsPerSecond", "number"}});
    schema = withProperty(schema, "database", withProperty(object({{"url", "string"}}), "status", enumOf({QStringLiteral("up"), QStringLiteral("down")})));
    schema = withProperty(schema, "redis", withProperty(object({}), "status",
                                                        enumOf({QStringLiteral("disabled"), QStringLiteral("up"), QStringLiteral("down")})));
    schema = withProperty(schema, "upstreams", QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                                          {QStringLiteral("additionalProperties"), upstream}});
    schema = withProperty(schema, "counters", counters);
    schema = withProperty(schema, "usage", object({{"pendingRows", "integer"}, {"writing", "boolean"}, {"failedWrites", "integer"}}));
    return schema;
}

QJsonObject components()
{
    const QJsonObject apiKey = object({{"id", "string"}, {"name", "string"}, {"description", "string"}, {"userId", "string"}, {"tier", "string"},
                                       {"maskedKey", "string"}, {"isTest", "boolean"}, {"status", "string"}, {"rateLimit", "integer"},
                                       {"rateWindowSeconds", "integer"}, {"monthlyCredits", "integer"}, {"creditsUsed", "integer"},
                                       {"creditsRemaining", "integer"}, {"allowedEndpoints", "string[]"}, {"allowedIps", "string[]"},
                                       {"expiresAt", "date-time"}, {"lastUsedAt", "date-time"}, {"createdAt", "date-time"}});
    QJsonObject created = object({{"key", "string"}});
    QJsonObject createdProperties = created.value(QStringLiteral("properties")).toObject();
    createdProperties.insert(QStringLiteral("apiKey"), ref("ApiKey"));
    created.insert(QStringLiteral("properties"), createdProperties);
    const QJsonObject errorBody = object({{"code", "string"}, {"message", "string"}, {"request_id", "string"}}, {"code", "message", "request_id"});
    return QJsonObject{
        {QStringLiteral("securitySchemes"), QJsonObject{
            {QStringLiteral("apiKey"), QJsonObject{{QStringLiteral("type"), QStringLiteral("apiKey")}, {QStringLiteral("in"), QStringLiteral("header")},
                                                   {QStringLiteral("name"), QStringLiteral("X-API-Key")}}},
            {QStringLiteral("bearer"), QJsonObject{{QStringLiteral("type"), QStringLiteral("http")}, {QStringLiteral("scheme"), QStringLiteral("bearer")},
                                                   {QStringLiteral("description"), QStringLiteral("A JWT verified against the JWKS, or an admin token (tga_…).")}}}}},
        {QStringLiteral("schemas"), QJsonObject{
            {QStringLiteral("ApiKey"), apiKey},
            {QStringLiteral("CreatedKey"), created},
            {QStringLiteral("Tier"), object({{"slug", "string"}, {"name", "string"}, {"rateLimit", "integer"}, {"rateWindowSeconds", "integer"},
                                              {"monthlyCredits", "integer"}, {"endpoints", "string[]"}, {"priceCents", "integer"}},
                                             {"slug", "rateLimit", "rateWindowSeconds", "monthlyCredits", "endpoints"})},
            {QStringLiteral("UsageOutcomes"), withDescription(
                object({{"ok", "integer"}, {"upstreamError", "integer"}, {"rateLimited", "integer"}, {"insufficientCredits", "integer"},
                        {"forbidden", "integer"}, {"clientError", "integer"}, {"clientClosed", "integer"}}),
                "What the /v1 calls of a valid, active key came to; each call counts in exactly one, so they add up to requests. "
                "ok: the upstream answered 2xx (charged). upstreamError: 5xx or another non-2xx, non-4xx answer of the upstream, "
                "unreachable or timed out, or the gateway's own 5xx. rateLimited: 429. insufficientCredits: 402. forbidden: 403, "
                "endpoint group or client address not allowed. clientError: a 4xx of the upstream, or a body the gateway refused "
                "(400). clientClosed: the client left before the answer was complete. Calls with a revoked or expired key are "
                "failed authentications, not usage.")},
            {QStringLiteral("UsageRow"), withProperty(object({{"date", "string"}, {"endpoint", "string"}, {"requests", "integer"}, {"credits", "integer"},
                                                  {"errors", "integer"}, {"avgLatencyMs", "number"}, {"bytesIn", "integer"}, {"bytesOut", "integer"}}),
                                                  "outcomes", ref("UsageOutcomes"))},
            {QStringLiteral("UsageTotals"), withProperty(object({{"days", "integer"}, {"requests", "integer"}, {"credits", "integer"}, {"errors", "integer"},
                                                     {"avgLatencyMs", "number"}, {"bytesIn", "integer"}, {"bytesOut", "integer"}}),
                                                     "outcomes", ref("UsageOutcomes"))},
            {QStringLiteral("TopKey"), withProperty(object({{"keyId", "string"}, {"name", "string"}, {"userId", "string"}, {"tier", "string"},
                                                             {"requests", "integer"}, {"credits", "integer"}, {"errors", "integer"},
                                                             {"avgLatencyMs", "number"}, {"bytesIn", "integer"}, {"bytesOut", "integer"}}),
                                                    "outcomes", ref("UsageOutcomes"))},
            {QStringLiteral("Status"), statusSchema()},
            {QStringLiteral("AuditEntry"), object({{"id", "string"}, {"at", "date-time"}, {"actor", "string"}, {"action", "string"},
                                                    {"targetType", "string"}, {"targetId", "string"}, {"before", "object"}, {"after", "object"}})},
            {QStringLiteral("Meta"), object({{"next_cursor", "string"}, {"count", "integer"}})},
            {QStringLiteral("Error"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                                  {QStringLiteral("properties"), QJsonObject{{QStringLiteral("error"), errorBody}}}}},
        }},
    };
}

QJsonObject v1Operation(const gateway::Route &route)
{
    QJsonObject operation{
        {QStringLiteral("summary"), QStringLiteral("Proxied to the %1 service (%2)").arg(route.upstream, QString::fromLatin1(route.upstreamPath))},
        {QStringLiteral("tags"), QJsonArray{QStringLiteral("public")}},
        {QStringLiteral("security"), QJsonArray{QJsonObject{{QStringLiteral("apiKey"), QJsonArray()}}}},
        {QStringLiteral("parameters"), QJsonArray{param("X-Request-ID", "header", "string", "Your request id, echoed and forwarded")}},
        {QStringLiteral("responses"), [] {
             QJsonObject responses = errors({{"400", "INVALID_REQUEST"}, {"401", "MISSING_API_KEY, INVALID_API_KEY, API_KEY_REVOKED, API_KEY_EXPIRED"},
                                             {"402", "INSUFFICIENT_CREDITS"}, {"403", "ENDPOINT_NOT_ALLOWED, IP_NOT_ALLOWED"},
                                             {"413", "PAYLOAD_TOO_LARGE"}, {"429", "RATE_LIMITED (with Retry-After)"},
                                             {"502", "UPSTREAM_UNAVAILABLE"}, {"503", "SERVICE_UNAVAILABLE: the key store is unreachable and the key is not cached (with Retry-After)"},
                                             {"504", "UPSTREAM_TIMEOUT"}});
             responses.insert(QStringLiteral("200"), QJsonObject{{QStringLiteral("description"), QStringLiteral(
                 "The upstream's answer, untouched; X-RateLimit-*, X-Credits-Remaining and (when charged) X-Credits-Charged headers.")}});
             return responses;
         }()},
    };
    if (route.method == "POST") {
        const QString media = route.streamBody ? QStringLiteral("multipart/form-data") : QStringLiteral("application/json");
        operation.insert(QStringLiteral("requestBody"), QJsonObject{
            {QStringLiteral("required"), true},
            {QStringLiteral("content"), QJsonObject{{media, QJsonObject{{QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}}}}}});
    }
    return operation;
}

// The sizes of core/keys/FieldLimits.h, on a body schema's name, description and lists.
QJsonObject withLimits(QJsonObject schema)
{
    if (!schema.contains(QStringLiteral("properties")))
        return schema;
    QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        QJsonObject property = it.value().toObject();
        if (it.key() == QLatin1String("name"))
            property.insert(QStringLiteral("maxLength"), limits::MaxNameCharacters);
        else if (it.key() == QLatin1String("description"))
            property.insert(QStringLiteral("maxLength"), limits::MaxDescriptionCharacters);
        else if (property.value(QStringLiteral("type")) == QLatin1String("array"))
            property.insert(QStringLiteral("maxItems"), limits::MaxListEntries);
        else
            continue;
        it.value() = property;
    }
    schema.insert(QStringLiteral("properties"), properties);
    return schema;
}

// What each management route takes and gives.
QJsonObject managementOperation(const ManagementApi::Route &route)
{
    const QString key = QString::fromLatin1(route.method + ' ' + route.path);
    QJsonArray parameters;
    if (route.path.contains("{id}"))
        parameters.append(param("id", "path", "string", "Key id (key_…)"));
    QJsonObject body;
    QJsonObject ok = response("OK", envelope(ref("ApiKey")));
    QString okStatus = QStringLiteral("200");
    const QJsonObject keyPatch = object({{"name", "string"}, {"description", "string"}, {"allowedEndpoints", "string[]"},
                                         {"allowedIps", "string[]"}, {"expiresAt", "date-time"}});
    if (key == QLatin1String("POST /api-keys")) {
        body = object({{"name", "string"}, {"description", "string"}, {"tier", "string"}, {"isTest", "boolean"}, {"expiresAt", "date-time"},
                       {"allowedEndpoints", "string[]"}, {"allowedIps", "string[]"}}, {"name"});
        ok = response("Created; the raw key is shown this once", envelope(ref("CreatedKey")));
        okStatus = QStringLiteral("201");
    } else if (key == QLatin1String("POST /admin/api-keys")) {
        body = object({{"userId", "string"}, {"name", "string"}, {"description", "string"}, {"tier", "string"}, {"isTest", "boolean"},
                       {"expiresAt", "date-time"}, {"allowedEndpoints", "string[]"}, {"allowedIps", "string[]"},
                       {"rateLimit", "nullable-integer"}, {"rateWindowSeconds", "nullable-integer"}, {"monthlyCredits", "nullable-integer"}},
                      {"userId", "name"});
        ok = response("Created for that user (not counted toward MAX_KEYS_PER_USER); the raw key is shown this once",
                      envelope(ref("CreatedKey")));
        okStatus = QStringLiteral("201");
    } else if (key == QLatin1String("GET /api-keys") || key == QLatin1String("GET /admin/api-keys")) {
        parameters.append(param("cursor", "query", "string", "meta.next_cursor of the previous page"));
        parameters.append(param("limit", "query", "integer", "Page size, 1-200 (50)"));
        if (route.adminOnly) {
            parameters.append(param("q", "query", "string",
                                    "Search: name contains it (case-insensitive), or id, user id or the key's last 4 characters equal it"));
            parameters.append(param("userId", "query", "string", "Only this user's keys"));
            parameters.append(param("tier", "query", "string", "Only keys of this tier"));
            QJsonObject status = param("status", "query", "string", "Only keys in this state");
            status.insert(QStringLiteral("schema"), enumOf({QStringLiteral("active"), QStringLiteral("revoked"), QStringLiteral("expired")}));
            parameters.append(status);
            parameters.append(param("active", "query", "boolean", "Only active (true) or inactive (false) keys"));
        }
        ok = response("Newest first, masked", envelope(arrayOf(ref("ApiKey"))));
    } else if (key == QLatin1String("PATCH /api-keys/{id}")) {
        body = keyPatch;
    } else if (key == QLatin1String("PATCH /admin/api-keys/{id}")) {
        body = object({{"name", "string"}, {"description", "string"}, {"allowedEndpoints", "string[]"}, {"allowedIps", "string[]"},
                       {"expiresAt", "date-time"}, {"tier", "string"}, {"rateLimit", "nullable-integer"},
                       {"rateWindowSeconds", "nullable-integer"}, {"monthlyCredits", "nullable-integer"}, {"grantCredits", "integer"}});
    } else if (key == QLatin1String("POST /api-keys/{id}/regenerate") || key == QLatin1String("POST /admin/api-keys/{id}/regenerate")) {
        body = object({{"graceSeconds", "integer"}});
        ok = response("New secret, shown this once", envelope(ref("CreatedKey")));
    } else if (route.path.endsWith("/usage")) {
        parameters.append(param("days", "query", "integer", "Days back, 1-366 (30)"));
        ok = response("Per day and endpoint", envelope(arrayOf(ref("UsageRow"))));
    } else if (route.path.endsWith("/usage/summary")) {
        parameters.append(param("days", "query", "integer", "Days back, 1-366 (30)"));
        ok = response("Totals", envelope(ref("UsageTotals")));
    } else if (route.path == "/admin/usage/daily") {
        parameters.append(param("days", "query", "integer", "UTC days back, today included, 1-366 (30)"));
        parameters.append(param("keyId", "query", "string", "Only this key"));
        parameters.append(param("endpoint", "query", "string", "Only this endpoint (search, extract/bulk, stt/transcribe, …)"));
        ok = response("Per UTC day (ISO date) and endpoint, summed over keys, oldest first, with outcomes",
                      envelope(arrayOf(ref("UsageRow"))));
    } else if (route.path == "/admin/usage/top-keys") {
        parameters.append(param("days", "query", "integer", "UTC days back, today included, 1-366 (1)"));
        parameters.append(param("limit", "query", "integer", "How many keys, 1-1000 (10)"));
        ok = response("Keys by credits spent, then by requests", envelope(arrayOf(ref("TopKey"))));
    } else if (route.path == "/admin/usage/top-users") {
        parameters.append(param("days", "query", "integer", "Days back, 1-366 (30)"));
        parameters.append(param("limit", "query", "integer", "How many users, 1-1000 (10)"));
        ok = response("Users by credits spent", envelope(arrayOf(ref("UsageTotals"))));
    } else if (route.path == "/admin/tiers") {
        if (route.method == "PUT") {
            body = QJsonObject{{QStringLiteral("description"), QStringLiteral(
                                   "The whole set: a bare array of tiers, {\"tiers\": [...]}, or exactly what GET /admin/tiers "
                                   "answers ({\"data\": [...], \"meta\": {}}). A tier still used by keys (revoked ones "
                                   "included) cannot be left out: 400 naming it and how many keys use it.")},
                               {QStringLiteral("oneOf"), QJsonArray{arrayOf(ref("Tier")), withProperty(object({}), "tiers", arrayOf(ref("Tier"))),
                                                                    withProperty(withProperty(object({}), "data", arrayOf(ref("Tier"))), "meta", ref("Meta"))}}};
        }
        ok = response("All tiers", envelope(arrayOf(ref("Tier"))));
    } else if (route.path == "/admin/audit") {
        parameters.append(param("cursor", "query", "string", "meta.next_cursor of the previous page"));
        parameters.append(param("limit", "query", "integer", "Page size, 1-500 (50)"));
        parameters.append(param("actor", "query", "string", "Only entries by this actor, exactly (cli, a user id, admin-token:<name>)"));
        parameters.append(param("action", "query", "string", "Only entries of this action (key.create, key.revoke, tier.update, ...)"));
        parameters.append(param("keyId", "query", "string", "Only entries about this key"));
        parameters.append(param("targetId", "query", "string", "Only entries about this key or tier"));
        ok = response("Newest first", envelope(arrayOf(ref("AuditEntry"))));
    } else if (route.path == "/admin/status") {
        ok = response("Instance, version, uptime, database, Redis and every upstream instance, monotonic counters",
                      envelope(ref("Status")));
    }
    QJsonObject responses = errors({{"400", "INVALID_REQUEST"}, {"401", "UNAUTHORIZED"}, {"403", "FORBIDDEN"}, {"404", "NOT_FOUND"},
                                    {"429", "RATE_LIMITED: too many failed authentications from this address (with Retry-After)"},
                                    {"503", "SERVICE_UNAVAILABLE: the gateway's database is unreachable (with Retry-After); "
                                            "UPSTREAM_UNAVAILABLE: the JWKS could not be fetched"}});
    responses.insert(okStatus, ok);
    QJsonObject operation{{QStringLiteral("tags"), QJsonArray{route.adminOnly ? QStringLiteral("admin") : QStringLiteral("management")}},
                          {QStringLiteral("security"), QJsonArray{QJsonObject{{QStringLiteral("bearer"), QJsonArray()}}}},
                          {QStringLiteral("parameters"), parameters},
                          {QStringLiteral("responses"), responses}};
    if (!body.isEmpty())
        operation.insert(QStringLiteral("requestBody"), QJsonObject{{QStringLiteral("required"), true}, {QStringLiteral("content"), json(withLimits(body))}});
    return operation;
}

void addOperation(QJsonObject &paths, const QByteArray &path, const QByteArray &method, const QJsonObject &operation)
{
    const QString p = QString::fromLatin1(path);
    QJsonObject item = paths.value(p).toObject();
    item.insert(QString::fromLatin1(method).toLower(), operation);
    paths.insert(p, item);
}

} // namespace

QJsonObject openApiDocument()
{
    QJsonObject paths;
    const gateway::RouteTable table = gateway::RouteTable::defaults();
    for (const gateway::Route &route : table.routes())
        addOperation(paths, route.path, route.method, v1Operation(route));
    for (const ManagementApi::Route &route : ManagementApi::routes())
        addOperation(paths, route.path, route.method, managementOperation(route));
    const QJsonObject plain{{QStringLiteral("tags"), QJsonArray{QStringLiteral("operations")}}};
    auto ops = [&plain](const char *summary, QJsonObject responses) {
        QJsonObject operation = plain;
        operation.insert(QStringLiteral("summary"), QLatin1String(summary));
        operation.insert(QStringLiteral("responses"), responses);
        return operation;
    };
    addOperation(paths, "/health", "GET", ops("Database, Redis and upstream state", {{QStringLiteral("200"), response("ok or degraded", {{QStringLiteral("type"), QStringLiteral("object")}})}}));
    addOperation(paths, "/health/live", "GET", ops("200 while serving", {{QStringLiteral("200"), response("Serving")}}));
    addOperation(paths, "/health/ready", "GET", ops("503 while the database is unreachable", {{QStringLiteral("200"), response("Ready")}, {QStringLiteral("503"), response("Not ready")}}));
    addOperation(paths, "/metrics", "GET", ops("Prometheus text format", {{QStringLiteral("200"), response("Metrics")}}));
    addOperation(paths, "/openapi.json", "GET", ops("This document", {{QStringLiteral("200"), response("OpenAPI 3")}}));
    return QJsonObject{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Tollgate")}, {QStringLiteral("version"), QStringLiteral(TOLLGATE_VERSION)},
                                             {QStringLiteral("description"), QStringLiteral("API keys, tiers, rate limits and credits in front of search, extraction, STT and TTS services.")}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), components()},
    };
}

} // namespace tollgate::api
