#pragma once

#include "gui/client/ApiCall.h"

#include <QByteArray>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>
#include <QUrlQuery>

namespace tollgate::gui {

// The console's only way to a gateway: its management and admin HTTP API, embedded (127.0.0.1, an in-memory
// admin token) and remote alike, so everything the console does a script can do too. Asynchronous
// throughout: every call returns at once with an ApiCall, which has its own timeout.
//
// The token lives in this object's memory only; it is sent as a bearer token and never logged.
class AdminClient : public QObject
{
    Q_OBJECT

public:
    explicit AdminClient(const QUrl &baseUrl, QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }
    void setToken(const QByteArray &token) { m_token = token; }
    bool hasToken() const { return !m_token.isEmpty(); }
    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    int timeoutMs() const { return m_timeoutMs; }
    // True until a call finds the gateway unreachable; back to true with the next call that gets an answer.
    bool isReachable() const { return m_reachable; }

    // path: "/admin/api-keys"; the envelope is unwrapped by ApiCall.
    ApiCall *get(const QString &path, const QUrlQuery &query = {});
    ApiCall *post(const QString &path, const QJsonValue &body = QJsonValue());
    ApiCall *put(const QString &path, const QJsonValue &body);
    ApiCall *patch(const QString &path, const QJsonValue &body);
    ApiCall *remove(const QString &path);

    // A path segment for an id: "/admin/api-keys/" + segment(id).
    static QString segment(const QString &id);

Q_SIGNALS:
    // The gateway stopped or started answering (a refused or timed-out call, then the next answer).
    void reachabilityChanged(bool reachable);
    // A call was refused with 401: the token is wrong or was revoked.
    void unauthorized(const QString &message);

private:
    ApiCall *send(const QByteArray &method, const QString &path, const QUrlQuery &query, const QJsonValue &body);
    void observe(ApiCall *call);

    QUrl m_baseUrl;
    QByteArray m_token;
    int m_timeoutMs = 10000;
    bool m_reachable = true;
    QNetworkAccessManager m_network;
};

} // namespace tollgate::gui
