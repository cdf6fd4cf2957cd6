#pragma once

// A JWKS endpoint over a real socket: answers every GET with the current key set (or a 500, or never),
// counts the requests, and can stop listening. One request per connection (Connection: close).

#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

class JwksTestServer
{
public:
    enum class Mode { Ok, Error500, Hang };

    JwksTestServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port) && (m_port = m_server.serverPort()); }
    // Refuses new connections from now on (the port stays known, so a client gets "connection refused").
    void close() { m_server.close(); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/auth/jwks").arg(m_port)); }

    void setKeys(const QJsonArray &keys) { m_body = QJsonDocument(QJsonObject{{"keys", keys}}).toJson(QJsonDocument::Compact); }
    void addKey(const QJsonObject &jwk)
    {
        QJsonArray keys = QJsonDocument::fromJson(m_body).object().value("keys").toArray();
        keys.append(jwk);
        setKeys(keys);
    }
    void setBody(const QByteArray &body) { m_body = body; }
    void setMode(Mode mode) { m_mode = mode; }
    int fetches() const { return m_fetches; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onReadyRead(socket); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    }

    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        m_buffers.remove(socket);
        ++m_fetches;
        if (m_mode == Mode::Hang)
            return;
        const bool ok = m_mode == Mode::Ok;
        const QByteArray body = ok ? m_body : QByteArrayLiteral("{\"error\":\"boom\"}");
        socket->write((ok ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 500 Internal Server Error\r\n")
                      + QByteArray("Content-Type: application/json\r\nConnection: close\r\nContent-Length: ")
                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    quint16 m_port = 0;
    QByteArray m_body = QByteArrayLiteral("{\"keys\":[]}");
    Mode m_mode = Mode::Ok;
    int m_fetches = 0;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    // Last: destroyed first, so sockets it deletes (emitting disconnected) still find m_buffers alive.
    QTcpServer m_server;
};
