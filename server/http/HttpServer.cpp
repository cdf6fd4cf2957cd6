#include "server/http/HttpServer.h"

#include "server/http/HttpListener.h"
#include "server/http/HttpLogging.h"
#include "server/http/HttpWorker.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QMetaObject>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <unistd.h>

namespace tollgate::http {

HttpServer::HttpServer(HandlerFactory factory, HttpLimits limits, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_limits(limits)
{
}

HttpServer::~HttpServer()
{
    stopThreads();
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, int threads, QString *error)
{
    if (!m_workers.empty()) {
        if (error)
            *error = QStringLiteral("already listening");
        return false;
    }
    if (threads <= 0)
        threads = qMax(1, QThread::idealThreadCount());
    const bool reusePort = threads > 1;

    if (reusePort && port != 0) {
        // SO_REUSEPORT would let us join a port another process of ours already serves, silently
        // splitting its traffic. A plain bind first still fails with "address in use" in that case.
        const int probe = HttpListener::openSocket(address, port, -1, false, error);
        if (probe < 0)
            return false;
        ::close(probe);
    }

    std::vector<int> fds;
    for (int i = 0; i < threads; ++i) {
        const int fd = HttpListener::openSocket(address, i == 0 ? port : m_port, m_limits.listenBacklog, reusePort, error);
        if (fd < 0) {
            for (int open : fds)
                ::close(open);
            return false;
        }
        if (i == 0)
            m_port = HttpListener::localPort(fd);
        fds.push_back(fd);
    }

    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("tollgate-http-%1").arg(i));
        auto *worker = new HttpWorker(m_factory, m_limits, &m_stats);
        worker->moveToThread(thread);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
        const int fd = fds[size_t(i)];
        QMetaObject::invokeMethod(worker, [worker, fd] { worker->start(fd); }, Qt::BlockingQueuedConnection);
    }
    qCInfo(lcTollgateHttp).nospace() << "listening on " << address.toString() << ":" << m_port << " with "
                                     << threads << " thread(s)";
    return true;
}

void HttpServer::stopAccepting()
{
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker] { worker->stopAccepting(); }, Qt::BlockingQueuedConnection);
}

int HttpServer::openConnections() const
{
    return m_stats.openConnections.load(std::memory_order_relaxed);
}

int HttpServer::inFlightExchanges() const
{
    return m_stats.inFlight.load(std::memory_order_relaxed);
}

bool HttpServer::drain(int timeoutMs)
{
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker] { worker->beginDrain(); }, Qt::QueuedConnection);

    const QDeadlineTimer deadline(timeoutMs);
    // Done when nothing is in flight and every connection is closed or only waits for the client's FIN.
    const auto done = [this] {
        return inFlightExchanges() == 0
            && openConnections() - m_stats.lingering.load(std::memory_order_relaxed) <= 0;
    };
    while (!done() && !deadline.hasExpired()) {
        // Keep the caller's thread alive (signals, timers, a GUI) while the workers finish.
        QEventLoop loop;
        QTimer::singleShot(qMin<qint64>(10, qMax<qint64>(1, deadline.remainingTime())), &loop, &QEventLoop::quit);
        loop.exec();
    }
    return inFlightExchanges() == 0;
}

void HttpServer::stopThreads()
{
    for (size_t i = 0; i < m_workers.size(); ++i) {
        HttpWorker *worker = m_workers[i];
        QMetaObject::invokeMethod(worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete worker;
        delete m_threads[i];
    }
    m_workers.clear();
    m_threads.clear();
}

} // namespace tollgate::http
