#pragma once

#include "server/api/Principal.h"
#include "server/http/HttpExchange.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>

#include <functional>
#include <memory>

namespace tollgate {
class GatewayCore;
class StorageError;
namespace gateway {
struct GatewayContext;
}
}

namespace tollgate::api {

// The management API (/api-keys…: a user's own keys), the admin API (/admin/…) and /openapi.json, for one
// event-loop thread. Every answer is JSON: {"data","meta"} or the error envelope; CORS for CORS_ORIGINS.
class ManagementApi
{
public:
    struct Request
    {
        std::shared_ptr<http::HttpExchange> exchange;
        QByteArray requestId;
        Principal principal;
        QStringList params;  // {id} segments of the path
        QHash<QString, QString> query;
        QJsonObject body;
    };
    using Handler = std::function<void(ManagementApi &, const Request &)>;
    struct Route
    {
        QByteArray method;
        QByteArray path;  // "/api-keys/{id}/usage"
        bool adminOnly = false;
        Handler handler;
    };

    ManagementApi(gateway::GatewayContext &context, QObject *threadContext);
    // True when the path is one of ours (the exchange is then answered, now or later).
    bool handle(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId);
    static const QList<Route> &routes();

    // For the route handlers.
    void respond(const Request &request, int status, const QJsonValue &data, const QJsonObject &meta = {});
    void fail(const Request &request, int status, QByteArrayView code, const QString &message);
    void failStorage(const Request &request, const StorageError &error);
    // 503 SERVICE_UNAVAILABLE with Retry-After: the gateway's own store cannot be reached.
    void failUnavailable(const Request &request);
    GatewayCore &core();
    const gateway::GatewayContext &context() const { return m_context; }
    QObject *threadContext() { return m_threadContext; }

private:
    void answer(const std::shared_ptr<http::HttpExchange> &exchange, int status, const QByteArray &body,
                const QByteArray &requestId, const http::HttpHeaders &extra = {});
    // 401 UNAUTHORIZED with the Bearer challenge (RFC 6750).
    void failUnauthorized(const Request &request);
    // 429 RATE_LIMITED with Retry-After: this address failed to authenticate too often (AUTH_FAILURE_LIMIT).
    void failRateLimited(const Request &request, int retryAfterSeconds);
    void preflight(const std::shared_ptr<http::HttpExchange> &exchange);
    void addCors(const http::HttpRequest &request, http::HttpHeaders &headers) const;
    void serveOpenApi(const std::shared_ptr<http::HttpExchange> &exchange, const QByteArray &requestId);
    // Authenticated: the body is read, parsed and handed to the route.
    void dispatch(Request &call, const Route &route);

    gateway::GatewayContext &m_context;
    QObject *m_threadContext;
};

} // namespace tollgate::api
