#pragma once

#include "server/gateway/GatewayContext.h"
#include "server/ops/MemoryPolicy.h"

#include <QObject>
#include <QTimer>

#include <deque>

#include <memory>

namespace tollgate {
class BillingService;
class GatewayCore;
class Settings;
namespace http {
class HttpServer;
}
}

namespace tollgate::auth {
class JwksCache;
class JwtVerifier;
}
namespace tollgate::api {
class Authenticator;
}

namespace tollgate::gateway {

class UpstreamHealth;

// The running gateway: the HTTP front on its event-loop threads, the /v1 pipeline over the core,
// upstream health probes and the metrics of it all. Lives in the main thread.
class Gateway : public QObject
{
    Q_OBJECT

public:
    explicit Gateway(GatewayCore &core, QObject *parent = nullptr);
    ~Gateway() override;

    bool listen(QString *error);
    // SIGHUP: what may change while serving (ACCESS_LOG, [routes]). No connection is touched; a call in
    // flight finishes on the routes it began with. Returns the problem with [routes] (the running ones stay).
    QString reload(const Settings &settings);
    quint16 port() const;
    quint16 opsPort() const;  // 0 without OPS_PORT
    // The contract's routes with the settings' timeouts and a [routes] section's overrides.
    static RouteTable routeTable(const Settings &settings, const QHash<QString, QString> &overrides, QString *problem);
    // Graceful stop: no new connections, in-flight calls finish (at most drainMs); true when none was cut.
    bool shutdown(int drainMs);
    GatewayContext &context() { return *m_context; }

private:
    void setUpBilling();
    // BILLING_PLAN_TIERS naming a tier that the database lacks: said once the tiers are loaded.
    void checkBillingTiers();

    GatewayCore &m_core;
    std::unique_ptr<GatewayContext> m_context;
    std::unique_ptr<UpstreamHealth> m_health;
    std::unique_ptr<auth::JwksCache> m_jwks;
    std::unique_ptr<auth::JwtVerifier> m_verifier;
    std::unique_ptr<api::Authenticator> m_authenticator;
    std::unique_ptr<BillingService> m_billing;
    QTimer m_rateTimer;
    ops::MemoryPolicy m_memory;
    std::deque<quint64> m_rateSamples;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<http::HttpServer> m_opsServer;  // OPS_PORT
};

} // namespace tollgate::gateway
