#include "server/gateway/V1Call.h"

#include "core/keys/SecretGenerator.h"
#include "core/ratelimit/AdmissionQuery.h"
#include "core/service/GatewayCore.h"
#include "core/util/ByteWriter.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/GatewayHandler.h"
#include "server/gateway/WavDuration.h"
#include "server/http/HeaderRules.h"
#include "server/proxy/UpstreamPool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <vector>

Q_LOGGING_CATEGORY(lcPipeline, "tollgate.server.pipeline")

namespace tollgate::gateway {

namespace {

constexpr qsizetype MaxBufferedSttResponse = 1 << 20;
// Answers up to this size are sent in one write() when complete: head and body in separate writes
// cost a syscall (and, on loopback, a wake-up of the reader) each, and most API answers are small.
constexpr qint64 MaxHeldResponse = 256 * 1024;
constexpr qsizetype UploadSniffBytes = 64 * 1024;
constexpr qint64 UploadHighWater = 4 << 20;
constexpr qint64 ResponseHighWater = 1 << 20;

// Status codes as metric labels, made once: a QByteArray::number per request is an allocation.
const QByteArray &statusLabel(int status)
{
    static const std::vector<QByteArray> labels = [] {
        std::vector<QByteArray> all(600);
        for (int code = 100; code < 600; ++code)
            all[size_t(code)] = QByteArray::number(code);
        return all;
    }();
    static const QByteArray other = QByteArrayLiteral("other");
    return status >= 100 && status < 600 ? labels[size_t(status)] : other;
}

// The key a keep-alive client presented last on its connection, with its SHA-256: clients send the
// same key on every request, and hashing it is 7 % of a proxied request. Kept with the connection
// only, which held the raw key in its read buffer anyway; never shared between connections.
struct KeyDigest
{
    QByteArray rawKey;
    QString hash;
};

// Scratch for the lines built per request; reused, so an answer costs no allocation for them.
QByteArray &scratchLines()
{
    thread_local QByteArray lines;
    lines.resize(0);
    return lines;
}

} // namespace

V1Call::V1Call(GatewayContext &context, GatewayHandler &handler, std::shared_ptr<http::HttpExchange> exchange,
               std::shared_ptr<const RouteTable> routes, const Route &route, QByteArray requestId)
    : m_context(context), m_handler(handler), m_exchange(std::move(exchange)), m_routes(std::move(routes)), m_route(route),
      m_requestId(std::move(requestId)), m_trace(TraceContext::forRequest(m_exchange->request().headers))
{
    m_timer.start();
    m_clientIp = m_exchange->request().peerText;
}

V1Call::~V1Call()
{
    // The exchange may outlive us (its connection holds it): its handlers must not call a dead call.
    m_exchange->setAbortHandler(nullptr);
    m_exchange->setOutputDrainedHandler(nullptr);
    // Whatever path ended this call, credits still held go back.
    if (m_reservation.isOpen())
        m_context.core->ledger().release(m_reservation);
    if (m_upstream)
        m_upstream->cancel();
}

void V1Call::start()
{
    // Called at the head (BodyPolicy::judgeHead): the body stays unread until the key, its scope, its rate
    // and the cost known so far have admitted the call, so a refused client never makes us hold its body.
    auto self = shared_from_this();
    // `this` is safe: ~V1Call removes the handler, and the handler holds a reference while it runs.
    m_exchange->setAbortHandler([this] {
        const auto keep = shared_from_this();
        onClientAborted();
    });

    GatewayCore &core = *m_context.core;
    const RateDecision ipState = core.authFailureLimiter().peek(m_clientIp, m_context.authFailureLimit, m_context.authFailureWindowMs);
    if (!ipState.allowed) {
        m_rate = ipState;
        m_rateKnown = true;
        m_context.countRateLimited(QByteArrayLiteral("none"));
        return fail(ErrorCode::RateLimited, QStringLiteral("Too many failed authentications from this address."), ipState.retryAfterSeconds);
    }
    const QByteArray rawKey = m_exchange->request().headers.value("x-api-key").trimmed();
    if (rawKey.isEmpty())
        return authFailed(ErrorCode::MissingApiKey, "missing", QStringLiteral("Send your API key in the X-API-Key header."));

    const QString hash = keyHash(rawKey);
    m_hash = hash;
    bool known = false;
    ApiKeyPtr cached = core.keyCache().cached(hash, &known);
    if (known)
        return onKey(cached);

    // A miss: the storage worker looks it up; the answer is queued back to this thread.
    std::weak_ptr<V1Call> weak = self;
    QPointer<QObject> context = m_handler.threadContext();
    core.keyCache().lookup(hash)
        .then(QtFuture::Launch::Sync, [weak, context](ApiKeyPtr key) {
            QMetaObject::invokeMethod(context, [weak, key] {
                if (auto call = weak.lock())
                    call->onKey(key);
            }, Qt::QueuedConnection);
        })
        .onFailed([weak, context] {
            QMetaObject::invokeMethod(context, [weak] {
                // Our own store, not an upstream: 503 SERVICE_UNAVAILABLE, and the client may retry soon.
                if (auto call = weak.lock())
                    call->fail(ErrorCode::ServiceUnavailable, QStringLiteral("The key store is unavailable; retry shortly."),
                               ServiceUnavailableRetryAfterSeconds);
            }, Qt::QueuedConnection);
        });
    // The lambdas only hold weak references: keep this call alive until the lookup answers.
    m_handler.holdUntilDone(self);
}

QString V1Call::keyHash(const QByteArray &rawKey)
{
    std::any *state = m_exchange->connectionState();
    if (auto *digest = state ? std::any_cast<KeyDigest>(state) : nullptr; digest && digest->rawKey == rawKey)
        return digest->hash;
    QString hash = SecretGenerator::hash(QByteArrayView(rawKey));
    if (state)
        *state = KeyDigest{rawKey, hash};
    return hash;
}

void V1Call::authFailed(ErrorCode code, const char *reason, const QString &message)
{
    GatewayCore &core = *m_context.core;
    m_rate = core.authFailureLimiter().hit(m_clientIp, m_context.authFailureLimit, m_context.authFailureWindowMs);
    m_rate.allowed = true;
    m_rateKnown = true;
    m_context.authFailures->inc({QByteArray(reason)});
    fail(code, message);
}

void V1Call::onKey(const ApiKeyPtr &key)
{
    m_handler.release(this);
    if (m_done)
        return;
    // A previous secret (after a regeneration) only opens the key until its grace period ends.
    const bool secretValid = key
        && (m_hash == key->keyHash
            || (m_hash == key->previousHash && key->previousHashUntil > QDateTime::currentDateTimeUtc()));
    if (!secretValid)
        return authFailed(ErrorCode::InvalidApiKey, "invalid", QStringLiteral("The API key is not valid."));
    m_key = key;
    m_keyId = key->id.toLatin1();
    GatewayCore &core = *m_context.core;
    switch (key->statusAt(QDateTime::currentDateTimeUtc())) {
    case KeyStatus::Revoked:
        return authFailed(ErrorCode::ApiKeyRevoked, "revoked", QStringLiteral("The API key has been revoked."));
    case KeyStatus::Expired:
        return authFailed(ErrorCode::ApiKeyExpired, "expired", QStringLiteral("The API key has expired."));
    case KeyStatus::Active:
        break;
    }
    // From here on every answer is one of the key's usage outcomes (finishCall).
    m_identified = true;
    if (!key->ipAllowList.allows(m_exchange->request().peerAddress))
        return fail(ErrorCode::IpNotAllowed, QStringLiteral("Requests from this address are not allowed for this key."));
    const auto tier = core.tiers().find(key->tier);
    if (!tier) {
        qCWarning(lcPipeline) << "key" << key->id << "has unknown tier" << key->tier;
        return fail(ErrorCode::Internal, QStringLiteral("The key's tier is not configured."));
    }
    m_tierLabel = m_handler.label(tier->slug);
    const bool groupAllowed = tier->endpoints.contains(m_route.group)
        && (key->allowedEndpoints.isEmpty() || key->allowedEndpoints.contains(m_route.group));
    if (!groupAllowed)
        return fail(ErrorCode::EndpointNotAllowed, QStringLiteral("This key may not use the %1 endpoints.").arg(m_route.group));

    // The rate decision may come later (Redis); it comes back on this thread. The call is kept alive until then.
    RateQuery query = admissionQuery(*key, *tier, m_route.group);
    m_rateLimits = query.limits;
    auto self = shared_from_this();
    m_handler.holdUntilDone(self);
    std::weak_ptr<V1Call> weak = self;
    core.rateLimiter().decide(query, [weak](const RateVerdict &verdict) {
        if (auto call = weak.lock())
            call->onRate(verdict);
    });
}

void V1Call::onRate(const RateVerdict &verdict)
{
    m_handler.release(this);
    if (m_done)
        return;
    m_handler.countRateDecision(verdict);
    m_rateDecisions = verdict.limits;
    if (const RateDecision *tightest = verdict.tightest()) {
        m_rate = *tightest;
        m_rateKnown = true;
    }
    if (verdict.unavailable) {
        // REDIS_FAILURE_MODE=refuse and Redis is unreachable: our own store, not the client's limit.
        return fail(ErrorCode::ServiceUnavailable, QStringLiteral("Rate limits cannot be checked right now; retry shortly."),
                    qMax(1, verdict.retryAfterSeconds));
    }
    if (!verdict.allowed) {
        m_context.countRateLimited(m_tierLabel);
        return fail(ErrorCode::RateLimited, QStringLiteral("Rate limit exceeded; retry after %1 s.").arg(verdict.retryAfterSeconds),
                    verdict.retryAfterSeconds);
    }
    admit();
}

void V1Call::admit()
{
    GatewayCore &core = *m_context.core;
    const CostRules &rules = core.costRules();
    const CostRule *rule = rules.rule(m_route.endpoint);
    if (rule && !rule->field.isEmpty() && !m_route.streamBody) {
        // The cost is in the body: refuse unread what even the cheapest such call would overdraw, then read it.
        const qint64 least = rules.least(m_route.endpoint);
        if (least > creditsRemaining()) {
            return fail(ErrorCode::InsufficientCredits,
                        QStringLiteral("This call costs at least %1 credits; %2 remain this month.")
                            .arg(least).arg(qMax<qint64>(0, creditsRemaining())));
        }
        return readBodyThen(&V1Call::reserve);
    }
    reserve();
}

void V1Call::readBodyThen(void (V1Call::*next)())
{
    // The exchange keeps the callback, so it holds us weakly; the handler keeps us alive meanwhile.
    m_handler.holdUntilDone(shared_from_this());
    m_exchange->readBody([weak = weak_from_this(), next] {
        if (auto call = weak.lock(); call && !call->m_done)
            (call.get()->*next)();
    });
}

void V1Call::reserve()
{
    GatewayCore &core = *m_context.core;
    const CostRules &rules = core.costRules();
    QJsonObject body;
    const CostRule *rule = rules.rule(m_route.endpoint);
    if (rule && !rule->field.isEmpty() && !m_route.streamBody) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(m_exchange->request().body, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return fail(ErrorCode::InvalidRequest, QStringLiteral("The request body must be a JSON object."));
        body = document.object();
    }
    const CostEstimate estimate = rules.upfront(m_route.endpoint, body);
    if (!estimate.ok)
        return fail(ErrorCode::InvalidRequest, estimate.error);
    m_cost = estimate.credits;
    m_reservation = core.ledger().reserve(m_key->id, m_cost);
    if (m_reservation.status() == CreditReservation::Status::NeedsLease)
        return reserveShared();
    reserved();
}

void V1Call::reserveShared()
{
    // This instance's lease of the key's shared credits cannot cover the call: a storage job leases more and
    // reserves, and the answer comes back to this thread, as a key lookup does.
    std::weak_ptr<V1Call> weak = weak_from_this();
    QPointer<QObject> context = m_handler.threadContext();
    CreditLedger *ledger = &m_context.core->ledger();
    m_context.core->leaser().reserve(m_key->id, m_cost)
        .then(QtFuture::Launch::Sync, [weak, context, ledger](CreditReservation reservation) {
            const bool posted = context && QMetaObject::invokeMethod(context, [weak, reservation, ledger] {
                auto call = weak.lock();
                if (call)
                    call->m_handler.release(call.get());
                if (!call || call->m_done)
                    return ledger->release(reservation);  // the client left meanwhile: the credits go back
                call->m_reservation = reservation;
                call->reserved();
            }, Qt::QueuedConnection);
            if (!posted)
                ledger->release(reservation);
        })
        .onFailed([weak, context] {
            QMetaObject::invokeMethod(context, [weak] {
                if (auto call = weak.lock(); call && !call->m_done)
                    call->fail(ErrorCode::ServiceUnavailable, QStringLiteral("The credit store is unavailable; retry shortly."),
                               ServiceUnavailableRetryAfterSeconds);
            }, Qt::QueuedConnection);
        });
    m_handler.holdUntilDone(shared_from_this());
}

void V1Call::reserved()
{
    if (!m_reservation.ok()) {
        return fail(ErrorCode::InsufficientCredits,
                    QStringLiteral("This call costs %1 credits; %2 remain this month.").arg(m_cost).arg(qMax<qint64>(0, creditsRemaining())));
    }
    // A buffered body is read now, after everything that could refuse the call without it.
    if (!m_exchange->streamsBody() && !m_exchange->isBodyComplete())
        return readBodyThen(&V1Call::forward);
    forward();
}

void V1Call::forward()
{
    const http::HttpRequest &request = m_exchange->request();
    proxy::UpstreamRequest upstream;
    upstream.method = request.method;
    upstream.target = m_route.upstreamPath;
    if (!request.query.isEmpty())
        upstream.target += '?' + request.query;
    upstream.headers = http::HeaderRules::forUpstream(request.headers);
    {
        const QByteArray userId = m_key->userId.toUtf8();
        ByteWriter lines(upstream.extraHeaderLines, 256 + userId.size() + m_trace.tracestate().size());
        lines.appendHeader("X-Request-ID", m_requestId);
        // A user id comes from whoever made the key: one that could split the head is left out.
        if (http::HttpHeaders::isSafeValue(userId))
            lines.appendHeader("X-User-Id", userId);
        lines.appendHeader("X-User-Plan", m_tierLabel);
        lines.appendHeader("X-Api-Key-Id", m_keyId);
        lines.appendHeader("X-Forwarded-For", m_clientIp);
        const auto traceparent = m_trace.traceparent();
        lines.appendHeader("traceparent", QByteArrayView(traceparent.data(), traceparent.size()));
        // The client's tracestate is the trace's, and a value off the wire: only whole, safe ones go on.
        if (!m_trace.tracestate().isEmpty() && http::HttpHeaders::isSafeValue(m_trace.tracestate()))
            lines.appendHeader("tracestate", m_trace.tracestate());
    }
    upstream.connectTimeoutMs = m_context.upstreamConnectTimeoutMs;
    upstream.totalTimeoutMs = m_route.timeoutMs;
    // The body policy already decided (multipart uploads to a streaming route).
    const bool streamed = m_exchange->streamsBody() && request.contentLength != 0;
    if (streamed) {
        upstream.streamedBody = true;
        upstream.bodyLength = request.contentLength;
    } else {
        upstream.body = request.body;
        m_bytesIn = request.body.size();
    }
    m_bufferResponse = m_route.endpoint == QLatin1String("stt/transcribe");

    m_upstreamTimer.start();
    ++m_context.upstreamInFlight;
    m_upstream = m_handler.pool(m_route.upstream).start(std::move(upstream));
    // `this`, not a weak_ptr: a pointer fits std::function's inline storage (a weak_ptr costs an
    // allocation per callback), and it cannot dangle, since ~V1Call cancels the call, which drops the
    // callbacks. Each one holds a reference while it runs, as the call may end inside it.
    m_upstream->onHead = [this](const proxy::UpstreamResponseHead &head) {
        const auto keep = shared_from_this();
        onUpstreamHead(head.status, head.headers, head.contentLength);
    };
    m_upstream->onData = [this](const QByteArray &chunk) {
        const auto keep = shared_from_this();
        onUpstreamData(chunk);
    };
    m_upstream->onComplete = [this] {
        const auto keep = shared_from_this();
        onUpstreamComplete();
    };
    m_upstream->onError = [this](proxy::UpstreamError error, const QString &detail) {
        const auto keep = shared_from_this();
        onUpstreamError(int(error), detail);
    };
    m_handler.holdUntilDone(shared_from_this());
    std::weak_ptr<V1Call> weak = weak_from_this();

    if (streamed) {
        m_exchange->setBodyCallbacks(
            [weak](QByteArray chunk) {
                auto call = weak.lock();
                if (!call || call->m_done)
                    return;
                call->m_bytesIn += chunk.size();
                if (call->m_uploadHead.size() < UploadSniffBytes)
                    call->m_uploadHead += chunk.left(UploadSniffBytes - call->m_uploadHead.size());
                call->m_upstream->writeBody(chunk);
                if (call->m_upstream->pendingRequestBytes() > UploadHighWater)
                    call->throttleUpload();
            },
            [weak] {
                if (auto call = weak.lock(); call && !call->m_done)
                    call->m_upstream->endBody();
            });
        m_exchange->resumeBody();
    }
}

void V1Call::throttleUpload()
{
    // The upstream reads slower than the client sends: stop reading the client until it catches up.
    m_exchange->pauseBody();
    std::weak_ptr<V1Call> weak = shared_from_this();
    m_upstream->onBodyWritten = [weak] {
        auto call = weak.lock();
        if (!call || call->m_done || call->m_upstream->pendingRequestBytes() > UploadHighWater / 2)
            return;
        call->m_upstream->onBodyWritten = nullptr;
        call->m_exchange->resumeBody();
    };
}

qint64 V1Call::creditsRemaining() const
{
    if (!m_key)
        return 0;
    return m_context.core->ledger().balance(m_key->id).remaining();
}

void V1Call::appendCommonHeaders(QByteArray &lines, qint64 remaining, qint64 charged) const
{
    ByteWriter out(lines, 256);
    out.appendHeader("X-Request-ID", m_requestId);
    if (m_rateKnown) {
        out.appendHeader("X-RateLimit-Limit", qint64(m_rate.limit));
        out.appendHeader("X-RateLimit-Remaining", qint64(m_rate.remaining));
        out.appendHeader("X-RateLimit-Reset", (m_rate.resetAtMs + 999) / 1000);
        appendRateLimitFields(out);
    } else {
        out.appendHeader("X-RateLimit-Limit", "0");
        out.appendHeader("X-RateLimit-Remaining", "0");
        out.appendHeader("X-RateLimit-Reset", QDateTime::currentSecsSinceEpoch());
    }
    out.appendHeader("X-Credits-Remaining", qMax<qint64>(0, remaining));
    if (charged >= 0)
        out.appendHeader("X-Credits-Charged", charged);
}

void V1Call::appendRateLimitFields(ByteWriter &out) const
{
    // draft-ietf-httpapi-ratelimit-headers: one item per applying limit, named by its policy.
    if (m_rateDecisions.isEmpty() || m_rateDecisions.size() != m_rateLimits.size())
        return;
    out.append("RateLimit-Policy: ");
    for (qsizetype i = 0; i < m_rateLimits.size(); ++i) {
        const RateLimit &limit = m_rateLimits[i];
        out.append(i > 0 ? ", \"" : "\"").append(limit.policy).append("\";q=").appendNumber(limit.limit)
            .append(";w=").appendNumber(limit.windowMs / 1000);
    }
    out.append("\r\nRateLimit: ");
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (qsizetype i = 0; i < m_rateLimits.size(); ++i) {
        const RateDecision &decision = m_rateDecisions[i];
        out.append(i > 0 ? ", \"" : "\"").append(m_rateLimits[i].policy).append("\";r=").appendNumber(decision.remaining)
            .append(";t=").appendNumber(qMax<qint64>(0, (decision.resetAtMs - nowMs + 999) / 1000));
    }
    out.append("\r\n");
}

void V1Call::onUpstreamHead(int status, const http::HttpHeaders &headers, qint64 contentLength)
{
    if (m_done)
        return;
    m_upstreamStatus = status;
    keepUpstreamHeaders(headers);
    const bool success = status >= 200 && status < 300;
    if (!success && m_reservation.isOpen())
        m_context.core->ledger().release(m_reservation);
    // STT successes wait for their duration; small answers wait to leave in one write.
    if ((success && m_bufferResponse) || (contentLength >= 0 && contentLength <= MaxHeldResponse))
        return;

    // Charged only on success, and the charge is known up front for every streamed response.
    QByteArray &lines = scratchLines();
    appendCommonHeaders(lines, success ? m_reservation.remaining() : creditsRemaining(), success && m_cost > 0 ? m_cost : -1);
    m_responseStarted = true;
    m_exchange->startResponse(status, m_upstreamHeaders, contentLength, lines);
    m_exchange->setOutputDrainedHandler([this] {
        const auto keep = shared_from_this();
        if (m_upstream)
            m_upstream->resumeResponse();
    });
}

void V1Call::keepUpstreamHeaders(const http::HttpHeaders &headers)
{
    // HeaderRules decides: hop-by-hop fields (among them the upstream's `Connection: close`, which is about
    // its own connection and must not close the client's), the upstream's Server and Date, and the fields
    // the gateway sets itself stay behind. Shared, not copied, when every field passes.
    m_upstreamHeaders = http::HeaderRules::forClient(headers);
}

void V1Call::onUpstreamData(const QByteArray &chunk)
{
    if (m_done)
        return;
    if (!m_responseStarted) {
        m_responseBody += chunk;
        if (m_responseBody.size() > qMax<qint64>(MaxBufferedSttResponse, MaxHeldResponse))
            return onUpstreamError(int(proxy::UpstreamError::Protocol), QStringLiteral("response too large to hold"));
        return;
    }
    m_bytesOut += chunk.size();
    m_exchange->write(chunk);
    if (m_exchange->pendingOutputBytes() > ResponseHighWater)
        m_upstream->pauseResponse();
}

void V1Call::onUpstreamComplete()
{
    if (m_done)
        return;
    --m_context.upstreamInFlight;
    m_handler.routeMetrics(m_route).upstreamDuration->observe(m_upstreamTimer.nsecsElapsed() / 1e9);
    if (!m_responseStarted)
        return sendHeldResponse();
    m_exchange->finish();
    // Settled in finishCall(), together with the usage record.
    const bool success = m_upstreamStatus >= 200 && m_upstreamStatus < 300;
    finishCall(m_upstreamStatus, success && m_reservation.isOpen() ? m_cost : 0, {});
}

void V1Call::sendHeldResponse()
{
    const bool success = m_upstreamStatus >= 200 && m_upstreamStatus < 300;
    qint64 cost = 0;
    qint64 remaining = 0;
    if (success) {
        cost = m_cost;
        if (m_bufferResponse) {
            // STT: charged by the upstream's duration, else the uploaded WAV header, else one minute.
            double seconds = 60;
            const QJsonValue duration = QJsonDocument::fromJson(m_responseBody).object().value(QStringLiteral("duration"));
            if (duration.isDouble() && duration.toDouble() >= 0)
                seconds = duration.toDouble();
            else if (const auto wav = wavDurationSeconds(m_uploadHead))
                seconds = *wav;
            cost = m_context.core->costRules().forDuration(m_route.endpoint, seconds);
        }
        // Settled in finishCall(), after the answer, with the usage record; this is what it will leave.
        remaining = creditsRemaining() - (m_reservation.isOpen() ? cost - m_reservation.amount() : 0);
    } else {
        remaining = creditsRemaining();
    }
    QByteArray &lines = scratchLines();
    appendCommonHeaders(lines, remaining, success && (cost > 0 || m_bufferResponse) ? cost : -1);
    m_bytesOut = m_responseBody.size();
    m_exchange->respond(m_upstreamStatus, m_upstreamHeaders, m_responseBody, lines);
    finishCall(m_upstreamStatus, cost, {});
}

void V1Call::onUpstreamError(int kind, const QString &detail)
{
    if (m_done)
        return;
    --m_context.upstreamInFlight;
    if (m_reservation.isOpen())
        m_context.core->ledger().release(m_reservation);
    const auto error = proxy::UpstreamError(kind);
    qCInfo(lcPipeline).noquote() << "upstream" << m_route.upstream << "failed for" << m_requestId << ":" << detail;
    if (m_responseStarted) {
        // Too late for an error status: the client must see the response broken, not complete.
        m_exchange->abortResponse();
        return finishCall(502, 0, QByteArrayLiteral("UPSTREAM_UNAVAILABLE"));
    }
    if (error == proxy::UpstreamError::Timeout)
        return fail(ErrorCode::UpstreamTimeout, QStringLiteral("The %1 service did not answer in time.").arg(m_route.upstream));
    fail(ErrorCode::UpstreamUnavailable, QStringLiteral("The %1 service is unavailable.").arg(m_route.upstream));
}

void V1Call::onClientAborted()
{
    if (m_done)
        return;
    // The client left: cancel upstream work, charge nothing.
    if (m_upstream && !m_upstream->isDone()) {
        m_upstream->cancel();
        --m_context.upstreamInFlight;
    }
    if (m_reservation.isOpen())
        m_context.core->ledger().release(m_reservation);
    finishCall(499, 0, QByteArrayLiteral("CLIENT_CLOSED"));
}

void V1Call::fail(ErrorCode code, const QString &message, int retryAfterSeconds)
{
    if (m_done)
        return;
    if (m_reservation.isOpen())
        m_context.core->ledger().release(m_reservation);
    const int status = statusOf(code);
    QByteArray &lines = scratchLines();
    appendCommonHeaders(lines, creditsRemaining(), -1);
    {
        ByteWriter out(lines, 64);
        out.append("Content-Type: application/json\r\n");
        if (retryAfterSeconds > 0)
            out.appendHeader("Retry-After", qint64(retryAfterSeconds));
        // RFC 9110 11.6.1: a 401 names the scheme. There is no registered one for API keys; this says
        // which header carries the key, as API gateways conventionally do (see notes/hdr.md).
        if (status == 401)
            out.append("WWW-Authenticate: ApiKey realm=\"tollgate\", header=\"X-API-Key\"\r\n");
    }
    const QByteArray body = errorEnvelope(code, message, m_requestId);
    m_bytesOut = body.size();
    m_exchange->respond(status, {}, body, lines);
    finishCall(status, 0, nameOf(code));
}

UsageOutcome V1Call::outcomeOf(int status, const QByteArray &errorCode)
{
    if (errorCode.isEmpty())  // the upstream's own answer, passed through
        return status >= 200 && status < 300 ? UsageOutcome::Ok
            : status >= 400 && status < 500 ? UsageOutcome::ClientError : UsageOutcome::UpstreamError;
    if (errorCode == "CLIENT_CLOSED")
        return UsageOutcome::ClientClosed;
    switch (status) {
    case 429: return UsageOutcome::RateLimited;
    case 402: return UsageOutcome::InsufficientCredits;
    case 403: return UsageOutcome::Forbidden;  // ENDPOINT_NOT_ALLOWED, IP_NOT_ALLOWED
    default: break;
    }
    // INVALID_REQUEST (a body the cost rules refuse) is the client's; UPSTREAM_*, INTERNAL are not.
    return status >= 400 && status < 500 ? UsageOutcome::ClientError : UsageOutcome::UpstreamError;
}

void V1Call::finishCall(int status, qint64 charged, const QByteArray &errorCode)
{
    if (m_done)
        return;
    m_done = true;
    ++m_context.requestsServed;
    const UsageOutcome outcome = outcomeOf(status, errorCode);
    if (outcome != UsageOutcome::ClientClosed)  // a client that left was not answered
        m_context.counters.answered(status);
    const double latencyMs = m_timer.nsecsElapsed() / 1e6;
    static const QByteArray none = QByteArrayLiteral("none");
    const QByteArray &tier = m_tierLabel.isEmpty() ? none : m_tierLabel;
    m_handler.requestsCell(m_route, m_exchange->request().method, statusLabel(status), tier).add(1);
    const GatewayHandler::RouteMetrics &routeMetrics = m_handler.routeMetrics(m_route);
    routeMetrics.duration->observe(latencyMs / 1000);
    routeMetrics.requestBytes->add(double(m_bytesIn));
    routeMetrics.responseBytes->add(double(m_bytesOut));
    if (m_identified) {
        // Settle and record as one hand-off to the write-behind (an open reservation of a call that charges
        // nothing is settled at 0, i.e. released): no flush can write the credits without the usage row.
        // Calls of a revoked or expired key are failed authentications (tollgate_auth_failures_total), not usage.
        charged = m_context.core->usage().recordCharge(m_reservation, charged, {m_key->id, m_route.endpoint, 0, status >= 400,
                                                                               qint64(latencyMs), m_bytesIn, m_bytesOut, 0, outcome});
    }
    if (charged > 0) {
        m_handler.creditsCharged(tier).add(double(charged));
        m_context.counters.creditsCharged.add(quint64(charged));
    }
    if (m_context.accessLog) {
        m_context.accessLog->write({m_requestId, m_keyId, m_exchange->request().method, m_route.path, status, latencyMs,
                                    charged, m_bytesIn, m_bytesOut, m_clientIp, errorCode, m_trace.traceId(),
                                    m_trace.spanId()});
    }
    m_handler.release(this);
}

} // namespace tollgate::gateway
