#pragma once

#include "core/credits/CreditLedger.h"
#include "core/keys/ApiKey.h"
#include "core/ratelimit/RateLimiter.h"
#include "core/storage/UsageStore.h"
#include "server/gateway/ErrorResponse.h"
#include "server/gateway/Route.h"
#include "server/gateway/TraceContext.h"
#include "server/http/HttpExchange.h"

#include <QElapsedTimer>
#include <QPointer>

#include <memory>

namespace tollgate {
class ByteWriter;
}

namespace tollgate::proxy {
class UpstreamCall;
class UpstreamPool;
}

namespace tollgate::gateway {

struct GatewayContext;
class GatewayHandler;

// One /v1 request through the pipeline: request id → key → status/expiry → IP allowlist → endpoint group
// → rate limit → credit reservation → proxy → settlement → usage. Owned by a shared_ptr that the
// exchange's callbacks and the upstream call's callbacks hold until the request is over.
class V1Call : public std::enable_shared_from_this<V1Call>
{
public:
    V1Call(GatewayContext &context, GatewayHandler &handler, std::shared_ptr<http::HttpExchange> exchange,
           std::shared_ptr<const RouteTable> routes, const Route &route, QByteArray requestId);
    ~V1Call();
    void start();

private:
    QString keyHash(const QByteArray &rawKey);
    void onKey(const ApiKeyPtr &key);
    void authFailed(ErrorCode code, const char *reason, const QString &message);
    void onRate(const RateVerdict &verdict);
    void admit();
    void reserve();
    void reserveShared();  // asynchronous: more of the key's shared credits are leased first
    void reserved();       // m_reservation is decided: refuse (402) or go on
    void readBodyThen(void (V1Call::*next)());
    void forward();
    void onUpstreamHead(int status, const http::HttpHeaders &headers, qint64 contentLength);
    void onUpstreamData(const QByteArray &chunk);
    void onUpstreamComplete();
    void onUpstreamError(int kind, const QString &detail);
    void onClientAborted();
    void throttleUpload();
    void sendHeldResponse();
    void keepUpstreamHeaders(const http::HttpHeaders &headers);
    void fail(ErrorCode code, const QString &message, int retryAfterSeconds = 0);
    // The contract's headers on every answer, as lines for HttpExchange; charged < 0: no X-Credits-Charged.
    void appendCommonHeaders(QByteArray &lines, qint64 creditsRemaining, qint64 charged) const;
    void appendRateLimitFields(ByteWriter &out) const;
    qint64 creditsRemaining() const;
    void finishCall(int status, qint64 charged, const QByteArray &errorCode);
    // What an answer was, for usage: errorCode empty means the upstream's own status passed through.
    static UsageOutcome outcomeOf(int status, const QByteArray &errorCode);

    GatewayContext &m_context;
    GatewayHandler &m_handler;
    std::shared_ptr<http::HttpExchange> m_exchange;
    std::shared_ptr<const RouteTable> m_routes;  // keeps m_route alive across a [routes] reload
    const Route &m_route;
    QByteArray m_requestId;
    QElapsedTimer m_timer;
    QByteArray m_clientIp;
    TraceContext m_trace;  // the client's trace continued, or one started; our span's id goes upstream

    QString m_hash;  // SHA-256 of the presented key
    ApiKeyPtr m_key;
    bool m_identified = false;  // the key is valid and active: its answers are usage
    QByteArray m_keyId;
    QByteArray m_tierLabel;  // the tier's slug, shared per thread (metric label, X-User-Plan)
    RateDecision m_rate;
    bool m_rateKnown = false;
    QList<RateLimit> m_rateLimits;        // every limit that applied, for RateLimit-Policy
    QList<RateDecision> m_rateDecisions;  // and what each said, for RateLimit
    CreditReservation m_reservation;
    qint64 m_cost = 0;

    std::shared_ptr<proxy::UpstreamCall> m_upstream;
    QElapsedTimer m_upstreamTimer;
    int m_upstreamStatus = 0;
    http::HttpHeaders m_upstreamHeaders;
    bool m_bufferResponse = false;  // STT: the duration in the body decides the charge
    QByteArray m_responseBody;
    QByteArray m_uploadHead;        // first bytes of a streamed upload, for the WAV header
    bool m_responseStarted = false;
    bool m_done = false;
    qint64 m_bytesIn = 0;
    qint64 m_bytesOut = 0;
};

} // namespace tollgate::gateway
