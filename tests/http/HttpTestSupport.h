#pragma once

// Shared by the HTTP front tests: a raw-socket client that sees exactly what the server sends, and
// a tiny handler (echo, slow, streaming) the server runs in its own threads inside the test process.

#include "server/http/HttpServer.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QThread>
#include <QTimer>
#include <QtTest>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>

namespace httptest {

using namespace tollgate::http;

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (HttpHeaders::nameEquals(h.first, name))
                return h.second;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (HttpHeaders::nameEquals(h.first, name))
                return true;
        }
        return false;
    }
};

// Blocking BSD socket with poll() timeouts: the server runs in other threads, so the test thread may block.
class RawClient
{
public:
    RawClient() = default;
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;
    ~RawClient() { close(); }

    // Creates the socket without connecting it (the EMFILE test needs its descriptor taken early).
    bool prepare(int family = AF_INET)
    {
        close();
        m_fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        return m_fd >= 0;
    }

    bool connectTo(quint16 port, const char *host = "127.0.0.1")
    {
        sockaddr_storage ss{};
        socklen_t len;
        if (std::strchr(host, ':')) {
            auto *in6 = reinterpret_cast<sockaddr_in6 *>(&ss);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(port);
            if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
                return false;
            len = sizeof *in6;
        } else {
            auto *in = reinterpret_cast<sockaddr_in *>(&ss);
            in->sin_family = AF_INET;
            in->sin_port = htons(port);
            if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
                return false;
            len = sizeof *in;
        }
        if (m_fd < 0 && !prepare(ss.ss_family))
            return false;
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&ss), len) != 0) {
            close();
            return false;
        }
        return true;
    }

    int fd() const { return m_fd; }
    QByteArray &buffered() { return m_buf; }

    bool send(QByteArrayView data)
    {
        qsizetype off = 0;
        while (off < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + off, size_t(data.size() - off), MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return false;
            }
            off += n;
        }
        return true;
    }

    // One response; 1xx interim responses are returned on their own. head: no body follows.
    std::optional<RawResponse> readResponse(int timeoutMs = 5000, bool head = false)
    {
        const QDeadlineTimer deadline(timeoutMs);
        qsizetype end;
        while ((end = m_buf.indexOf("\r\n\r\n")) < 0) {
            if (!fill(deadline))
                return std::nullopt;
        }
        RawResponse r;
        const QList<QByteArray> lines = m_buf.left(end).split('\n');
        const QByteArray statusLine = lines.value(0).trimmed();
        if (!statusLine.startsWith("HTTP/1."))
            return std::nullopt;
        r.status = statusLine.mid(9, 3).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        m_buf.remove(0, end + 4);
        if (head || r.status < 200 || r.status == 204 || r.status == 304)
            return r;
        if (r.header("transfer-encoding").toLower() == "chunked") {
            for (;;) {
                qsizetype eol;
                while ((eol = m_buf.indexOf("\r\n")) < 0) {
                    if (!fill(deadline))
                        return std::nullopt;
                }
                bool ok = false;
                const qint64 size = m_buf.left(eol).toLongLong(&ok, 16);
                if (!ok)
                    return std::nullopt;
                while (m_buf.size() < eol + 2 + size + 2) {
                    if (!fill(deadline))
                        return std::nullopt;
                }
                r.body.append(m_buf.mid(eol + 2, size));
                m_buf.remove(0, eol + 2 + size + 2);
                if (size == 0)
                    return r;
            }
        }
        if (r.hasHeader("content-length")) {
            const qint64 length = r.header("content-length").toLongLong();
            while (m_buf.size() < length) {
                if (!fill(deadline))
                    return std::nullopt;
            }
            r.body = m_buf.left(length);
            m_buf.remove(0, length);
            return r;
        }
        while (fill(deadline)) {
        }
        if (!m_eof)
            return std::nullopt;
        r.body = std::exchange(m_buf, QByteArray());
        return r;
    }

    // True when the server closes (EOF or reset) within timeoutMs. Data that arrives meanwhile is kept.
    bool waitForClose(int timeoutMs, qint64 *elapsedMs = nullptr)
    {
        QElapsedTimer timer;
        timer.start();
        const QDeadlineTimer deadline(timeoutMs);
        while (!m_eof) {
            if (!fill(deadline) && !m_eof)
                return false;
        }
        if (elapsedMs)
            *elapsedMs = timer.elapsed();
        return true;
    }

    // Nothing at all (no data, no close) within ms.
    bool silentFor(int ms)
    {
        pollfd p{m_fd, POLLIN, 0};
        return ::poll(&p, 1, ms) == 0;
    }

    bool eof() const { return m_eof; }

    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        m_buf.clear();
        m_eof = false;
    }

    // Close with a reset (SO_LINGER 0): the rudest way for a client to leave.
    void reset()
    {
        if (m_fd >= 0) {
            linger l{1, 0};
            ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        close();
    }

private:
    bool fill(const QDeadlineTimer &deadline)
    {
        if (m_eof || m_fd < 0)
            return false;
        pollfd p{m_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, int(qMax<qint64>(0, deadline.remainingTime())));
        if (ready <= 0)
            return false;
        char chunk[16384];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            m_eof = true; // EOF or ECONNRESET: either way the server is gone
            return false;
        }
        m_buf.append(chunk, n);
        return true;
    }

    int m_fd = -1;
    QByteArray m_buf;
    bool m_eof = false;
};

inline QByteArray get(QByteArrayView target, QByteArrayView extra = {})
{
    return "GET " + target.toByteArray() + " HTTP/1.1\r\nHost: test\r\n" + extra.toByteArray() + "\r\n";
}

inline QByteArray post(QByteArrayView target, QByteArrayView body, QByteArrayView extra = {})
{
    return "POST " + target.toByteArray() + " HTTP/1.1\r\nHost: test\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n" + extra.toByteArray() + "\r\n" + body.toByteArray();
}

// What the handler saw, for the tests to assert on (handlers run in the server's threads).
struct TestState
{
    std::atomic<int> handled{0};
    std::atomic<int> aborted{0};
    std::atomic<int> slowDone{0};
    std::atomic<int> streamWrites{0};
    std::atomic<qint64> maxPendingOutput{0};
    std::atomic<int> drainedSignals{0};
    std::atomic<int> bodyPauses{0};
    QMutex mutex;
    QList<QByteArray> completionOrder;

    void reset()
    {
        handled = 0;
        aborted = 0;
        slowDone = 0;
        streamWrites = 0;
        maxPendingOutput = 0;
        drainedSignals = 0;
        bodyPauses = 0;
        QMutexLocker lock(&mutex);
        completionOrder.clear();
    }
    static TestState &instance()
    {
        static TestState state;
        return state;
    }
};

inline QByteArray queryValue(const QByteArray &query, QByteArrayView key)
{
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq > 0 && QByteArrayView(pair).first(eq) == key)
            return pair.mid(eq + 1);
    }
    return {};
}

class TestHandler : public HttpHandler
{
public:
    BodyPolicy bodyPolicy(const HttpRequest &head) override
    {
        if (head.path == "/upload" || head.path == "/upload-paced" || head.path == "/upload-reject")
            return {100 << 20, true};
        if (head.path == "/small")
            return {1024, false};
        if (head.path == "/judged") {
            BodyPolicy policy;
            policy.judgeHead = true;
            return policy;
        }
        return {};
    }

    void handle(const std::shared_ptr<HttpExchange> &ex) override
    {
        TestState &state = TestState::instance();
        ++state.handled;
        ex->setAbortHandler([] { ++TestState::instance().aborted; });
        const HttpRequest &r = ex->request();
        HttpHeaders text;
        text.add("Content-Type", "text/plain");

        if (r.path == "/hello") {
            ex->respond(200, text, "Hello, world!");
        } else if (r.path == "/echo" || r.path == "/small") {
            HttpHeaders h;
            h.add("X-Method", r.method);
            h.add("X-Target", r.target);
            h.add("X-Path", r.path);
            h.add("X-Query", r.query);
            h.add("X-Version", QByteArray::number(r.versionMinor));
            h.add("X-Peer", r.peerAddress.toString().toLatin1());
            h.add("X-Header-Count", QByteArray::number(r.headers.fields.size()));
            h.add("X-Content-Length", QByteArray::number(r.contentLength));
            ex->respond(200, h, r.body);
        } else if (r.path == "/slow") {
            const int ms = queryValue(r.query, "ms").toInt();
            const QByteArray id = queryValue(r.query, "id");
            QTimer::singleShot(ms, [ex, id] {
                ex->respond(200, {}, "slow " + id);
                TestState &state = TestState::instance();
                QMutexLocker lock(&state.mutex);
                state.completionOrder.append(id);
                ++state.slowDone;
            });
        } else if (r.path == "/stream") {
            const int n = queryValue(r.query, "n").toInt();
            const int interval = queryValue(r.query, "ms").toInt();
            ex->startResponse(200, text, -1);
            // The timer holds only a weak reference: an aborted exchange is simply gone at the next tick.
            auto *timer = new QTimer(&m_owner); // dies with the handler at server shutdown
            timer->setInterval(interval);
            std::weak_ptr<HttpExchange> weak = ex;
            QObject::connect(timer, &QTimer::timeout, timer, [weak, timer, n, i = 0]() mutable {
                const auto ex = weak.lock();
                if (!ex || ex->isAborted()) {
                    timer->deleteLater();
                    return;
                }
                ex->write("chunk " + QByteArray::number(i) + "\n");
                ++TestState::instance().streamWrites;
                if (++i == n) {
                    timer->stop();
                    timer->deleteLater();
                    ex->finish();
                }
            });
            timer->start();
        } else if (r.path == "/stream-length") {
            ex->startResponse(200, text, 10);
            ex->write("01234");
            ex->write("56789");
            ex->finish();
        } else if (r.path == "/upload") {
            auto bytes = std::make_shared<qint64>(0);
            std::weak_ptr<HttpExchange> weak = ex;
            ex->setBodyCallbacks([bytes](QByteArray chunk) { *bytes += chunk.size(); },
                                 [bytes, weak] {
                                     if (auto ex = weak.lock())
                                         ex->respond(200, {}, QByteArray::number(*bytes));
                                 });
        } else if (r.path == "/upload-reject") {
            ex->respond(403, text, "no"); // before the body: the connection cannot be reused
        } else if (r.path == "/upload-paced") {
            // Pauses after every chunk and resumes a little later: backpressure towards the client.
            auto bytes = std::make_shared<qint64>(0);
            std::weak_ptr<HttpExchange> weak = ex;
            ex->setBodyCallbacks(
                [bytes, weak](QByteArray chunk) {
                    *bytes += chunk.size();
                    const auto ex = weak.lock();
                    if (!ex)
                        return;
                    ex->pauseBody();
                    ++TestState::instance().bodyPauses;
                    QTimer::singleShot(2, [weak] {
                        if (const auto ex = weak.lock())
                            ex->resumeBody();
                    });
                },
                [bytes, weak] {
                    if (auto ex = weak.lock())
                        ex->respond(200, {}, QByteArray::number(*bytes));
                });
        } else if (r.path == "/big") {
            // A large streamed response that respects pendingOutputBytes()/outputDrained().
            const qint64 total = queryValue(r.query, "mb").toLongLong() << 20;
            const QByteArray block(256 * 1024, 'z');
            auto written = std::make_shared<qint64>(0);
            ex->startResponse(200, text, total);
            std::weak_ptr<HttpExchange> weak = ex;
            auto pump = [weak, written, total, block] {
                const auto ex = weak.lock();
                if (!ex || ex->isFinished())
                    return;
                while (*written < total && ex->pendingOutputBytes() < 1024 * 1024) {
                    const QByteArray piece = block.left(int(qMin<qint64>(block.size(), total - *written)));
                    ex->write(piece);
                    *written += piece.size();
                    TestState &state = TestState::instance();
                    qint64 seen = state.maxPendingOutput.load();
                    const qint64 pending = ex->pendingOutputBytes();
                    while (pending > seen && !state.maxPendingOutput.compare_exchange_weak(seen, pending)) {
                    }
                }
                if (*written == total)
                    ex->finish();
            };
            ex->setOutputDrainedHandler([pump] {
                ++TestState::instance().drainedSignals;
                pump();
            });
            pump();
        } else if (r.path == "/judged") {
            // Judged on its head: the body is read only after ms (no 100 Continue before), then its size answered.
            const int ms = queryValue(r.query, "ms").toInt();
            std::weak_ptr<HttpExchange> weak = ex;
            QTimer::singleShot(ms, [weak] {
                if (const auto ex = weak.lock()) {
                    ex->readBody([weak] {
                        if (const auto ex = weak.lock())
                            ex->respond(200, {}, QByteArray::number(ex->request().body.size()));
                    });
                }
            });
        } else if (r.path == "/thread") {
            ex->respond(200, text, QByteArray::number(quintptr(QThread::currentThreadId())));
        } else if (r.path == "/close") {
            HttpHeaders h;
            h.add("Connection", "close");
            ex->respond(200, h, "bye");
        } else if (r.path == "/nocontent") {
            ex->respond(204, {}, {});
        } else {
            ex->respond(404, text, "not found");
        }
    }

private:
    QObject m_owner; // made in the server thread (the factory runs there), like everything the handler creates
};

class TestServer
{
public:
    bool start(const HttpLimits &limits = {}, int threads = 1, const QHostAddress &address = QHostAddress::LocalHost)
    {
        server = std::make_unique<HttpServer>([] { return std::make_unique<TestHandler>(); }, limits);
        QString error;
        if (!server->listen(address, 0, threads, &error)) {
            qWarning() << "listen failed:" << error;
            return false;
        }
        return true;
    }
    quint16 port() const { return server->serverPort(); }
    HttpServer *operator->() const { return server.get(); }

    std::unique_ptr<HttpServer> server;
};

// Resident set size of this process (the server runs in it), in bytes.
inline qint64 residentBytes()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

} // namespace httptest
