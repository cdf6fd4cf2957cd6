#include "server/gateway/ErrorResponse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace tollgate::gateway {

int statusOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::MissingApiKey:
    case ErrorCode::InvalidApiKey:
    case ErrorCode::ApiKeyRevoked:
    case ErrorCode::ApiKeyExpired:
    case ErrorCode::Unauthorized: return 401;
    case ErrorCode::Forbidden:
    case ErrorCode::EndpointNotAllowed:
    case ErrorCode::IpNotAllowed: return 403;
    case ErrorCode::InsufficientCredits: return 402;
    case ErrorCode::RateLimited: return 429;
    case ErrorCode::InvalidRequest: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::MethodNotAllowed: return 405;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::UpstreamUnavailable: return 502;
    case ErrorCode::UpstreamTimeout: return 504;
    case ErrorCode::ServiceUnavailable: return 503;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

QByteArray nameOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::MissingApiKey: return "MISSING_API_KEY";
    case ErrorCode::InvalidApiKey: return "INVALID_API_KEY";
    case ErrorCode::ApiKeyRevoked: return "API_KEY_REVOKED";
    case ErrorCode::ApiKeyExpired: return "API_KEY_EXPIRED";
    case ErrorCode::Unauthorized: return "UNAUTHORIZED";
    case ErrorCode::Forbidden: return "FORBIDDEN";
    case ErrorCode::EndpointNotAllowed: return "ENDPOINT_NOT_ALLOWED";
    case ErrorCode::IpNotAllowed: return "IP_NOT_ALLOWED";
    case ErrorCode::InsufficientCredits: return "INSUFFICIENT_CREDITS";
    case ErrorCode::RateLimited: return "RATE_LIMITED";
    case ErrorCode::InvalidRequest: return "INVALID_REQUEST";
    case ErrorCode::NotFound: return "NOT_FOUND";
    case ErrorCode::MethodNotAllowed: return "METHOD_NOT_ALLOWED";
    case ErrorCode::PayloadTooLarge: return "PAYLOAD_TOO_LARGE";
    case ErrorCode::UpstreamUnavailable: return "UPSTREAM_UNAVAILABLE";
    case ErrorCode::UpstreamTimeout: return "UPSTREAM_TIMEOUT";
    case ErrorCode::ServiceUnavailable: return "SERVICE_UNAVAILABLE";
    case ErrorCode::Internal: return "INTERNAL";
    }
    return "INTERNAL";
}

QByteArray errorEnvelope(QByteArrayView code, const QString &message, const QByteArray &requestId)
{
    const QJsonObject error{{QStringLiteral("code"), QString::fromLatin1(code)},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("request_id"), QString::fromLatin1(requestId)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

QByteArray newRequestId()
{
    // Unique, not secret: a generator per thread, seeded from the global one, is enough (no lock, no
    // syscall per request).
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    thread_local QRandomGenerator64 generator = [] {
        quint32 seed[8];
        QRandomGenerator::global()->fillRange(seed);
        return QRandomGenerator64(seed, 8);
    }();
    char id[4 + 22] = {'r', 'e', 'q', '_'};
    quint64 a = generator.generate64();
    quint64 b = generator.generate64();
    for (int i = 0; i < 11; ++i, a /= 62, b /= 62) {
        id[4 + 2 * i] = alphabet[a % 62];
        id[5 + 2 * i] = alphabet[b % 62];
    }
    return QByteArray(id, sizeof id);
}

QByteArray requestIdFrom(const QByteArray &clientValue)
{
    if (clientValue.isEmpty() || clientValue.size() > 128)
        return newRequestId();
    for (const char c : clientValue) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\')
            return newRequestId();
    }
    return clientValue;
}

} // namespace tollgate::gateway
