#pragma once

// A scriptable HTTP/1.1 upstream on 127.0.0.1 for the proxy tests: it parses requests (bodies by
// Content-Length or chunked) and hands each to the test's handler, which answers with raw bytes,
// late, partly, or not at all, or closes the connection.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

struct ScriptedRequest
{
    int connection = -1;         // accept order, from 0
    int indexOnConnection = -1;  // request order on that connection, from 0
    QByteArray method;
    QByteArray target;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;             // decoded
    QPointer<QTcpSocket> socket; // to answer on

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &field : headers) {
            if (field.first.compare(name, Qt::CaseInsensitive) == 0)
                return field.second;
        }
        return {};
    }
    int headerCount(QByteArrayView name) const
    {
        int n = 0;
        for (const auto &field : headers)
            n += field.first.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
        return n;
    }
};

class ScriptedUpstream : public QObject
{
public:
    // Called once per complete request.
    using Handler = std::function<void(ScriptedRequest &request)>;
    // Optional: called when a request head is complete, before its body. Returning true means
    // the request is dealt with (typically: the connection was dropped); the body is not awaited.
    using HeadHandler = std::function<bool(ScriptedRequest &request)>;

    explicit ScriptedUpstream(Handler handler, HeadHandler headHandler = {})
        : m_handler(std::move(handler))
        , m_headHandler(std::move(headHandler))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] { acceptAll(); });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    ~ScriptedUpstream() override
    {
        // Sockets are children of the server's; make sure none signals into a half-gone object.
        for (auto &connection : m_connections) {
            if (connection->socket) {
                QObject::disconnect(connection->socket, nullptr, this, nullptr);
                connection->socket->abort();
            }
        }
    }

    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port())); }
    int connectionsAccepted() const { return int(m_connections.size()); }
    int openConnections() const
    {
        int n = 0;
        for (const auto &connection : m_connections)
            n += connection->open ? 1 : 0;
        return n;
    }
    int requestsSeen() const { return m_requests; }
    const QList<ScriptedRequest> &log() const { return m_log; }

    // Helpers for handlers.
    static void send(const ScriptedRequest &request, const QByteArray &bytes)
    {
        if (request.socket)
            request.socket->write(bytes);
    }
    static void sendLater(const ScriptedRequest &request, int ms, const QByteArray &bytes, bool closeAfter = false)
    {
        QPointer<QTcpSocket> socket = request.socket;
        if (!socket)
            return;
        QTimer::singleShot(ms, socket.data(), [socket, bytes, closeAfter] {
            if (!socket)
                return;
            socket->write(bytes);
            if (closeAfter)
                socket->disconnectFromHost();
        });
    }
    // Writes in small pieces a few ms apart: exercises parsing across reads.
    static void dribble(const ScriptedRequest &request, const QByteArray &bytes, int pieceSize, bool closeAfter = false)
    {
        QPointer<QTcpSocket> socket = request.socket;
        if (!socket)
            return;
        auto offset = std::make_shared<qsizetype>(0);
        auto timer = new QTimer(socket.data());
        timer->setInterval(1);
        QObject::connect(timer, &QTimer::timeout, socket.data(), [socket, bytes, pieceSize, closeAfter, offset, timer] {
            if (!socket)
                return;
            socket->write(bytes.mid(*offset, pieceSize));
            socket->flush();
            *offset += pieceSize;
            if (*offset >= bytes.size()) {
                timer->stop();
                timer->deleteLater();
                if (closeAfter)
                    socket->disconnectFromHost();
            }
        });
        timer->start();
    }

private:
    struct Connection
    {
        int index = 0;
        QPointer<QTcpSocket> socket;
        QByteArray buffer;
        int requests = 0;
        bool open = true;
        bool dropped = false; // a head handler took over: ignore further input
        int headHandled = -1; // request index whose head the head handler has seen
    };

    void acceptAll()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            auto connection = std::make_shared<Connection>();
            connection->index = int(m_connections.size());
            connection->socket = socket;
            m_connections.append(connection);
            connect(socket, &QTcpSocket::readyRead, this, [this, connection] { onRead(*connection); });
            connect(socket, &QTcpSocket::disconnected, this, [connection] {
                connection->open = false;
                if (connection->socket)
                    connection->socket->deleteLater();
            });
        }
    }

    void onRead(Connection &connection)
    {
        if (!connection.socket)
            return;
        connection.buffer += connection.socket->readAll();
        while (!connection.dropped && parseOne(connection)) {
        }
    }

    // Parses one complete request off the front of the buffer; false when more bytes are needed.
    bool parseOne(Connection &connection)
    {
        QByteArray &buffer = connection.buffer;
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return false;
        ScriptedRequest request;
        request.connection = connection.index;
        request.indexOnConnection = connection.requests;
        request.socket = connection.socket;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        const qsizetype bodyStart = headEnd + 4;
        if (m_headHandler && connection.headHandled != connection.requests) {
            connection.headHandled = connection.requests;
            if (m_headHandler(request)) {
                ++m_requests;
                ++connection.requests;
                connection.dropped = true;
                m_log.append(request);
                return false;
            }
        }
        qsizetype consumed = 0;
        if (request.header("Transfer-Encoding").toLower() == "chunked") {
            // Walk the chunk sizes without copying until the last chunk is in.
            qsizetype pos = bodyStart;
            QList<QPair<qsizetype, qsizetype>> pieces;
            for (;;) {
                const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
                if (lineEnd < 0)
                    return false;
                bool ok = false;
                const qsizetype size = buffer.mid(pos, lineEnd - pos).split(';').value(0).trimmed().toLongLong(&ok, 16);
                if (!ok)
                    return false;
                if (size == 0) {
                    const qsizetype trailerEnd = buffer.indexOf("\r\n", lineEnd + 2);
                    if (trailerEnd < 0)
                        return false;
                    consumed = trailerEnd + 2;
                    break;
                }
                if (buffer.size() < lineEnd + 2 + size + 2)
                    return false;
                pieces.append({lineEnd + 2, size});
                pos = lineEnd + 2 + size + 2;
            }
            qsizetype total = 0;
            for (const auto &piece : pieces)
                total += piece.second;
            request.body.reserve(total);
            for (const auto &piece : pieces)
                request.body.append(buffer.constData() + piece.first, piece.second);
        } else {
            const qsizetype length = request.header("Content-Length").toLongLong();
            if (buffer.size() < bodyStart + length)
                return false;
            request.body = buffer.mid(bodyStart, length);
            consumed = bodyStart + length;
        }
        buffer.remove(0, consumed);
        ++m_requests;
        ++connection.requests;
        ScriptedRequest logged = request;
        logged.body = logged.body.left(256); // keep the log small for 10 MB uploads
        m_log.append(logged);
        m_handler(request);
        return true;
    }

    QTcpServer m_server;
    Handler m_handler;
    HeadHandler m_headHandler;
    QList<std::shared_ptr<Connection>> m_connections;
    QList<ScriptedRequest> m_log;
    int m_requests = 0;
};
