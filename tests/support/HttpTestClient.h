#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>

namespace tollgate::test {

// A plain HTTP/1.1 client over a real socket, for tests: one request per connection (Connection: close),
// no redirects, no cookies, no per-host connection cap, so concurrency tests really are concurrent.
struct HttpTestResponse
{
    int status = 0;  // 0: no answer
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(const QByteArray &name) const;
    QByteArray errorCode() const;  // error.code of the JSON envelope
};

struct HttpTestRequest
{
    QByteArray method = "GET";
    QByteArray target = "/";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

class HttpTestClient
{
public:
    explicit HttpTestClient(quint16 port) : m_port(port) {}
    HttpTestResponse send(const HttpTestRequest &request, int timeoutMs = 15000) const;
    // All at once, each on its own connection; answers in the order of the requests.
    QList<HttpTestResponse> sendConcurrently(const QList<HttpTestRequest> &requests, int timeoutMs = 30000) const;
    // The same over several gateways: each request to its own port (instances sharing one database).
    static QList<HttpTestResponse> sendConcurrently(const QList<QPair<quint16, HttpTestRequest>> &requests, int timeoutMs = 30000);

    static HttpTestResponse parse(const QByteArray &raw);

private:
    quint16 m_port;
};

} // namespace tollgate::test
