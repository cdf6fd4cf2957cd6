#include "server/http/HttpWorker.h"

#include "server/http/HttpConnection.h"
#include "server/http/HttpHandler.h"
#include "server/http/HttpListener.h"
#include "server/http/HttpLogging.h"
#include "server/http/HttpServerStats.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::http {

HttpWorker::HttpWorker(HandlerFactory factory, const HttpLimits &limits, HttpServerStats *stats)
    : m_factory(std::move(factory)), m_limits(limits), m_stats(stats), m_scratch(new char[ScratchSize])
{
}

HttpWorker::~HttpWorker()
{
    shutdown();
}

void HttpWorker::start(int listenFd)
{
    // Made here so that whatever the handler creates (timers, network managers) lives in this thread.
    m_handler = m_factory();
    if (!m_handler)
        qCCritical(lcTollgateHttp) << "the handler factory returned no handler: connections will be refused";
    m_listener = new HttpListener(
        listenFd, [this](int fd, const QHostAddress &peer, quint16 port) { adopt(fd, peer, port); }, this);
}

void HttpWorker::adopt(int fd, const QHostAddress &peer, quint16 peerPort)
{
    if (m_draining || m_shuttingDown || !m_handler) {
        ::close(fd);
        return;
    }
    // Responses leave in one write() each; Nagle would hold the next one back waiting for an ACK.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto *connection = new HttpConnection(this, fd, peer, peerPort, 0);
    m_connections.insert(connection);
    m_stats->openConnections.fetch_add(1, std::memory_order_relaxed);
}

void HttpWorker::connectionClosed(HttpConnection *connection)
{
    if (m_connections.erase(connection) == 0)
        return;
    m_stats->openConnections.fetch_sub(1, std::memory_order_relaxed);
    if (!m_shuttingDown)
        connection->deleteLater();
}

void HttpWorker::stopAccepting()
{
    if (m_listener)
        m_listener->close();
}

void HttpWorker::beginDrain()
{
    m_draining = true;
    // Copy: connections leave the set as they close.
    const std::vector<HttpConnection *> connections(m_connections.begin(), m_connections.end());
    for (HttpConnection *connection : connections) {
        if (m_connections.count(connection))
            connection->beginDrain();
    }
}

void HttpWorker::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    delete m_listener;
    m_listener = nullptr;
    const std::vector<HttpConnection *> connections(m_connections.begin(), m_connections.end());
    for (HttpConnection *connection : connections) {
        connection->closeNow(HttpConnection::AbortDelivery::Direct);
        delete connection;
    }
    m_connections.clear();
    m_handler.reset();
}

} // namespace tollgate::http
