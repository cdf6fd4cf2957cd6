#pragma once

#include <QByteArray>
#include <QString>

namespace tollgate::gateway {

// The contract's error codes with their HTTP status.
enum class ErrorCode {
    MissingApiKey, InvalidApiKey, ApiKeyRevoked, ApiKeyExpired, Unauthorized, Forbidden, EndpointNotAllowed,
    IpNotAllowed, InsufficientCredits, RateLimited, InvalidRequest, NotFound, MethodNotAllowed, PayloadTooLarge,
    UpstreamUnavailable, UpstreamTimeout, ServiceUnavailable, Internal
};

// Retry-After (s) of a SERVICE_UNAVAILABLE: the gateway's own store is away; the core retries it every 2 s.
constexpr int ServiceUnavailableRetryAfterSeconds = 5;

int statusOf(ErrorCode code);
QByteArray nameOf(ErrorCode code);
// {"error":{"code":"…","message":"…","request_id":"…"}}
QByteArray errorEnvelope(QByteArrayView code, const QString &message, const QByteArray &requestId);
inline QByteArray errorEnvelope(ErrorCode code, const QString &message, const QByteArray &requestId)
{
    return errorEnvelope(nameOf(code), message, requestId);
}

// A client's X-Request-ID when it is sane (≤ 128 visible characters), else a fresh one.
QByteArray requestIdFrom(const QByteArray &clientValue);
QByteArray newRequestId();

} // namespace tollgate::gateway
