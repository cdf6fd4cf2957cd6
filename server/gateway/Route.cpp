#include "server/gateway/Route.h"

namespace tollgate::gateway {

namespace {

constexpr qint64 OneMiB = 1 << 20;
constexpr qint64 SttUploadLimit = 100 * OneMiB;

Route route(const char *method, const char *path, const char *endpoint, const char *group, const char *upstream,
            const char *upstreamPath, qint64 bodyLimit = OneMiB, bool stream = false, int timeoutMs = 60000)
{
    return Route{method, path, QString::fromLatin1(endpoint), QString::fromLatin1(group), QString::fromLatin1(upstream),
                 upstreamPath, bodyLimit, stream, timeoutMs};
}

} // namespace

RouteTable RouteTable::defaults()
{
    RouteTable table;
    table.m_routes = {
        route("POST", "/v1/search", "search", "search", "search", "/api/v1/search"),
        route("POST", "/v1/extract", "extract", "extract", "search", "/api/v1/extract"),
        route("POST", "/v1/extract/bulk", "extract/bulk", "extract", "search", "/api/v1/extract/bulk"),
        route("GET", "/v1/search/engines", "search/engines", "search", "search", "/api/v1/search/engines", 0),
        route("POST", "/v1/stt/transcribe", "stt/transcribe", "stt", "stt", "/transcribe", SttUploadLimit, true, 300000),
        route("GET", "/v1/stt/models", "stt/models", "stt", "stt", "/models", 0),
        route("GET", "/v1/stt/languages", "stt/languages", "stt", "stt", "/languages", 0),
        route("POST", "/v1/tts/synthesize", "tts/synthesize", "tts", "tts", "/synthesize/auto"),
        route("GET", "/v1/tts/voices", "tts/voices", "tts", "tts", "/voices", 0),
        route("GET", "/v1/tts/languages", "tts/languages", "tts", "tts", "/languages", 0),
    };
    return table;
}

const Route *RouteTable::find(QByteArrayView method, QByteArrayView path, bool *pathKnown) const
{
    *pathKnown = false;
    for (const Route &route : m_routes) {
        if (route.path != path)
            continue;
        *pathKnown = true;
        // HEAD is answered like GET, without the body.
        if (route.method == method || (method == "HEAD" && route.method == "GET"))
            return &route;
    }
    return nullptr;
}

QByteArray RouteTable::allowedMethods(QByteArrayView path) const
{
    QByteArrayList methods;
    const auto add = [&methods](const QByteArray &method) {
        if (!methods.contains(method))
            methods.append(method);
    };
    for (const Route &route : m_routes) {
        if (route.path != path)
            continue;
        add(route.method);
        if (route.method == "GET")
            add(QByteArrayLiteral("HEAD"));
    }
    return methods.join(", ");
}

void RouteTable::setRoute(const Route &route)
{
    for (Route &existing : m_routes) {
        if (existing.path == route.path && existing.method == route.method) {
            existing = route;
            return;
        }
    }
    m_routes.append(route);
}

QString RouteTable::applyOverrides(const QHash<QString, QString> &section)
{
    static const QStringList upstreams{QStringLiteral("search"), QStringLiteral("stt"), QStringLiteral("tts")};
    for (auto it = section.constBegin(); it != section.constEnd(); ++it) {
        const QString endpoint = it.key().section(QLatin1Char('.'), 0, -2);
        const QString field = it.key().section(QLatin1Char('.'), -1);
        const QString value = it.value().trimmed();
        auto bad = [&](const QString &why) { return QStringLiteral("[routes] %1: %2").arg(it.key(), why); };
        Route *route = nullptr;
        for (Route &candidate : m_routes) {
            if (candidate.endpoint == endpoint)
                route = &candidate;
        }
        if (!route)
            return bad(QStringLiteral("unknown endpoint \"%1\"").arg(endpoint));
        bool ok = false;
        if (field == QLatin1String("upstream")) {
            if (!upstreams.contains(value))
                return bad(QStringLiteral("must be one of search, stt, tts"));
            route->upstream = value;
        } else if (field == QLatin1String("upstreamPath")) {
            if (!value.startsWith(QLatin1Char('/')) || value.contains(QLatin1Char(' ')))
                return bad(QStringLiteral("must be a path starting with /"));
            route->upstreamPath = value.toLatin1();
        } else if (field == QLatin1String("bodyLimit")) {
            const qint64 limit = value.toLongLong(&ok);
            if (!ok || limit < 0)
                return bad(QStringLiteral("must be a number of bytes"));
            route->bodyLimit = limit;
        } else if (field == QLatin1String("timeoutMs")) {
            const int timeout = value.toInt(&ok);
            if (!ok || timeout <= 0)
                return bad(QStringLiteral("must be a positive number of milliseconds"));
            route->timeoutMs = timeout;
        } else {
            return bad(QStringLiteral("unknown field (upstream, upstreamPath, bodyLimit, timeoutMs)"));
        }
    }
    return {};
}

} // namespace tollgate::gateway
