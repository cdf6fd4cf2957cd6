#include "HttpTestClient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

namespace tollgate::test {

QByteArray HttpTestResponse::header(const QByteArray &name) const
{
    for (const auto &field : headers) {
        if (field.first.compare(name, Qt::CaseInsensitive) == 0)
            return field.second;
    }
    return {};
}

QByteArray HttpTestResponse::errorCode() const
{
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString().toLatin1();
}

namespace {

QByteArray serialize(const HttpTestRequest &request)
{
    QByteArray out = request.method + ' ' + request.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    bool hasLength = false;
    for (const auto &header : request.headers) {
        hasLength = hasLength || header.first.compare("content-length", Qt::CaseInsensitive) == 0
            || header.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0;
        out += header.first + ": " + header.second + "\r\n";
    }
    if (!hasLength && (!request.body.isEmpty() || request.method == "POST"))
        out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    return out + "\r\n" + request.body;
}

QByteArray dechunk(const QByteArray &data)
{
    QByteArray out;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype lineEnd = data.indexOf("\r\n", pos);
        if (lineEnd < 0)
            break;
        bool ok = false;
        const qsizetype size = data.mid(pos, lineEnd - pos).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size == 0)
            break;
        out += data.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
    return out;
}

} // namespace

HttpTestResponse HttpTestClient::parse(const QByteArray &raw)
{
    HttpTestResponse response;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return response;
    const QList<QByteArray> lines = raw.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    response.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            response.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    const QByteArray body = raw.mid(headEnd + 4);
    response.body = response.header("transfer-encoding").toLower().contains("chunked") ? dechunk(body) : body;
    return response;
}

HttpTestResponse HttpTestClient::send(const HttpTestRequest &request, int timeoutMs) const
{
    return sendConcurrently({request}, timeoutMs).value(0);
}

QList<HttpTestResponse> HttpTestClient::sendConcurrently(const QList<HttpTestRequest> &requests, int timeoutMs) const
{
    QList<QPair<quint16, HttpTestRequest>> addressed;
    for (const HttpTestRequest &request : requests)
        addressed.append({m_port, request});
    return sendConcurrently(addressed, timeoutMs);
}

QList<HttpTestResponse> HttpTestClient::sendConcurrently(const QList<QPair<quint16, HttpTestRequest>> &addressed, int timeoutMs)
{
    QList<HttpTestRequest> requests;
    for (const auto &pair : addressed)
        requests.append(pair.second);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> received(size_t(requests.size()));
    std::vector<bool> done(size_t(requests.size()), false);
    for (qsizetype i = 0; i < requests.size(); ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = socket.get();
        const QByteArray wire = serialize(requests[i]);
        QObject::connect(s, &QTcpSocket::connected, s, [s, wire] { s->write(wire); });
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, &received, i] { received[size_t(i)] += s->readAll(); });
        QObject::connect(s, &QTcpSocket::disconnected, s, [s, &received, &done, i] {
            received[size_t(i)] += s->readAll();
            done[size_t(i)] = true;
        });
        QObject::connect(s, &QTcpSocket::errorOccurred, s, [s, &received, &done, i](QAbstractSocket::SocketError) {
            received[size_t(i)] += s->readAll();
            done[size_t(i)] = true;
        });
        s->connectToHost(QStringLiteral("127.0.0.1"), addressed[i].first);
        sockets.push_back(std::move(socket));
    }
    QTest::qWaitFor([&] { return std::all_of(done.begin(), done.end(), [](bool d) { return d; }); }, timeoutMs);
    QList<HttpTestResponse> responses;
    for (size_t i = 0; i < received.size(); ++i)
        responses.append(parse(received[i]));
    return responses;
}

} // namespace tollgate::test
