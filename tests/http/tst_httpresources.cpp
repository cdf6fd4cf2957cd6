// The HTTP front under resource pressure: thousands of idle keep-alive connections, and running out
// of file descriptors (accept fails with EMFILE) without ever giving up on accepting.

#include "HttpTestSupport.h"

#include <QDir>
#include <QScopeGuard>

#include <sys/resource.h>

using namespace httptest;

namespace {

QList<int> openFds()
{
    QList<int> fds;
    const QStringList entries = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
    for (const QString &e : entries)
        fds.append(e.toInt());
    std::sort(fds.begin(), fds.end());
    return fds;
}

// Lowers the descriptor limit to just above the highest one in use and takes every free slot below
// it: the next accept() anywhere in the process fails with EMFILE until something is closed.
std::vector<int> exhaustDescriptors(rlim_t hardLimit)
{
    const QList<int> fds = openFds();
    rlimit tight{rlim_t(fds.last()) + 1, hardLimit};
    setrlimit(RLIMIT_NOFILE, &tight);
    std::vector<int> fillers;
    for (;;) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            break;
        fillers.push_back(fd);
    }
    return fillers;
}

int connectNonBlocking(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&in), sizeof in) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

class RlimitGuard
{
public:
    RlimitGuard() { getrlimit(RLIMIT_NOFILE, &m_saved); }
    ~RlimitGuard() { setrlimit(RLIMIT_NOFILE, &m_saved); }
    const rlimit &saved() const { return m_saved; }

private:
    rlimit m_saved;
};

} // namespace

class TestHttpResources : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void twoThousandIdleConnections();
    void acceptSurvivesFileDescriptorExhaustion();
};

void TestHttpResources::init()
{
    TestState::instance().reset();
}

void TestHttpResources::twoThousandIdleConnections()
{
    const int count = 2000;
    RlimitGuard guard;
    rlimit raised = guard.saved();
    raised.rlim_cur = std::min<rlim_t>(raised.rlim_max, 2 * count + 1024);
    QVERIFY(setrlimit(RLIMIT_NOFILE, &raised) == 0);
    if (raised.rlim_cur < rlim_t(2 * count + 200))
        QSKIP("the hard descriptor limit is too low for 2,000 connections in one process");

    TestServer server;
    QVERIFY(server.start());
    std::vector<int> fds;
    fds.reserve(count);
    for (int i = 0; i < count; ++i) {
        const int fd = connectNonBlocking(server.port());
        QVERIFY(fd >= 0);
        fds.push_back(fd);
    }
    // All open and idle at once...
    QTRY_COMPARE_WITH_TIMEOUT(server->openConnections(), count, 20000);

    // ...then each asks once and gets its answer.
    const QByteArray request = get("/hello");
    for (int fd : fds)
        QCOMPARE(::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL), ssize_t(request.size()));
    std::vector<QByteArray> received(static_cast<size_t>(count));
    std::vector<bool> done(static_cast<size_t>(count), false);
    std::vector<pollfd> polls(static_cast<size_t>(count));
    int complete = 0;
    QElapsedTimer timer;
    timer.start();
    while (complete < count && timer.elapsed() < 20000) {
        for (size_t i = 0; i < size_t(count); ++i)
            polls[i] = {done[i] ? -1 : fds[i], POLLIN, 0};
        if (::poll(polls.data(), polls.size(), 1000) <= 0)
            continue;
        for (size_t i = 0; i < size_t(count); ++i) {
            if (done[i] || !(polls[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            const ssize_t n = ::recv(fds[i], buf, sizeof buf, 0);
            if (n > 0)
                received[i].append(buf, n);
            if (n <= 0 || received[i].endsWith("Hello, world!")) {
                done[i] = true;
                complete += n > 0 ? 1 : 0;
            }
        }
    }
    QCOMPARE(complete, count);
    for (const QByteArray &r : received)
        QVERIFY(r.startsWith("HTTP/1.1 200 OK\r\n"));
    QCOMPARE(server->openConnections(), count); // keep-alive: still all open

    for (int fd : fds)
        ::close(fd);
    QTRY_COMPARE_WITH_TIMEOUT(server->openConnections(), 0, 10000);
}

void TestHttpResources::acceptSurvivesFileDescriptorExhaustion()
{
    TestServer server;
    QVERIFY(server.start());
    RlimitGuard guard;

    RawClient a;
    QVERIFY(a.connectTo(server.port()));
    QVERIFY(a.send(get("/hello")));
    QVERIFY(a.readResponse());
    QTRY_COMPARE(server->openConnections(), 1);

    // Two client sockets first, then no free descriptor left: the server's accept() for their
    // connections fails with EMFILE.
    RawClient b;
    RawClient c;
    QVERIFY(b.prepare());
    QVERIFY(c.prepare());
    const std::vector<int> fillers = exhaustDescriptors(guard.saved().rlim_max);
    const auto closeFillers = qScopeGuard([&fillers] {
        for (int fd : fillers)
            ::close(fd);
    });
    QCOMPARE(::socket(AF_INET, SOCK_STREAM, 0), -1);
    QCOMPARE(errno, EMFILE);
    QVERIFY(b.connectTo(server.port())); // completes in the kernel's backlog
    QVERIFY(c.connectTo(server.port()));

    QVERIFY(b.send(get("/hello")));
    QVERIFY(b.silentFor(300)); // not accepted: no answer
    QCOMPARE(server->openConnections(), 1);

    // The connection already open is still served meanwhile.
    QVERIFY(a.send(get("/echo")));
    const auto stillServed = a.readResponse(2000);
    QVERIFY(stillServed);
    QCOMPARE(stillServed->status, 200);

    // Free descriptors (ours, and the server's once it sees us go): it accepts again by itself.
    a.close();
    const auto rb = b.readResponse(3000);
    QVERIFY(rb);
    QCOMPARE(rb->status, 200);
    QVERIFY(c.send(get("/hello")));
    const auto rc = c.readResponse(3000);
    QVERIFY(rc);
    QCOMPARE(rc->status, 200);
}

QTEST_GUILESS_MAIN(TestHttpResources)
#include "tst_httpresources.moc"
