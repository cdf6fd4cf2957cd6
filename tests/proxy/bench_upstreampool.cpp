// Throughput of one UpstreamPool on one event-loop thread: keeps N calls in flight against an
// upstream for a while and prints calls/s, latency percentiles and the pool thread's CPU per call.
//
//   bench_upstreampool [--url http://127.0.0.1:8080/small] [--concurrency 64] [--seconds 5]
//
// Without --url it starts a minimal keep-alive upstream of its own on a second thread.

#include "server/proxy/UpstreamPool.h"
#include "tests/bench/ClientBenchRun.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace tollgate::proxy;
using tollgate::bench::ClientBenchRun;
using tollgate::bench::nowNs;

namespace {

// Answers every bodiless request with the same small keep-alive response.
class TinyUpstream : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            static const QByteArray response = "HTTP/1.1 200 OK\r\nServer: tiny\r\nContent-Type: application/json\r\n"
                                               "Content-Length: 27\r\n\r\n{\"results\":[],\"took_ms\":1}\n";
            QByteArray &pending = *reinterpret_cast<QByteArray *>(socket->property("pending").value<void *>());
            pending += socket->readAll();
            QByteArray out;
            qsizetype end;
            while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
                pending.remove(0, end + 4);
                out += response;
            }
            if (!out.isEmpty())
                socket->write(out);
        });
        auto *pending = new QByteArray;
        socket->setProperty("pending", QVariant::fromValue(static_cast<void *>(pending)));
        connect(socket, &QTcpSocket::disconnected, socket, [socket, pending] {
            delete pending;
            socket->deleteLater();
        });
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser options;
    tollgate::bench::addCommonOptions(options);
    options.process(app);

    QThread upstreamThread;
    TinyUpstream *tiny = nullptr;
    QUrl url(options.value(QStringLiteral("url")));
    if (url.isEmpty()) {
        tiny = new TinyUpstream;
        url = tollgate::bench::startOnThread(tiny, upstreamThread);
    }
    const int concurrency = options.value(QStringLiteral("concurrency")).toInt();
    const double seconds = options.value(QStringLiteral("seconds")).toDouble();
    const QByteArray target = url.path().isEmpty() ? QByteArray("/") : url.path().toUtf8();

    QUrl instance = url;
    instance.setPath(QString()); // the pool takes addresses; the path goes into each request
    UpstreamPool pool(QStringLiteral("bench"), {instance});
    ClientBenchRun run(seconds);
    qint64 errors = 0;
    int running = 0;

    std::function<void()> launch = [&] {
        UpstreamRequest request;
        request.method = "GET";
        request.target = target;
        request.headers.add("Accept", "application/json");
        request.headers.add("X-Request-Id", "bench");
        const qint64 started = nowNs();
        auto call = pool.start(std::move(request));
        ++running;
        auto status = std::make_shared<int>(0);
        call->onHead = [status](const UpstreamResponseHead &head) { *status = head.status; };
        call->onComplete = [&, started, status] {
            --running;
            if (*status < 200 || *status > 299) {
                // A fast error is not throughput.
                if (errors++ < 5)
                    std::fprintf(stderr, "error: upstream answered %d\n", *status);
            } else {
                run.completed(started);
            }
            if (!run.stopping())
                launch();
            else if (running == 0)
                app.quit();
        };
        call->onError = [&](UpstreamError error, const QString &detail) {
            --running;
            if (errors++ < 5)
                std::fprintf(stderr, "error: %s %s\n", upstreamErrorName(error).data(), qPrintable(detail));
            if (!run.stopping())
                QTimer::singleShot(10, &app, launch);
            else if (running == 0)
                app.quit();
        };
    };

    QTimer::singleShot(0, &app, [&] {
        for (int i = 0; i < concurrency; ++i)
            launch();
    });
    app.exec();

    run.report(url, tiny != nullptr, concurrency, pool.idleConnections(), errors);

    if (tiny) {
        QMetaObject::invokeMethod(tiny, [tiny] { delete tiny; }, Qt::BlockingQueuedConnection);
        upstreamThread.quit();
        upstreamThread.wait();
    }
    return errors == 0 ? 0 : 1;
}
