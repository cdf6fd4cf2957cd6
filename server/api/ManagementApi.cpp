#include "server/api/ManagementApi.h"

#include "core/ratelimit/SlidingWindowLimiter.h"
#include "core/service/GatewayCore.h"
#include "core/storage/StorageError.h"
#include "server/api/Authenticator.h"
#include "server/api/OpenApi.h"
#include "server/api/RouteSupport.h"
#include "server/gateway/ErrorResponse.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/JsonResponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcApi, "tollgate.server.api")

namespace tollgate::api {

namespace {

// "/api-keys/key_1/usage" against "/api-keys/{id}/usage": the {…} segments are collected.
bool matches(QByteArrayView pattern, QByteArrayView path, QStringList *params)
{
    const QList<QByteArray> want = pattern.toByteArray().split('/');
    const QList<QByteArray> got = path.toByteArray().split('/');
    if (want.size() != got.size())
        return false;
    QStringList collected;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want[i].startsWith('{')) {
            if (got[i].isEmpty())
                return false;
            collected.append(QString::fromUtf8(QByteArray::fromPercentEncoding(got[i])));
        } else if (want[i] != got[i]) {
            return false;
        }
    }
    *params = collected;
    return true;
}

http::HttpHeaders allowHeader(const QByteArray &methods)
{
    // RFC 9110 15.5.6: a 405 lists the methods the resource answers.
    http::HttpHeaders headers;
    headers.add("Allow", methods);
    return headers;
}

bool isOurs(QByteArrayView path)
{
    return path == "/api-keys" || path.startsWith("/api-keys/") || path.startsWith("/admin/") || path == "/openapi.json";
}

} // namespace

ManagementApi::ManagementApi(gateway::GatewayContext &context, QObject *threadContext)
    : m_context(context), m_threadContext(threadContext)
{
}

GatewayCore &ManagementApi::core()
{
    return *m_context.core;
}

bool ManagementApi::handle(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId)
{
    const http::HttpRequest &request = exchange->request();
    if (!isOurs(request.path))
        return false;
    if (request.method == "OPTIONS") {
        preflight(exchange);
        return true;
    }
    if (request.path == "/openapi.json") {
        if (request.method == "GET" || request.method == "HEAD")
            serveOpenApi(exchange, requestId);
        else
            answer(exchange, 405,
                   gateway::errorEnvelope(gateway::ErrorCode::MethodNotAllowed, QStringLiteral("Use GET."), requestId),
                   requestId, allowHeader("GET, HEAD, OPTIONS"));
        return true;
    }

    Request call{exchange, requestId, {}, {}, {}, {}};
    const Route *route = nullptr;
    QByteArrayList allowed;  // the methods the path answers, for a 405's Allow
    for (const Route &candidate : routes()) {
        QStringList params;
        if (!matches(candidate.path, request.path, &params))
            continue;
        if (candidate.method == request.method) {
            route = &candidate;
            call.params = params;
            break;
        }
        if (!allowed.contains(candidate.method))
            allowed.append(candidate.method);
    }
    if (!route) {
        const bool pathKnown = !allowed.isEmpty();
        const auto code = pathKnown ? gateway::ErrorCode::MethodNotAllowed : gateway::ErrorCode::NotFound;
        // Every path of ours answers OPTIONS (CORS preflight, above).
        allowed.append(QByteArrayLiteral("OPTIONS"));
        const QString message = pathKnown ? QStringLiteral("Method not allowed on this route.") : QStringLiteral("No such route.");
        answer(exchange, gateway::statusOf(code), gateway::errorEnvelope(code, message, requestId), requestId,
               pathKnown ? allowHeader(allowed.join(", ")) : http::HttpHeaders());
        return true;
    }
    const QUrlQuery query(QString::fromUtf8(request.query));
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        call.query.insert(item.first, item.second);

    // Failed authentications share the per-address limiter of /v1 (V1Call::start): an address over it is refused
    // before its token is even looked at, and a valid token does not lift that until the window moves on.
    const RateDecision ipState = core().authFailureLimiter().peek(request.peerText, m_context.authFailureLimit,
                                                                  m_context.authFailureWindowMs);
    if (!ipState.allowed) {
        m_context.countRateLimited(QByteArrayLiteral("none"));
        failRateLimited(call, ipState.retryAfterSeconds);
        return true;
    }

    QPointer<QObject> context = m_threadContext;
    const Route chosen = *route;
    auto *metrics = m_context.authFailures;
    m_context.authenticator->authenticate(request.headers.value("authorization"))
        .then(QtFuture::Launch::Sync, [this, context, call, chosen, metrics](const AuthOutcome &outcome) mutable {
            QMetaObject::invokeMethod(context, [this, call, chosen, outcome, metrics]() mutable {
                if (!outcome.ok) {
                    metrics->inc({outcome.reason.toLatin1()});
                    // The key store or the JWKS could not be asked: not the client's failure, so it does not count.
                    if (outcome.unavailable && outcome.reason == QLatin1String("store_unavailable"))
                        return failUnavailable(call);
                    if (outcome.unavailable)
                        return fail(call, 503, "UPSTREAM_UNAVAILABLE", QStringLiteral("Authentication is unavailable; retry shortly."));
                    // Missing, malformed, expired, tampered or unknown credentials all count, as a wrong key on /v1 does.
                    core().authFailureLimiter().hit(call.exchange->request().peerText, m_context.authFailureLimit,
                                                    m_context.authFailureWindowMs);
                    return failUnauthorized(call);
                }
                if (chosen.adminOnly && !outcome.principal.admin)
                    return fail(call, 403, "FORBIDDEN", QStringLiteral("Admin rights are required."));
                if (!chosen.adminOnly && outcome.principal.userId.isEmpty())
                    return fail(call, 403, "FORBIDDEN", QStringLiteral("Admin tokens manage keys under /admin/."));
                call.principal = outcome.principal;
                // The body is read only now that the caller is known (BodyPolicy::judgeHead). The callback holds
                // the exchange; the exchange drops it once it has run, or when the client leaves.
                const auto exchange = call.exchange;
                exchange->readBody([this, call, chosen]() mutable { dispatch(call, chosen); });
            }, Qt::QueuedConnection);
        });
    return true;
}

void ManagementApi::dispatch(Request &call, const Route &route)
{
    const QByteArray &body = call.exchange->request().body;
    if (!body.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError)
            return fail(call, 400, "INVALID_REQUEST", QStringLiteral("The body is not valid JSON: %1.").arg(error.errorString()));
        call.body = document.isArray() ? QJsonObject{{QStringLiteral("items"), document.array()}} : document.object();
    }
    try {
        route.handler(*this, call);
    } catch (const BodyError &error) {
        fail(call, 400, "INVALID_REQUEST", error.message);
    }
}

void ManagementApi::respond(const Request &request, int status, const QJsonValue &data, const QJsonObject &meta)
{
    QJsonObject document{{QStringLiteral("data"), data}};
    document.insert(QStringLiteral("meta"), meta);
    answer(request.exchange, status, QJsonDocument(document).toJson(QJsonDocument::Compact), request.requestId);
}

void ManagementApi::fail(const Request &request, int status, QByteArrayView code, const QString &message)
{
    answer(request.exchange, status, gateway::errorEnvelope(code, message, request.requestId), request.requestId);
}

void ManagementApi::failUnauthorized(const Request &request)
{
    // RFC 6750 3: the challenge names the scheme; error="invalid_token" only when a bearer token was presented
    // and failed (no credentials, or another scheme, get the bare challenge).
    const QByteArray authorization = request.exchange->request().headers.value("authorization").trimmed();
    const bool bearerPresented = authorization.size() > 7 && authorization.first(7).toLower() == "bearer ";
    http::HttpHeaders extra;
    extra.add("WWW-Authenticate", bearerPresented ? QByteArrayLiteral(R"(Bearer realm="tollgate", error="invalid_token")")
                                                  : QByteArrayLiteral(R"(Bearer realm="tollgate")"));
    answer(request.exchange, 401,
           gateway::errorEnvelope(gateway::ErrorCode::Unauthorized, QStringLiteral("A valid bearer token is required."),
                                  request.requestId),
           request.requestId, extra);
}

void ManagementApi::failRateLimited(const Request &request, int retryAfterSeconds)
{
    http::HttpHeaders extra;
    extra.add("Retry-After", QByteArray::number(qMax(1, retryAfterSeconds)));
    answer(request.exchange, 429,
           gateway::errorEnvelope(gateway::ErrorCode::RateLimited, QStringLiteral("Too many failed authentications from this address."),
                                  request.requestId),
           request.requestId, extra);
}

void ManagementApi::failUnavailable(const Request &request)
{
    http::HttpHeaders extra;
    extra.add("Retry-After", QByteArray::number(gateway::ServiceUnavailableRetryAfterSeconds));
    answer(request.exchange, 503,
           gateway::errorEnvelope(gateway::ErrorCode::ServiceUnavailable, QStringLiteral("The database is unavailable; retry shortly."),
                                  request.requestId),
           request.requestId, extra);
}

void ManagementApi::failStorage(const Request &request, const StorageError &error)
{
    switch (error.kind()) {
    case StorageError::Kind::Invalid:
        return fail(request, 400, "INVALID_REQUEST", error.message());
    case StorageError::Kind::LimitReached:
        return fail(request, 403, "FORBIDDEN", error.message());
    case StorageError::Kind::NotFound:
        return fail(request, 404, "NOT_FOUND", QStringLiteral("Not found."));
    case StorageError::Kind::Unavailable:
        return failUnavailable(request);
    case StorageError::Kind::Conflict:
    case StorageError::Kind::Failed:
        break;
    }
    qCWarning(lcApi).noquote() << "request" << request.requestId << "failed:" << error.message();
    fail(request, 500, "INTERNAL", QStringLiteral("Internal error."));
}

void ManagementApi::answer(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                           const QByteArray &requestId, const http::HttpHeaders &extra)
{
    m_context.counters.answered(status);
    http::HttpHeaders headers = extra;
    headers.add("Cache-Control", "no-store");
    addCors(exchange->request(), headers);
    gateway::respondJson(exchange, status, body, requestId, std::move(headers));
}

void ManagementApi::addCors(const http::HttpRequest &request, http::HttpHeaders &headers) const
{
    const QByteArray origin = request.headers.value("origin");
    if (origin.isEmpty() || !m_context.corsOrigins.contains(QString::fromUtf8(origin)))
        return;
    headers.add("Access-Control-Allow-Origin", origin);
    headers.add("Access-Control-Allow-Credentials", "true");
    headers.add("Vary", "Origin");
}

void ManagementApi::preflight(const std::shared_ptr<http::HttpExchange> &exchange)
{
    http::HttpHeaders headers;
    addCors(exchange->request(), headers);
    if (headers.contains("access-control-allow-origin")) {
        headers.add("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS");
        headers.add("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID");
        headers.add("Access-Control-Max-Age", "600");
    }
    m_context.counters.answered(204);
    exchange->respond(204, headers, {});
}

void ManagementApi::serveOpenApi(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId)
{
    static const QByteArray document = QJsonDocument(openApiDocument()).toJson(QJsonDocument::Compact);
    answer(exchange, 200, document, requestId);
}

} // namespace tollgate::api
