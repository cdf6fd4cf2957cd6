#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace tollgate::gateway {

// One public /v1 route and where it goes upstream. Routes are data: the contract's defaults,
// overridable in the config file's [routes] section.
struct Route
{
    QByteArray method;        // "POST"
    QByteArray path;          // "/v1/search"
    QString endpoint;         // "search": names usage rows and cost rules
    QString group;            // "search": what tiers and keys allow
    QString upstream;         // "search", "stt", "tts": which service pool
    QByteArray upstreamPath;  // "/api/v1/search"
    qint64 bodyLimit = 1 << 20;
    bool streamBody = false;  // STT uploads: streamed through, never held whole
    int timeoutMs = 60000;
};

class RouteTable
{
public:
    static RouteTable defaults();

    // Exact path match; *pathKnown tells a 405 (path exists with another method) from a 404.
    const Route *find(QByteArrayView method, QByteArrayView path, bool *pathKnown) const;
    // What a 405 says in Allow: the methods the path answers ("GET, HEAD" for a GET route, HEAD being
    // answered like GET), in table order; empty for an unknown path.
    QByteArray allowedMethods(QByteArrayView path) const;
    void setRoute(const Route &route);
    // The config file's [routes] section: "<endpoint>.<field> = value" with field upstream, upstreamPath,
    // bodyLimit or timeoutMs (e.g. "search.upstreamPath = /v2/search"). Empty on success, else one line
    // naming the bad entry.
    QString applyOverrides(const QHash<QString, QString> &section);
    const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
};

} // namespace tollgate::gateway
