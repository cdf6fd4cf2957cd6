#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMessageAuthenticationCode>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace tollgate::test {

// The receiving end of Tollgate's webhooks, over real loopback sockets on the test's event loop: parses each
// HTTP/1.1 request (keep-alive), checks Tollgate-Signature itself (HMAC-SHA256 of "t.body", written here again rather
// than taken from the gateway), answers `status` — or 500 to the first `failFirst` deliveries — and records every
// delivery. It can go away (stop()) and come back on the same port (start()), like a receiver during an outage.
class WebhookReceiver
{
public:
    struct Delivery
    {
        QByteArray body;
        QJsonObject event;  // the parsed body
        bool signatureValid = false;
        qint64 signedAt = 0;
        int answered = 0;
    };

    explicit WebhookReceiver(QByteArray secret) : m_secret(std::move(secret))
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
    }

    bool start()
    {
        m_server = std::make_unique<QTcpServer>();
        QObject::connect(m_server.get(), &QTcpServer::newConnection, m_server.get(), [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                serve(socket);
        });
        return m_server->listen(QHostAddress::LocalHost, m_port);
    }
    void stop()
    {
        m_server.reset();
        for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
            if (socket)
                socket->abort();
        }
        m_sockets.clear();
    }

    QByteArray url() const { return "http://127.0.0.1:" + QByteArray::number(m_port) + "/hooks/tollgate"; }
    quint16 port() const { return m_port; }
    int failFirst = 0;
    int status = 204;

    const QList<Delivery> &deliveries() const { return m_deliveries; }
    // Events answered 2xx, once each however often they came: what a deduplicating receiver has.
    QHash<QString, QJsonObject> accepted() const
    {
        QHash<QString, QJsonObject> out;
        for (const Delivery &d : m_deliveries) {
            if (d.answered >= 200 && d.answered < 300)
                out.insert(d.event.value(QLatin1String("id")).toString(), d.event);
        }
        return out;
    }
    QList<QJsonObject> acceptedOfType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &event : accepted()) {
            if (event.value(QLatin1String("type")).toString() == type)
                out.append(event);
        }
        return out;
    }
    // Deliveries answered 2xx, duplicates included.
    int acceptedDeliveries() const
    {
        int n = 0;
        for (const Delivery &d : m_deliveries)
            n += d.answered >= 200 && d.answered < 300;
        return n;
    }
    bool allSigned() const
    {
        for (const Delivery &d : m_deliveries) {
            if (!d.signatureValid)
                return false;
        }
        return true;
    }

private:
    void serve(QTcpSocket *socket)
    {
        m_sockets.append(socket);
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            for (;;) {
                const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
                if (headEnd < 0)
                    return;
                const QByteArray head = buffer->left(headEnd);
                QHash<QByteArray, QByteArray> headers;
                for (const QByteArray &line : head.split('\n').mid(1)) {
                    const qsizetype colon = line.indexOf(':');
                    if (colon > 0)
                        headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
                }
                const qsizetype length = headers.value("content-length").toLongLong();
                if (buffer->size() < headEnd + 4 + length)
                    return;
                const QByteArray body = buffer->mid(headEnd + 4, length);
                buffer->remove(0, headEnd + 4 + length);
                socket->write(answer(headers.value("tollgate-signature"), body));
            }
        });
    }

    QByteArray answer(const QByteArray &signature, const QByteArray &body)
    {
        Delivery d;
        d.body = body;
        d.event = QJsonDocument::fromJson(body).object();
        QByteArray t;
        QByteArrayList v1;
        for (const QByteArray &part : signature.split(',')) {
            if (part.startsWith("t="))
                t = part.mid(2);
            else if (part.startsWith("v1="))
                v1.append(part.mid(3));
        }
        const QByteArray expected = QMessageAuthenticationCode::hash(t + '.' + body, m_secret, QCryptographicHash::Sha256).toHex();
        d.signedAt = t.toLongLong();
        d.signatureValid = !t.isEmpty() && v1.contains(expected);
        d.answered = m_seen++ < failFirst ? 500 : status;
        m_deliveries.append(d);
        return "HTTP/1.1 " + QByteArray::number(d.answered) + " X\r\nContent-Length: 0\r\n\r\n";
    }

    QByteArray m_secret;
    quint16 m_port = 0;
    std::unique_ptr<QTcpServer> m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
    QList<Delivery> m_deliveries;
    int m_seen = 0;
};

} // namespace tollgate::test
