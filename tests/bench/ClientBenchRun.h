#pragma once

// The measuring frame the upstream-client benchmarks share (bench_upstreampool, bench_upstream_curl),
// so that their figures compare: the same clocks, warm-up, window and report lines.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace tollgate::bench {

inline qint64 nowNs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

inline double threadCpuSeconds()
{
    struct rusage usage;
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The options both take: --url (default: a built-in upstream), --concurrency, --seconds.
inline void addCommonOptions(QCommandLineParser &options)
{
    options.addHelpOption();
    options.addOption({QStringLiteral("url"), QStringLiteral("Upstream URL (default: built-in upstream)."), QStringLiteral("url")});
    options.addOption({QStringLiteral("concurrency"), QStringLiteral("Calls in flight."), QStringLiteral("n"), QStringLiteral("64")});
    options.addOption({QStringLiteral("seconds"), QStringLiteral("Measured duration."), QStringLiteral("s"), QStringLiteral("5")});
}

// Starts a built-in upstream (a QTcpServer) on its own thread, so that it does not share the client's
// loop; returns its URL. The caller deletes the server in that thread before stopping it.
template<typename Server>
QUrl startOnThread(Server *server, QThread &thread)
{
    server->moveToThread(&thread);
    thread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        server,
        [server, &port] {
            server->setListenBacklogSize(1024); // N simultaneous connects overflow the default 50
            server->listen(QHostAddress::LocalHost, 0);
            port = server->serverPort();
        },
        Qt::BlockingQueuedConnection);
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port));
}

// N calls kept in flight by the caller; this measures the window after a 500 ms warm-up (connections
// open) and says when to stop launching.
class ClientBenchRun
{
public:
    explicit ClientBenchRun(double seconds) { m_latencies.reserve(4000000); schedule(seconds); }

    bool measuring() const { return m_measuring; }
    bool stopping() const { return m_stopping; }
    // A call started at startedNs completed: counted when it lies wholly inside the window.
    void completed(qint64 startedNs)
    {
        if (m_measuring && startedNs >= m_measureStartNs) {
            m_latencies.push_back(nowNs() - startedNs);
            ++m_completed;
        }
    }

    // The lines both benchmarks print, in the same order and format.
    void report(const QUrl &url, bool builtIn, int concurrency, int idleConnections, long long errors)
    {
        std::sort(m_latencies.begin(), m_latencies.end());
        const auto percentile = [&](double p) {
            return m_latencies.empty() ? 0.0 : m_latencies[size_t(p * double(m_latencies.size() - 1))] / 1000.0;
        };
        std::printf("upstream      %s%s\n", qPrintable(url.toString()), builtIn ? " (built-in, own thread)" : "");
        std::printf("concurrency   %d, %.1f s measured\n", concurrency, m_elapsed);
        std::printf("calls/s       %.0f\n", m_completed / m_elapsed);
        std::printf("latency us    p50 %.0f  p99 %.0f  max %.0f\n", percentile(0.50), percentile(0.99), percentile(1.0));
        std::printf("pool thread   %.1f us CPU per call (%.0f%% of a core)\n", m_cpu / double(m_completed) * 1e6,
                    m_cpu / m_elapsed * 100);
        std::printf("connections   %d idle at the end, errors %lld\n", idleConnections, errors);
    }

private:
    void schedule(double seconds)
    {
        QTimer::singleShot(500, qApp, [this] {
            m_measuring = true;
            m_measureStartNs = nowNs();
            m_cpuStart = threadCpuSeconds();
        });
        QTimer::singleShot(500 + int(seconds * 1000), qApp, [this] {
            m_measuring = false;
            m_elapsed = (nowNs() - m_measureStartNs) / 1e9;
            m_cpu = threadCpuSeconds() - m_cpuStart;
            m_stopping = true;
        });
    }

    std::vector<qint64> m_latencies;
    qint64 m_completed = 0;
    qint64 m_measureStartNs = 0;
    double m_cpuStart = 0;
    double m_elapsed = 0;
    double m_cpu = 0;
    bool m_measuring = false;
    bool m_stopping = false;
};

} // namespace tollgate::bench
