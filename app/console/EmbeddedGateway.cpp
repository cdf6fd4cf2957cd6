#include "app/console/EmbeddedGateway.h"

#include "core/keys/SecretGenerator.h"
#include "core/service/GatewayCore.h"
#include "core/service/KeyService.h"
#include "server/api/Authenticator.h"
#include "server/gateway/Gateway.h"
#include "server/gateway/GatewayContext.h"

#include <QHostAddress>

namespace tollgate::console {

EmbeddedGateway::EmbeddedGateway(const Settings &settings) : m_settings(settings)
{
}

EmbeddedGateway::~EmbeddedGateway()
{
    stop();
}

bool EmbeddedGateway::start(QString *error)
{
    m_core = std::make_unique<GatewayCore>(m_settings);
    m_gateway = std::make_unique<gateway::Gateway>(*m_core);
    m_token = SecretGenerator::generate(QString::fromLatin1(KeyService::AdminTokenPrefix)).raw.toLatin1();
    m_gateway->context().authenticator->addEphemeralAdminToken(m_token, QStringLiteral("console"));
    m_core->start();
    return m_gateway->listen(error);
}

void EmbeddedGateway::stop()
{
    if (m_stopped || !m_core)
        return;
    m_stopped = true;
    m_gateway->shutdown(10000);
    m_core->shutdown();
}

QUrl EmbeddedGateway::apiUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    const QHostAddress address = m_settings.listenAddress();
    // Listening on every address: the console itself talks to loopback.
    url.setHost(address.isNull() || address == QHostAddress::AnyIPv4 || address == QHostAddress::Any
                    ? QStringLiteral("127.0.0.1")
                    : address.toString());
    url.setPort(m_gateway ? m_gateway->port() : m_settings.port());
    return url;
}

QString EmbeddedGateway::databaseDescription() const
{
    return m_settings.database().redacted();
}

} // namespace tollgate::console
