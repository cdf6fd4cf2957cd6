#pragma once

#include "core/config/Settings.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <memory>

namespace tollgate {
class GatewayCore;
namespace gateway {
class Gateway;
}
}

namespace tollgate::console {

// The gateway the console runs in its own process when no --connect is given: the core and the HTTP front
// on 127.0.0.1 (the console's LISTEN_ADDRESS default), managed by the window through the same admin API as
// a remote one. Its admin token is made here and registered in memory only: never in the database, the
// keychain or a log; it dies with the process.
class EmbeddedGateway
{
public:
    explicit EmbeddedGateway(const Settings &settings);
    ~EmbeddedGateway();

    bool start(QString *error);
    // Drains in-flight calls and writes usage; the window calls it when it closes.
    void stop();

    QUrl apiUrl() const;
    QByteArray adminToken() const { return m_token; }
    QString databaseDescription() const;

private:
    const Settings &m_settings;
    std::unique_ptr<GatewayCore> m_core;
    std::unique_ptr<gateway::Gateway> m_gateway;
    QByteArray m_token;
    bool m_stopped = false;
};

} // namespace tollgate::console
