#pragma once

#include "server/http/HttpExchange.h"
#include "server/http/HttpHandler.h"
#include "server/http/HttpLimits.h"
#include "server/http/HttpServerStats.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QThread;

namespace tollgate::http {

class HttpWorker;

// The HTTP/1.x front: N event-loop threads, each with its own listening socket on the same port
// (SO_REUSEPORT, so the kernel spreads connections), its own handler and its own connections.
// Nothing is shared between threads except two counters.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    using HandlerFactory = std::function<std::unique_ptr<HttpHandler>()>; // one handler per event-loop thread

    HttpServer(HandlerFactory factory, HttpLimits limits, QObject *parent = nullptr);
    // Stops the threads and closes every connection (in-flight exchanges are aborted).
    ~HttpServer() override;

    // threads 0 = QThread::idealThreadCount(). Any (and "::") also accept IPv4 clients.
    bool listen(const QHostAddress &address, quint16 port, int threads, QString *error);
    quint16 serverPort() const { return m_port; }
    // Graceful shutdown step 1: close the listening sockets.
    void stopAccepting();
    int openConnections() const;
    int inFlightExchanges() const;
    // Graceful shutdown step 2: idle keep-alive connections are closed now, busy ones after their last
    // response (which says Connection: close). Spins the caller's event loop until every connection is
    // gone or the timeout passes; true when nothing was left in flight.
    bool drain(int timeoutMs);

private:
    void stopThreads();

    HandlerFactory m_factory;
    HttpLimits m_limits;
    HttpServerStats m_stats;
    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
    quint16 m_port = 0;
};

} // namespace tollgate::http
