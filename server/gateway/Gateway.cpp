#include "server/gateway/Gateway.h"

#include "server/ops/MemoryPolicy.h"
#include "server/ops/ProcessMetrics.h"

#include "core/ratelimit/RedisRateLimiter.h"
#include "core/service/BillingService.h"
#include "core/service/GatewayCore.h"
#include "core/auth/JwksCache.h"
#include "core/auth/JwtVerifier.h"
#include "server/api/Authenticator.h"
#include "server/gateway/GatewayHandler.h"
#include "server/gateway/OpsHandler.h"
#include "server/gateway/UpstreamHealth.h"
#include "server/gateway/UpstreamReport.h"
#include "server/http/HttpServer.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QThread>


Q_LOGGING_CATEGORY(lcGateway, "tollgate.server.gateway")

namespace tollgate::gateway {

namespace {

// Webhooks and the event stream (issue 11 §6): attempts per sink and result, and what the outbox still holds.
void registerEventMetrics(ops::MetricsRegistry &metrics, EventDispatcher &events)
{
    ops::CounterFamily &deliveries = metrics.counter(ops::metric::eventDeliveries);
    events.onAttempt = [&deliveries](EventDispatcher::Sink sink, bool ok) {
        deliveries.inc({sink == EventDispatcher::Sink::Webhook ? QByteArrayLiteral("webhook") : QByteArrayLiteral("stream"),
                        ok ? QByteArrayLiteral("ok") : QByteArrayLiteral("failed")});
    };
    metrics.gauge(ops::metric::eventOutboxPending, [&events] { return double(events.pendingCount()); });
}

// One sample per upstream instance, labelled {upstream, instance}, of what value(states, i) reads.
template<typename Value>
ops::MetricsRegistry::GaugeSamples perInstance(const GatewayContext &context, Value value)
{
    ops::MetricsRegistry::GaugeSamples samples;
    for (auto it = context.upstreamStates.constBegin(); it != context.upstreamStates.constEnd(); ++it) {
        const auto &states = *it.value();
        for (int i = 0; i < states.count(); ++i)
            samples.append({{it.key().toLatin1(), states.urls().at(i).toString().toLatin1()}, value(states, i)});
    }
    return samples;
}

} // namespace

RouteTable Gateway::routeTable(const Settings &settings, const QHash<QString, QString> &overrides, QString *problem)
{
    RouteTable table = RouteTable::defaults();
    const QList<Route> defaults = table.routes();
    for (Route route : defaults) {
        route.timeoutMs = route.upstream == QLatin1String("stt") ? settings.intValue(QStringLiteral("STT_UPSTREAM_TIMEOUT_MS"))
                                                                  : settings.intValue(QStringLiteral("UPSTREAM_TIMEOUT_MS"));
        table.setRoute(route);
    }
    if (const QString why = table.applyOverrides(overrides); !why.isEmpty() && problem)
        *problem = why;
    return table;
}

Gateway::Gateway(GatewayCore &core, QObject *parent) : QObject(parent), m_core(core), m_context(std::make_unique<GatewayContext>())
{
    const Settings &settings = core.settings();
    GatewayContext &c = *m_context;
    c.core = &core;
    c.setRouteTable(routeTable(settings, {}, nullptr));
    c.opsOnOwnPort = settings.opsPort() != 0;
    c.upstreams.insert(QStringLiteral("search"), settings.upstreamUrls(QStringLiteral("SEARCH_SERVICE_URL")));
    c.upstreams.insert(QStringLiteral("stt"), settings.upstreamUrls(QStringLiteral("STT_SERVICE_URL")));
    c.upstreams.insert(QStringLiteral("tts"), settings.upstreamUrls(QStringLiteral("TTS_SERVICE_URL")));
    c.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    c.authFailureLimit = settings.intValue(QStringLiteral("AUTH_FAILURE_LIMIT"));
    c.authFailureWindowMs = settings.intValue(QStringLiteral("AUTH_FAILURE_WINDOW_SECONDS")) * 1000LL;
    c.maxKeysPerUser = settings.intValue(QStringLiteral("MAX_KEYS_PER_USER"));
    c.upstreamConnectTimeoutMs = settings.intValue(QStringLiteral("UPSTREAM_CONNECT_TIMEOUT_MS"));
    c.upstreamKeepalive = settings.intValue(QStringLiteral("UPSTREAM_KEEPALIVE"));
    // Always there, so that SIGHUP can turn it on or off while requests run.
    c.accessLog = std::make_unique<ops::AccessLog>(settings.logFormat() == QLatin1String("json"), stdout);
    c.accessLog->setEnabled(settings.value(QStringLiteral("ACCESS_LOG")).toString() == QLatin1String("on"));
    c.registerMetrics();

    // One state per upstream, shared by every thread's pool and the probes.
    const proxy::UpstreamInstanceStates::Options breaker{settings.intValue(QStringLiteral("UPSTREAM_FAILURES_TO_OPEN")),
                                                         settings.intValue(QStringLiteral("UPSTREAM_OPEN_MS"))};
    for (auto it = c.upstreams.constBegin(); it != c.upstreams.constEnd(); ++it)
        c.upstreamStates.insert(it.key(), std::make_shared<proxy::UpstreamInstanceStates>(it.key(), it.value(), breaker));
    m_health = std::make_unique<UpstreamHealth>(c.upstreamStates.values(),
                                                settings.value(QStringLiteral("UPSTREAM_HEALTH_PATH")).toString(),
                                                settings.intValue(QStringLiteral("UPSTREAM_HEALTH_INTERVAL_MS")));

    // The management API: JWTs against the JWKS when one is configured, admin tokens always.
    if (const QUrl jwks = settings.jwksUrl(); !jwks.isEmpty()) {
        m_jwks = std::make_unique<auth::JwksCache>(jwks, core.clock());
        m_verifier = std::make_unique<auth::JwtVerifier>(m_jwks.get(), core.clock(),
                                                         auth::JwtVerifier::Options{settings.jwtIssuer(), settings.jwtAudience()});
    }
    m_authenticator = std::make_unique<api::Authenticator>(core, m_verifier.get(), settings.adminUserIds());
    c.authenticator = m_authenticator.get();
    c.corsOrigins = settings.corsOrigins();
    setUpBilling();

    // The live request rate for /admin/status: answered requests over the last 10 s.
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, [this] {
        m_rateSamples.push_back(m_context->requestsServed.load());
        if (m_rateSamples.size() > 11)
            m_rateSamples.pop_front();
        if (m_rateSamples.size() > 1)
            m_context->requestRate = double(m_rateSamples.back() - m_rateSamples.front()) / double(m_rateSamples.size() - 1);
        if (m_server)
            m_memory.tick(m_server->openConnections());
    });
    m_rateTimer.start();
    c.inFlight = [this] { return m_server ? m_server->inFlightExchanges() : 0; };
    // One family, two shapes: {upstream} is 1 while any instance takes calls and answers its probe
    // (as before instances existed), {upstream,instance} is each instance's own (1 up, 0 down, open
    // or half-open; an instance not probed yet counts as up, as routing treats it).
    c.metrics.gauge(ops::metric::upstreamUp, [ctx = &c] {
                        ops::MetricsRegistry::GaugeSamples samples;
                        for (auto it = ctx->upstreamStates.constBegin(); it != ctx->upstreamStates.constEnd(); ++it) {
                            const UpstreamReport report = UpstreamReport::of(*it.value());
                            const QByteArray name = it.key().toLatin1();
                            samples.append({{name, {}}, report.status == QLatin1String("up") ? 1.0 : 0.0});
                            for (const auto &instance : report.instances)
                                samples.append({{name, instance.url.toString().toLatin1()}, instance.routable() ? 1.0 : 0.0});
                        }
                        return samples;
                    });
    c.metrics.gauge(ops::metric::upstreamBreakerState,
                    [ctx = &c] { return perInstance(*ctx, [](const auto &states, int i) { return double(int(states.breaker(i))); }); });
    c.metrics.gauge(ops::metric::upstreamInstanceInflight,
                    [ctx = &c] { return perInstance(*ctx, [](const auto &states, int i) { return double(states.inFlight(i)); }); });
    c.metrics.gauge(ops::metric::openConnections, [this] { return m_server ? double(m_server->openConnections()) : 0.0; });
    c.metrics.gauge(ops::metric::inflightRequests, [this] { return m_server ? double(m_server->inFlightExchanges()) : 0.0; });
    c.metrics.gauge(ops::metric::upstreamInflight, [ctx = &c] { return double(ctx->upstreamInFlight.load()); });
    c.metrics.gauge(ops::metric::usageFlushLag, [&core] {
        const qint64 last = core.usage().stats().lastSuccessMs;
        return last ? (QDateTime::currentMSecsSinceEpoch() - last) / 1000.0 : 0.0;
    });
    c.metrics.gauge(ops::metric::usagePendingRows, [&core] { return double(core.usage().stats().pendingRows); });
    c.metrics.counterReading(ops::metric::usageWriteFailures, [&core] { return double(core.usage().stats().failedFlushes); });
    c.metrics.gauge(ops::metric::keysCreditsLow, [&core] { return double(core.ledger().countUsedAtLeast(0.8)); });
    ops::registerProcessMetrics(c.metrics);
    if (RedisRateLimiter *redis = core.redisLimiter()) {
        // Calls admitted locally while Redis was down, found beyond a limit once written into Redis' logs.
        ops::CounterFamily::Cell *fallbackOver = &c.overAdmitted->cell({QByteArrayLiteral("fallback")});
        redis->onReplayOverAdmitted = [fallbackOver, ctx = &c](int n) {
            fallbackOver->add(n);
            ctx->counters.overAdmitted.add(n);
        };
    }
    c.metrics.gauge(ops::metric::redisUp,
                    [&core] {
                        ops::MetricsRegistry::GaugeSamples samples;
                        if (const RedisRateLimiter *redis = core.redisLimiter())
                            samples.append({{}, redis->isUp() ? 1.0 : 0.0});
                        return samples;
                    });
    c.metrics.gauge(ops::metric::redisLiveInstances,
                    [&core] {
                        ops::MetricsRegistry::GaugeSamples samples;
                        if (const RedisRateLimiter *redis = core.redisLimiter())
                            samples.append({{}, double(redis->liveInstances())});
                        return samples;
                    });
    c.metrics.gauge(ops::metric::databaseUp, [&core] { return core.storage().isAvailable() ? 1.0 : 0.0; });
    registerEventMetrics(c.metrics, core.events());
}

void Gateway::setUpBilling()
{
    const Settings &settings = m_core.settings();
    GatewayContext &c = *m_context;
    c.billingSecret = settings.billingWebhookSecret().trimmed();
    c.billingPlans = settings.billingPlanTiers();
    if (c.billingSecret.isEmpty()) {
        qCInfo(lcGateway) << "billing webhook off (BILLING_WEBHOOK_SECRET is not set)";
        return;
    }
    m_billing = std::make_unique<BillingService>(&m_core.storage(), m_core.clock());
    c.billing = m_billing.get();
    if (c.billingPlans.isEmpty())
        qCWarning(lcGateway) << "billing webhook on, but BILLING_PLAN_TIERS maps no price: only cancellations (back to free) apply";
    if (m_core.isReady())
        checkBillingTiers();
    else
        connect(&m_core, &GatewayCore::ready, this, &Gateway::checkBillingTiers);
}

void Gateway::checkBillingTiers()
{
    // Tiers are data an admin may create later, so a missing one does not stop start-up: events for it answer 500
    // and are not recorded (Stripe retries them), and this says so from the start.
    QStringList missing;
    for (const QString &tier : m_context->billingPlans.tiers() + QStringList{QStringLiteral("free")}) {
        if (!m_core.tiers().find(tier) && !missing.contains(tier))
            missing.append(tier);
    }
    if (!missing.isEmpty())
        qCCritical(lcGateway).noquote() << "BILLING_PLAN_TIERS: no such tier:" << missing.join(QStringLiteral(", "))
                                        << "- billing events for it fail until it exists";
}

Gateway::~Gateway()
{
    m_opsServer.reset();
    m_core.events().onAttempt = nullptr;  // it counts into our registry
    m_server.reset();
}

QString Gateway::reload(const Settings &settings)
{
    m_context->accessLog->setEnabled(settings.value(QStringLiteral("ACCESS_LOG")).toString() == QLatin1String("on"));
    // Timeouts come from the running settings (they need a restart); [routes] from the file just read.
    QString problem;
    RouteTable table = routeTable(m_core.settings(), settings.section(QStringLiteral("routes")), &problem);
    if (!problem.isEmpty())
        return problem;  // the running table stays
    m_context->setRouteTable(std::move(table));
    return {};
}

bool Gateway::listen(QString *error)
{
    const Settings &settings = m_core.settings();
    QString problem;
    RouteTable table = routeTable(settings, settings.section(QStringLiteral("routes")), &problem);
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    m_context->setRouteTable(std::move(table));
    if (settings.opsPort() != 0 && settings.opsPort() == settings.port()) {
        *error = QStringLiteral("OPS_PORT: must differ from PORT (%1)").arg(settings.port());
        return false;
    }
    ops::MemoryPolicy::keepLargeBuffersMapped();
    http::HttpLimits limits;
    limits.maxHeaderBytes = settings.intValue(QStringLiteral("HTTP_MAX_HEADER_BYTES"));
    limits.maxHeaderFields = settings.intValue(QStringLiteral("HTTP_MAX_HEADER_FIELDS"));
    limits.headerTimeoutMs = settings.intValue(QStringLiteral("HTTP_HEADER_TIMEOUT_MS"));
    limits.bodyStallTimeoutMs = settings.intValue(QStringLiteral("HTTP_BODY_TIMEOUT_MS"));
    limits.bodyMinRate = settings.intValue(QStringLiteral("HTTP_BODY_MIN_RATE"));
    limits.idleTimeoutMs = settings.intValue(QStringLiteral("HTTP_IDLE_TIMEOUT_MS"));
    limits.listenBacklog = settings.intValue(QStringLiteral("HTTP_LISTEN_BACKLOG"));
    GatewayContext *context = m_context.get();
    m_server = std::make_unique<http::HttpServer>([context] { return std::make_unique<GatewayHandler>(*context); }, limits);
    int threads = settings.intValue(QStringLiteral("HTTP_THREADS"));
    if (threads == 0)
        threads = QThread::idealThreadCount();
    if (!m_server->listen(settings.listenAddress(), quint16(settings.port()), threads, error))
        return false;
    if (const int opsPort = settings.opsPort()) {
        // One thread is plenty for scrapes and probes, and keeps them off the request threads' queues.
        m_opsServer = std::make_unique<http::HttpServer>([context] { return std::make_unique<OpsHandler>(*context); }, limits);
        if (!m_opsServer->listen(settings.listenAddress(), quint16(opsPort), 1, error)) {
            *error = QStringLiteral("OPS_PORT %1: %2").arg(opsPort).arg(*error);
            return false;
        }
        qCInfo(lcGateway).noquote() << "/metrics and /health* on" << settings.listenAddress().toString() + QLatin1Char(':')
                + QString::number(m_opsServer->serverPort()) << "only";
    }
    m_health->start();
    if (m_jwks)
        m_jwks->start();
    qCInfo(lcGateway).noquote() << "listening on" << settings.listenAddress().toString() + QLatin1Char(':') + QString::number(port())
                                << "with" << threads << "event-loop threads";
    return true;
}

quint16 Gateway::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

quint16 Gateway::opsPort() const
{
    return m_opsServer ? m_opsServer->serverPort() : 0;
}

bool Gateway::shutdown(int drainMs)
{
    if (!m_server)
        return true;
    m_server->stopAccepting();
    // Health stays answerable while requests drain (a load balancer sees the instance go), then goes too.
    const bool drained = m_server->drain(drainMs);
    if (m_opsServer) {
        m_opsServer->stopAccepting();
        m_opsServer->drain(1000);
    }
    if (m_context->accessLog)
        m_context->accessLog->flush();
    return drained;
}

} // namespace tollgate::gateway
