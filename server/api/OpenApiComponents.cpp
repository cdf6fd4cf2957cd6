// components/: the schemas of every body the gateway takes and gives (management and /v1), the response headers of
// /v1, the error answers and the security schemes. JSON literals, so the document reads as what it serves.
#include "server/api/OpenApiParts.h"

#include "core/credits/CostRules.h"
#include "core/keys/FieldLimits.h"

namespace tollgate::api::openapi {

namespace {

// The contract's "Envelope and errors" list, in its order.
const char *const ErrorCodes[] = {
    "MISSING_API_KEY", "INVALID_API_KEY", "API_KEY_REVOKED", "API_KEY_EXPIRED", "UNAUTHORIZED", "FORBIDDEN",
    "ENDPOINT_NOT_ALLOWED", "IP_NOT_ALLOWED", "INSUFFICIENT_CREDITS", "RATE_LIMITED", "INVALID_REQUEST", "NOT_FOUND",
    "METHOD_NOT_ALLOWED", "PAYLOAD_TOO_LARGE", "REQUEST_HEADER_FIELDS_TOO_LARGE", "NOT_IMPLEMENTED",
    "UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT", "SERVICE_UNAVAILABLE", "INTERNAL"};

const char *const Headers = R"json({
  "X-Request-ID": {"description": "The request id: the client's own X-Request-ID when sane (at most 128 visible characters), else a new one. Forwarded upstream and logged.",
                   "schema": {"type": "string", "maxLength": 128}, "example": "req_3f9c2a7b1e"},
  "X-RateLimit-Limit": {"description": "Requests the key may make per window (its tightest applying limit).", "schema": {"type": "integer", "minimum": 0}, "example": 100},
  "X-RateLimit-Remaining": {"description": "Requests left in the current window.", "schema": {"type": "integer", "minimum": 0}, "example": 42},
  "X-RateLimit-Reset": {"description": "When the window frees a request again, in Unix seconds.", "schema": {"type": "integer"}, "example": 1767225600},
  "RateLimit-Policy": {"description": "draft-ietf-httpapi-ratelimit-headers: one item per applying limit, with its quota q and window w (s).",
                       "schema": {"type": "string"}, "example": "\"key\";q=100;w=60, \"stt\";q=5;w=3600"},
  "RateLimit": {"description": "draft-ietf-httpapi-ratelimit-headers: one item per applying limit, with what remains r and the seconds t until it resets.",
                "schema": {"type": "string"}, "example": "\"key\";r=42;t=17"},
  "X-Credits-Remaining": {"description": "Credits left in the key's current period (calendar month, UTC).", "schema": {"type": "integer", "minimum": 0}, "example": 4958},
  "X-Credits-Charged": {"description": "Credits this call cost; only on charged (2xx) answers.", "schema": {"type": "integer", "minimum": 0}, "example": 1},
  "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "minimum": 0}, "example": 17},
  "WWW-Authenticate": {"description": "The scheme the route expects (RFC 9110 11.6.1): on /v1 `ApiKey realm=\"tollgate\", header=\"X-API-Key\"`; on the management API `Bearer realm=\"tollgate\"`, with `error=\"invalid_token\"` when a bearer token was presented and refused (RFC 6750).", "schema": {"type": "string"}, "example": "Bearer realm=\"tollgate\", error=\"invalid_token\""}
})json";

const char *const Schemas = R"json({
  "Error": {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "request_id"],
      "properties": {"code": {"$ref": "#/components/schemas/ErrorCode"},
                     "message": {"type": "string", "description": "For people; never a stack, SQL, raw key or token."},
                     "request_id": {"type": "string", "description": "The X-Request-ID of the call."}}}}},
  "Meta": {"type": "object", "description": "Paging and echoes of the query: next_cursor is absent on the last page.",
           "properties": {"next_cursor": {"type": "string"}, "count": {"type": "integer"}, "days": {"type": "integer"}},
           "additionalProperties": true},
  "KeyStatus": {"type": "string", "enum": ["active", "revoked", "expired"]},
  "ApiKey": {
    "type": "object", "description": "A key as shown: masked; limits and credits are the effective values (the tier's, then the key's overrides).",
    "required": ["id", "name", "description", "userId", "tier", "maskedKey", "isTest", "status", "rateLimit", "rateWindowSeconds",
                 "monthlyCredits", "creditsUsed", "creditsRemaining", "allowedEndpoints", "allowedIps", "expiresAt", "lastUsedAt", "createdAt"],
    "properties": {
      "id": {"type": "string", "example": "key_01hx3k9d2f"}, "name": {"type": "string"}, "description": {"type": "string"},
      "userId": {"type": "string"}, "tier": {"type": "string", "description": "A tier slug."},
      "maskedKey": {"type": "string", "example": "sk_live_…abcd"}, "isTest": {"type": "boolean"},
      "status": {"$ref": "#/components/schemas/KeyStatus"},
      "rateLimit": {"type": "integer"}, "rateWindowSeconds": {"type": "integer"}, "monthlyCredits": {"type": "integer"},
      "creditsUsed": {"type": "integer"}, "creditsRemaining": {"type": "integer"},
      "allowedEndpoints": {"type": "array", "items": {"$ref": "#/components/schemas/EndpointGroup"}},
      "allowedIps": {"type": "array", "items": {"type": "string", "description": "An address or CIDR range."}},
      "expiresAt": {"type": "string", "format": "date-time", "nullable": true},
      "lastUsedAt": {"type": "string", "format": "date-time", "nullable": true},
      "createdAt": {"type": "string", "format": "date-time", "nullable": true}}},
  "CreatedKey": {"type": "object", "required": ["key", "apiKey"],
                 "properties": {"key": {"type": "string", "description": "The raw key, shown this once and never stored."},
                                "apiKey": {"$ref": "#/components/schemas/ApiKey"}}},
  "EndpointGroup": {"type": "string", "description": "search, extract, stt, tts (the groups of the route table).", "example": "search"},
  "EndpointLimit": {"type": "object", "required": ["rate", "windowSeconds"],
                    "description": "A rate limit of one endpoint group, checked together with the tier's own (all-or-nothing).",
                    "properties": {"rate": {"type": "integer", "minimum": 1}, "windowSeconds": {"type": "integer", "minimum": 1}}},
  "Tier": {
    "type": "object", "required": ["slug", "rateLimit", "rateWindowSeconds", "monthlyCredits", "endpoints"],
    "properties": {
      "slug": {"type": "string", "example": "pro"}, "name": {"type": "string"},
      "rateLimit": {"type": "integer", "minimum": 0}, "rateWindowSeconds": {"type": "integer", "minimum": 1},
      "monthlyCredits": {"type": "integer", "minimum": 0},
      "endpoints": {"type": "array", "items": {"$ref": "#/components/schemas/EndpointGroup"}},
      "priceCents": {"type": "integer", "minimum": 0},
      "endpointLimits": {"type": "object", "description": "Extra limits per endpoint group, e.g. {\"stt\": {\"rate\": 5, \"windowSeconds\": 3600}}.",
                         "additionalProperties": {"$ref": "#/components/schemas/EndpointLimit"}}}},
  "UsageOutcomes": {
    "type": "object",
    "description": "What the /v1 calls of a valid, active key came to; each call counts in exactly one, so they add up to requests. ok: the upstream answered 2xx (charged). upstreamError: 5xx or another non-2xx, non-4xx answer of the upstream, unreachable or timed out, or the gateway's own 5xx. rateLimited: 429. insufficientCredits: 402. forbidden: 403, endpoint group or client address not allowed. clientError: a 4xx of the upstream, or a body the gateway refused (400). clientClosed: the client left before the answer was complete. Calls with a revoked or expired key are failed authentications, not usage.",
    "properties": {"ok": {"type": "integer"}, "upstreamError": {"type": "integer"}, "rateLimited": {"type": "integer"},
                   "insufficientCredits": {"type": "integer"}, "forbidden": {"type": "integer"}, "clientError": {"type": "integer"},
                   "clientClosed": {"type": "integer"}}},
  "UsageRow": {"type": "object",
               "properties": {"date": {"type": "string", "format": "date"}, "endpoint": {"type": "string"}, "requests": {"type": "integer"},
                              "credits": {"type": "integer"}, "errors": {"type": "integer"}, "avgLatencyMs": {"type": "number"},
                              "bytesIn": {"type": "integer"}, "bytesOut": {"type": "integer"}, "outcomes": {"$ref": "#/components/schemas/UsageOutcomes"}}},
  "UsageTotals": {"type": "object", "additionalProperties": true,
                  "properties": {"days": {"type": "integer"}, "requests": {"type": "integer"}, "credits": {"type": "integer"},
                                 "errors": {"type": "integer"}, "avgLatencyMs": {"type": "number"}, "bytesIn": {"type": "integer"},
                                 "bytesOut": {"type": "integer"}, "creditsUsed": {"type": "integer"}, "creditsRemaining": {"type": "integer"},
                                 "userId": {"type": "string"}, "outcomes": {"$ref": "#/components/schemas/UsageOutcomes"}}},
  "TopKey": {"type": "object",
             "properties": {"keyId": {"type": "string"}, "name": {"type": "string"}, "userId": {"type": "string"}, "tier": {"type": "string"},
                            "requests": {"type": "integer"}, "credits": {"type": "integer"}, "errors": {"type": "integer"},
                            "avgLatencyMs": {"type": "number"}, "bytesIn": {"type": "integer"}, "bytesOut": {"type": "integer"},
                            "outcomes": {"$ref": "#/components/schemas/UsageOutcomes"}}},
  "AuditEntry": {"type": "object",
                 "properties": {"id": {"type": "string"}, "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
                                "action": {"type": "string"}, "targetType": {"type": "string"}, "targetId": {"type": "string"},
                                "before": {"type": "object", "nullable": true, "additionalProperties": true},
                                "after": {"type": "object", "nullable": true, "additionalProperties": true}}},
  "ProbeState": {"type": "string", "enum": ["up", "down", "unknown"]},
  "Health": {"type": "object", "required": ["status", "database", "redis", "upstreams", "version", "uptimeSeconds"],
             "properties": {"status": {"type": "string", "enum": ["ok", "degraded"]}, "database": {"type": "string", "enum": ["up", "down"]},
                            "redis": {"type": "string", "enum": ["disabled", "up", "down"]},
                            "upstreams": {"type": "object", "additionalProperties": {"type": "object",
                              "properties": {"status": {"$ref": "#/components/schemas/ProbeState"}, "latencyMs": {"type": "integer", "nullable": true}}}},
                            "version": {"type": "string"}, "uptimeSeconds": {"type": "integer"}}},
  "HealthState": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}, "additionalProperties": true},
  "Status": {
    "type": "object",
    "properties": {
      "instance": {"type": "string"}, "version": {"type": "string"}, "uptimeSeconds": {"type": "integer"}, "requestsPerSecond": {"type": "number"},
      "database": {"type": "object", "properties": {"url": {"type": "string"}, "status": {"type": "string", "enum": ["up", "down"]}}},
      "redis": {"type": "object", "properties": {"status": {"type": "string", "enum": ["disabled", "up", "down"]}, "url": {"type": "string"},
                                                 "instanceId": {"type": "string"}, "liveInstances": {"type": "integer"},
                                                 "failureMode": {"type": "string", "enum": ["local", "refuse"]}}},
      "upstreams": {"type": "object", "additionalProperties": {"type": "object", "properties": {
        "status": {"$ref": "#/components/schemas/ProbeState"}, "latencyMs": {"type": "integer", "nullable": true},
        "checkedAt": {"type": "string", "format": "date-time", "nullable": true},
        "instances": {"type": "array", "items": {"type": "object", "properties": {
          "url": {"type": "string"}, "status": {"$ref": "#/components/schemas/ProbeState"}, "latencyMs": {"type": "integer", "nullable": true},
          "checkedAt": {"type": "string", "format": "date-time", "nullable": true},
          "state": {"type": "string", "enum": ["up", "down", "open", "half-open", "unknown"], "description": "What routing sees: an open breaker is down in status, open here."},
          "breaker": {"type": "string", "enum": ["closed", "open", "half-open"]},
          "probe": {"$ref": "#/components/schemas/ProbeState"},
          "consecutiveFailures": {"type": "integer"}, "inFlight": {"type": "integer"}}}}}}},
      "counters": {"type": "object",
        "description": "Monotonic since this process started (derive rates from two readings). requests counts every answered /v1 and management request (/api-keys, /admin, /openapi.json, CORS preflights) by status class, /admin/status itself included; not the HTTP front's refusals before routing (400 framing, 413, 431), /health*, /metrics, nor /v1 calls whose client left before the answer. creditsCharged: credits charged by /v1 calls. rateLimited: 429s of a key's rate limit or of the per-address limit of failed authentications. inFlight is a gauge: HTTP requests being handled now, of any route, this one included.",
        "properties": {"creditsCharged": {"type": "integer"}, "inFlight": {"type": "integer"}, "rateLimited": {"type": "integer"},
                       "rateDecisions": {"type": "integer", "description": "Rate-limit decisions of /v1 calls, any backend."},
                       "overAdmitted": {"type": "integer", "description": "Admitted calls found beyond a limit after the fact (tollgate_ratelimit_overadmitted_total)."},
                       "requests": {"type": "object", "properties": {"total": {"type": "integer"}, "2xx": {"type": "integer"}, "3xx": {"type": "integer"},
                                                                      "4xx": {"type": "integer"}, "5xx": {"type": "integer"}}}}},
      "usage": {"type": "object", "properties": {"pendingRows": {"type": "integer"}, "writing": {"type": "boolean"}, "failedWrites": {"type": "integer"}}}}},

  "CreateKeyRequest": {"type": "object", "required": ["name"],
    "properties": {"name": {"type": "string", "minLength": 1}, "description": {"type": "string"},
                   "tier": {"type": "string", "description": "A tier slug (default free); capped by the JWT's plan claim."},
                   "isTest": {"type": "boolean", "description": "Makes an sk_test_ key."},
                   "expiresAt": {"type": "string", "format": "date-time", "nullable": true},
                   "allowedEndpoints": {"type": "array", "items": {"$ref": "#/components/schemas/EndpointGroup"}},
                   "allowedIps": {"type": "array", "items": {"type": "string"}}}},
  "AdminCreateKeyRequest": {"type": "object", "required": ["userId", "name"],
    "properties": {"userId": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1}, "description": {"type": "string"},
                   "tier": {"type": "string"}, "isTest": {"type": "boolean"},
                   "expiresAt": {"type": "string", "format": "date-time", "nullable": true},
                   "allowedEndpoints": {"type": "array", "items": {"$ref": "#/components/schemas/EndpointGroup"}},
                   "allowedIps": {"type": "array", "items": {"type": "string"}},
                   "rateLimit": {"type": "integer", "nullable": true, "description": "Overrides the tier's; null: the tier's."},
                   "rateWindowSeconds": {"type": "integer", "nullable": true},
                   "monthlyCredits": {"type": "integer", "nullable": true}}},
  "PatchKeyRequest": {"type": "object",
    "properties": {"name": {"type": "string", "minLength": 1}, "description": {"type": "string"},
                   "allowedEndpoints": {"type": "array", "items": {"$ref": "#/components/schemas/EndpointGroup"}},
                   "allowedIps": {"type": "array", "items": {"type": "string"}},
                   "expiresAt": {"type": "string", "format": "date-time", "nullable": true}}},
  "AdminPatchKeyRequest": {"type": "object",
    "properties": {"name": {"type": "string", "minLength": 1}, "description": {"type": "string"},
                   "allowedEndpoints": {"type": "array", "items": {"$ref": "#/components/schemas/EndpointGroup"}},
                   "allowedIps": {"type": "array", "items": {"type": "string"}},
                   "expiresAt": {"type": "string", "format": "date-time", "nullable": true}, "tier": {"type": "string"},
                   "rateLimit": {"type": "integer", "nullable": true}, "rateWindowSeconds": {"type": "integer", "nullable": true},
                   "monthlyCredits": {"type": "integer", "nullable": true},
                   "grantCredits": {"type": "integer", "description": "Added to the current period's credits."}}},
  "RegenerateRequest": {"type": "object",
    "properties": {"graceSeconds": {"type": "integer", "minimum": 0, "description": "How long the old secret keeps working."}}},
  "TierSet": {
    "description": "The whole set: a bare array of tiers, {\"tiers\": [...]}, or exactly what GET /admin/tiers answers ({\"data\": [...], \"meta\": {}}). A tier still used by keys (revoked ones included) cannot be left out: 400 naming it and how many keys use it.",
    "oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/Tier"}},
              {"type": "object", "required": ["tiers"], "properties": {"tiers": {"type": "array", "items": {"$ref": "#/components/schemas/Tier"}}}},
              {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Tier"}},
                                                                     "meta": {"$ref": "#/components/schemas/Meta"}}}]},

  "SearchRequest": {"type": "object", "required": ["query"], "additionalProperties": true,
    "description": "Passed to the search service untouched; it may take more options than these.",
    "properties": {"query": {"type": "string", "minLength": 1, "description": "What to search for."}}},
  "SearchResult": {"type": "object", "required": ["url"], "additionalProperties": true,
    "properties": {"url": {"type": "string"}, "title": {"type": "string"}, "content": {"type": "string"}, "engine": {"type": "string"}}},
  "SearchResponse": {"type": "object", "additionalProperties": true, "description": "The search service's answer, untouched.",
    "properties": {"query": {"type": "string"}, "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}}}},
  "ExtractRequest": {"type": "object", "required": ["url"], "additionalProperties": true,
    "description": "Passed to the search service's extractor untouched.",
    "properties": {"url": {"type": "string", "format": "uri", "description": "The page to extract."}}},
  "Extraction": {"type": "object", "additionalProperties": true, "description": "The extractor's answer for one page, untouched.",
    "properties": {"url": {"type": "string"}, "title": {"type": "string"}, "content": {"type": "string"}}},
  "ExtractBulkRequest": {"type": "object", "required": ["urls"], "additionalProperties": true,
    "description": "One credit per URL; the gateway counts urls before any upstream call (400 when missing, empty or too many).",
    "properties": {"urls": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "uri"}}}},
  "ExtractBulkResponse": {"type": "object", "additionalProperties": true, "description": "The extractor's answer, untouched.",
    "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Extraction"}}}},
  "TranscribeRequest": {"type": "object", "required": ["file"], "additionalProperties": true,
    "description": "Streamed to the STT service untouched (never held whole by the gateway).",
    "properties": {"file": {"type": "string", "format": "binary", "description": "The audio."},
                   "language": {"type": "string", "description": "A language code of GET /v1/stt/languages."},
                   "model": {"type": "string", "description": "A model of GET /v1/stt/models."}}},
  "Transcription": {"type": "object", "additionalProperties": true, "description": "The STT service's answer, untouched.",
    "properties": {"text": {"type": "string"},
                   "duration": {"type": "number", "minimum": 0, "description": "Seconds of audio; what the call is charged by (10 credits per started minute)."},
                   "language": {"type": "string"}}},
  "SynthesizeRequest": {"type": "object", "required": ["text"], "additionalProperties": true,
    "description": "One credit per started 1,000 characters of text, counted before any upstream call.",
    "properties": {"text": {"type": "string", "minLength": 1}, "voice": {"type": "string", "description": "A voice of GET /v1/tts/voices."},
                   "language": {"type": "string"}}},
  "UpstreamListing": {"description": "The upstream service's listing, untouched (its shape is the upstream's).",
                      "oneOf": [{"type": "array", "items": {}}, {"type": "object", "additionalProperties": true}]}
})json";

const char *const Responses = R"json({
  "BadRequest": {"description": "INVALID_REQUEST: a field is missing, of the wrong type or beyond its limit (the message names it).", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "INVALID_REQUEST", "message": "name: required, a string", "request_id": "req_3f9c2a7b1e"}}}}},
  "Unauthorized": {"description": "UNAUTHORIZED (management), or MISSING_API_KEY, INVALID_API_KEY, API_KEY_REVOKED, API_KEY_EXPIRED (/v1).",
                   "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "WWW-Authenticate": {"$ref": "#/components/headers/WWW-Authenticate"}},
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "INVALID_API_KEY", "message": "Invalid API key.", "request_id": "req_3f9c2a7b1e"}}}}},
  "PaymentRequired": {"description": "INSUFFICIENT_CREDITS: the call's known cost exceeds the key's remaining credits; nothing was sent upstream.", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "X-Credits-Remaining": {"$ref": "#/components/headers/X-Credits-Remaining"}},
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "INSUFFICIENT_CREDITS", "message": "Not enough credits.", "request_id": "req_3f9c2a7b1e"}}}}},
  "Forbidden": {"description": "FORBIDDEN (management: not yours to do, or MAX_KEYS_PER_USER reached), ENDPOINT_NOT_ALLOWED or IP_NOT_ALLOWED (/v1).", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "FORBIDDEN", "message": "Admins only.", "request_id": "req_3f9c2a7b1e"}}}}},
  "NotFound": {"description": "NOT_FOUND: no such key (another user's key answers this too).", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "NOT_FOUND", "message": "No such key.", "request_id": "req_3f9c2a7b1e"}}}}},
  "PayloadTooLarge": {"description": "PAYLOAD_TOO_LARGE: the body is over the route's limit (answered on Content-Length, before the body is read).", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "PAYLOAD_TOO_LARGE", "message": "Body too large.", "request_id": "req_3f9c2a7b1e"}}}}},
  "TooManyRequests": {"description": "RATE_LIMITED: too many failed authentications from this address.", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "RATE_LIMITED", "message": "Too many failed authentications.", "request_id": "req_3f9c2a7b1e"}}}}},
  "V1TooManyRequests": {"description": "RATE_LIMITED: one of the key's limits (or the per-address limit of failed authentications) is used up.",
                        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "Retry-After": {"$ref": "#/components/headers/Retry-After"},
                                    "X-RateLimit-Limit": {"$ref": "#/components/headers/X-RateLimit-Limit"}, "X-RateLimit-Remaining": {"$ref": "#/components/headers/X-RateLimit-Remaining"},
                                    "X-RateLimit-Reset": {"$ref": "#/components/headers/X-RateLimit-Reset"}, "RateLimit-Policy": {"$ref": "#/components/headers/RateLimit-Policy"},
                                    "RateLimit": {"$ref": "#/components/headers/RateLimit"}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "RATE_LIMITED", "message": "Rate limit exceeded.", "request_id": "req_3f9c2a7b1e"}}}}},
  "RequestHeaderFieldsTooLarge": {"description": "REQUEST_HEADER_FIELDS_TOO_LARGE: the request line and headers are over 16 KiB or 100 fields (the HTTP front's limit, on every route).",
                                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "REQUEST_HEADER_FIELDS_TOO_LARGE", "message": "Request headers too large.", "request_id": "req_3f9c2a7b1e"}}}}},
  "InternalError": {"description": "INTERNAL.", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "INTERNAL", "message": "Internal error.", "request_id": "req_3f9c2a7b1e"}}}}},
  "BadGateway": {"description": "UPSTREAM_UNAVAILABLE: no instance of the upstream could be reached.", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "UPSTREAM_UNAVAILABLE", "message": "Upstream unavailable.", "request_id": "req_3f9c2a7b1e"}}}}},
  "ServiceUnavailable": {"description": "SERVICE_UNAVAILABLE: the gateway's own store is unreachable and the answer depends on it; UPSTREAM_UNAVAILABLE: the JWKS could not be fetched.",
                         "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}, "Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "SERVICE_UNAVAILABLE", "message": "Key store unreachable.", "request_id": "req_3f9c2a7b1e"}}}}},
  "GatewayTimeout": {"description": "UPSTREAM_TIMEOUT: the upstream did not answer within the route's timeout.", "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "example": {"error": {"code": "UPSTREAM_TIMEOUT", "message": "Upstream timed out.", "request_id": "req_3f9c2a7b1e"}}}}}
})json";

// The sizes of core/keys/FieldLimits.h on the management bodies' name, description and lists.
QJsonObject withLimits(QJsonObject schema)
{
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

} // namespace

QJsonObject components()
{
    QJsonObject schemas = literal(Schemas);
    QJsonArray codes;
    for (const char *code : ErrorCodes)
        codes.append(QLatin1String(code));
    schemas.insert(QStringLiteral("ErrorCode"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("enum"), codes},
                                                            {QStringLiteral("description"), QStringLiteral("Stable, UPPER_SNAKE; new codes may be added.")}});
    for (const char *body : {"CreateKeyRequest", "AdminCreateKeyRequest", "PatchKeyRequest", "AdminPatchKeyRequest"})
        schemas.insert(QLatin1String(body), withLimits(schemas.value(QLatin1String(body)).toObject()));
    // The bulk limit is the cost rule's, so the document follows a change of it.
    // Kept in a local: rule() points into the rules, which a temporary would take with it (ASan saw it).
    const CostRules rules = CostRules::defaults();
    if (const CostRule *bulk = rules.rule(QStringLiteral("extract/bulk")); bulk && bulk->maxItems > 0) {
        QJsonObject request = schemas.value(QStringLiteral("ExtractBulkRequest")).toObject();
        QJsonObject properties = request.value(QStringLiteral("properties")).toObject();
        QJsonObject urls = properties.value(QStringLiteral("urls")).toObject();
        urls.insert(QStringLiteral("maxItems"), bulk->maxItems);
        properties.insert(QStringLiteral("urls"), urls);
        request.insert(QStringLiteral("properties"), properties);
        schemas.insert(QStringLiteral("ExtractBulkRequest"), request);
    }
    return QJsonObject{
        {QStringLiteral("securitySchemes"), literal(R"json({
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "A Tollgate API key (sk_live_… or sk_test_…)."},
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT or tga_ admin token",
                       "description": "A JWT verified against the JWKS (sub is the user), or an admin token (tga_…)."}})json")},
        {QStringLiteral("headers"), literal(Headers)},
        {QStringLiteral("responses"), literal(Responses)},
        {QStringLiteral("schemas"), schemas},
    };
}

} // namespace tollgate::api::openapi
