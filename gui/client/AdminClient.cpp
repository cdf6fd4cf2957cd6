#include "gui/client/AdminClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tollgate::gui {

AdminClient::AdminClient(const QUrl &baseUrl, QObject *parent) : QObject(parent), m_baseUrl(baseUrl)
{
}

QString AdminClient::segment(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

ApiCall *AdminClient::get(const QString &path, const QUrlQuery &query)
{
    return send("GET", path, query, QJsonValue::Undefined);
}

ApiCall *AdminClient::post(const QString &path, const QJsonValue &body)
{
    return send("POST", path, {}, body);
}

ApiCall *AdminClient::put(const QString &path, const QJsonValue &body)
{
    return send("PUT", path, {}, body);
}

ApiCall *AdminClient::patch(const QString &path, const QJsonValue &body)
{
    return send("PATCH", path, {}, body);
}

ApiCall *AdminClient::remove(const QString &path)
{
    return send("DELETE", path, {}, QJsonValue::Undefined);
}

ApiCall *AdminClient::send(const QByteArray &method, const QString &path, const QUrlQuery &query, const QJsonValue &body)
{
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QByteArray payload;
    if (!body.isUndefined()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        payload = body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                  : body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                    : QByteArray("{}");
    }
    QNetworkReply *reply = method == "GET" ? m_network.get(request)
        : payload.isNull()                 ? m_network.sendCustomRequest(request, method)
                                           : m_network.sendCustomRequest(request, method, payload);
    auto *call = new ApiCall(reply, method, m_timeoutMs, this);
    observe(call);
    return call;
}

void AdminClient::observe(ApiCall *call)
{
    connect(call, &ApiCall::succeeded, this, [this] {
        if (!m_reachable) {
            m_reachable = true;
            Q_EMIT reachabilityChanged(true);
        }
    });
    connect(call, &ApiCall::failed, this, [this](const ApiError &error) {
        if (error.isAborted())
            return;
        const bool answered = error.status != 0;
        if (answered != m_reachable) {
            m_reachable = answered;
            Q_EMIT reachabilityChanged(answered);
        }
        if (error.status == 401)
            Q_EMIT unauthorized(error.message);
    });
}

} // namespace tollgate::gui
