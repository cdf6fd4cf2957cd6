#pragma once

#include "server/http/HttpLimits.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>
#include <unordered_set>

namespace tollgate::http {

class HttpConnection;
class HttpHandler;
class HttpListener;
struct HttpServerStats;

// Everything one event-loop thread of the server owns: its listening socket, its handler and its
// connections. Lives in that thread; HttpServer talks to it through queued calls only.
class HttpWorker : public QObject
{
public:
    using HandlerFactory = std::function<std::unique_ptr<HttpHandler>()>;

    // Read buffer shared by the thread's connections: an idle connection costs no buffer of its own.
    static constexpr qsizetype ScratchSize = 64 * 1024;

    HttpWorker(HandlerFactory factory, const HttpLimits &limits, HttpServerStats *stats);
    ~HttpWorker() override;

    // In the worker's thread:
    void start(int listenFd);
    void stopAccepting();
    void beginDrain();
    // Closes every connection (aborting what is in flight) and destroys the handler.
    void shutdown();

    HttpHandler *handler() const { return m_handler.get(); }
    const HttpLimits &limits() const { return m_limits; }
    HttpServerStats &stats() const { return *m_stats; }
    char *scratch() const { return m_scratch.get(); }
    void connectionClosed(HttpConnection *connection);

private:
    void adopt(int fd, const QHostAddress &peer, quint16 peerPort);

    HandlerFactory m_factory;
    const HttpLimits m_limits;
    HttpServerStats *m_stats;
    std::unique_ptr<HttpHandler> m_handler;
    HttpListener *m_listener = nullptr;
    std::unordered_set<HttpConnection *> m_connections;
    std::unique_ptr<char[]> m_scratch;
    bool m_draining = false;
    bool m_shuttingDown = false;
};

} // namespace tollgate::http
