// libcurl's multi interface as the upstream client, embedded in a Qt event loop on one thread the
// way the gateway would embed it: the counterpart of tests/proxy/bench_upstreampool, measured the
// same way (N calls in flight, calls/s, latency percentiles, the client thread's CPU per call) and
// printing the same lines, so that the two can be compared side by side.
//
//   bench_upstream_curl [--url http://127.0.0.1:8080/small] [--concurrency 64] [--seconds 5]
//                       [--method GET|POST] [--verify]
//
// Without --url it starts a minimal keep-alive echo upstream of its own on a second thread.
// --verify gives each request a unique query (?i=N) and checks that its answer echoes it: the
// upstream must answer with the request target, followed by a newline and the request body if
// there is one (the built-in upstream does; nginx does for GET with `return 200 '$request_uri'`).
//
// The line labels are bench_upstreampool's, unchanged, so that bench.sh can print both side by side.
// "idle at the end" counts the connections curl keeps open once all calls are done; the pool keeps
// at most UpstreamPoolOptions::maxIdlePerInstance (512), curl up to CURLMOPT_MAXCONNECTS (N).

#include "tests/bench/ClientBenchRun.h"

#include <curl/curl.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

using tollgate::bench::ClientBenchRun;
using tollgate::bench::nowNs;

namespace {

qint64 contentLength(const QByteArray &head)
{
    static const QByteArray name = "content-length:";
    for (const QByteArray &line : head.split('\n')) {
        if (line.size() > name.size() && line.left(name.size()).toLower() == name)
            return line.mid(name.size()).trimmed().toLongLong();
    }
    return 0;
}

// Answers each request with its own target, plus a newline and its body if it has one: an answer
// delivered to the wrong request, or a request whose framing went wrong, shows as a mismatch.
class EchoUpstream : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto pending = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [socket, pending] {
            *pending += socket->readAll();
            QByteArray out;
            qsizetype headEnd;
            while ((headEnd = pending->indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = pending->left(headEnd);
                const qint64 length = contentLength(head);
                if (pending->size() < headEnd + 4 + length)
                    break;
                QByteArray echo = head.left(head.indexOf("\r\n")).split(' ').value(1);
                if (length > 0)
                    echo += '\n' + pending->mid(headEnd + 4, length);
                out += "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(echo.size())
                    + "\r\n\r\n" + echo;
                pending->remove(0, headEnd + 4 + length);
            }
            if (!out.isEmpty())
                socket->write(out);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
};

// A curl multi handle driven by the calling thread's Qt event loop through curl_multi_socket_action:
// curl says which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when it next needs the time
// (CURLMOPT_TIMERFUNCTION); QSocketNotifiers and one single-shot QTimer do the waiting.
class CurlEventLoop
{
public:
    // Runs from the event loop (never inside a curl callback), so it may add the handle again.
    using Finished = std::function<void(CURL *easy, CURLcode result)>;

    CurlEventLoop(long maxConnects, Finished finished)
        : m_multi(curl_multi_init())
        , m_finished(std::move(finished))
    {
        curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlEventLoop::onSocket);
        curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlEventLoop::onTimer);
        curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
        // The cache must hold one connection per call in flight, or curl closes the surplus after
        // each transfer and opens a new connection for the next one.
        curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, maxConnects);
        curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { act(CURL_SOCKET_TIMEOUT, 0); });
    }

    ~CurlEventLoop()
    {
        // Closes the cached connections through closeSocket(), which needs this object alive.
        curl_multi_cleanup(m_multi);
    }

    CurlEventLoop(const CurlEventLoop &) = delete;
    CurlEventLoop &operator=(const CurlEventLoop &) = delete;

    // Once per easy handle: curl opens and closes its sockets through us, so that we can count the
    // open connections (curl keeps idle ones in its cache without telling).
    void adopt(CURL *easy)
    {
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &CurlEventLoop::openSocket);
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
        curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlEventLoop::closeSocket);
        curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
    }

    // Nothing is sent from here: curl sets its timer to 0 and starts the transfer on the loop's
    // next pass (or in any socket_action before that), batched with the others added meanwhile.
    void start(CURL *easy) { curl_multi_add_handle(m_multi, easy); }

    int openConnections() const { return m_openSockets; }
    qint64 connectionsOpened() const { return m_socketsOpened; }

private:
    // One entry per descriptor ever watched, kept for good: curl reports a socket's removal from
    // inside socket_action, possibly while its notifier is emitting activated() (too early to
    // delete it), and the kernel hands the same descriptor to the next connection anyway.
    struct Watch
    {
        std::unique_ptr<QSocketNotifier> read;
        std::unique_ptr<QSocketNotifier> write;
    };

    static int onSocket(CURL *, curl_socket_t fd, int what, void *self, void *)
    {
        auto *loop = static_cast<CurlEventLoop *>(self);
        Watch &watch = loop->m_watches[fd];
        loop->watch(watch.read, fd, QSocketNotifier::Read, what == CURL_POLL_IN || what == CURL_POLL_INOUT);
        loop->watch(watch.write, fd, QSocketNotifier::Write, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
        return 0;
    }

    void watch(std::unique_ptr<QSocketNotifier> &notifier, curl_socket_t fd, QSocketNotifier::Type type, bool on)
    {
        if (!notifier) {
            if (!on)
                return;
            notifier = std::make_unique<QSocketNotifier>(fd, type);
            const int event = type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
            QObject::connect(notifier.get(), &QSocketNotifier::activated, [this, fd, event] { act(fd, event); });
            return;
        }
        if (notifier->isEnabled() != on)
            notifier->setEnabled(on);
    }

    static int onTimer(CURLM *, long timeoutMs, void *self)
    {
        // curl's documentation forbids calling socket_action from here; a 0 ms timer is "soon".
        auto *loop = static_cast<CurlEventLoop *>(self);
        if (timeoutMs < 0)
            loop->m_timer.stop();
        else
            loop->m_timer.start(int(std::min<long>(timeoutMs, INT_MAX)));
        return 0;
    }

    static curl_socket_t openSocket(void *self, curlsocktype, struct curl_sockaddr *address)
    {
        const curl_socket_t fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
        if (fd != CURL_SOCKET_BAD) {
            auto *loop = static_cast<CurlEventLoop *>(self);
            ++loop->m_openSockets;
            ++loop->m_socketsOpened;
        }
        return fd;
    }

    static int closeSocket(void *self, curl_socket_t fd)
    {
        auto *loop = static_cast<CurlEventLoop *>(self);
        // curl says CURL_POLL_REMOVE first; this only guards against polling a closed descriptor.
        const auto found = loop->m_watches.find(fd);
        if (found != loop->m_watches.end()) {
            loop->watch(found->second.read, fd, QSocketNotifier::Read, false);
            loop->watch(found->second.write, fd, QSocketNotifier::Write, false);
        }
        --loop->m_openSockets;
        return ::close(fd);
    }

    void act(curl_socket_t fd, int event)
    {
        int running = 0;
        curl_multi_socket_action(m_multi, fd, event, &running);
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(m_multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            // The message dies with remove_handle: take what it says first.
            CURL *easy = message->easy_handle;
            const CURLcode result = message->data.result;
            curl_multi_remove_handle(m_multi, easy);
            m_finished(easy, result);
        }
    }

    CURLM *m_multi;
    Finished m_finished;
    QTimer m_timer;
    std::unordered_map<curl_socket_t, Watch> m_watches;
    int m_openSockets = 0;
    qint64 m_socketsOpened = 0;
};

// One call in flight: an easy handle reused call after call, so that its connection goes back to
// the multi handle's cache and the next call finds it there.
struct Transfer
{
    CURL *easy = nullptr;
    qint64 startedNs = 0;
    QByteArray requestBody; // curl sends it from here (CURLOPT_POSTFIELDS does not copy)
    QByteArray expected;    // --verify: what the echo must answer
    QByteArray response;
    char error[CURL_ERROR_SIZE] = {};
};

size_t keepBody(char *data, size_t size, size_t count, void *transfer)
{
    static_cast<Transfer *>(transfer)->response.append(data, qsizetype(size * count));
    return size * count;
}

// The pool's bench does not look at bodies either: without --verify they cost nothing but the read.
size_t dropBody(char *, size_t size, size_t count, void *)
{
    return size * count;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser options;
    tollgate::bench::addCommonOptions(options);
    options.addOption({QStringLiteral("method"), QStringLiteral("GET, or POST with a small JSON body."), QStringLiteral("method"),
                       QStringLiteral("GET")});
    options.addOption({QStringLiteral("verify"), QStringLiteral("Unique query per request (?i=N); check each answer echoes it.")});
    options.process(app);

    const QByteArray method = options.value(QStringLiteral("method")).toUpper().toLatin1();
    if (method != "GET" && method != "POST") {
        std::fprintf(stderr, "--method: GET or POST\n");
        return 2;
    }
    const bool post = method == "POST";
    const bool verify = options.isSet(QStringLiteral("verify"));

    QThread upstreamThread;
    EchoUpstream *echo = nullptr;
    QUrl url(options.value(QStringLiteral("url")));
    if (url.isEmpty()) {
        echo = new EchoUpstream;
        url = tollgate::bench::startOnThread(echo, upstreamThread);
    }
    const int concurrency = options.value(QStringLiteral("concurrency")).toInt();
    const double seconds = options.value(QStringLiteral("seconds")).toDouble();
    const QByteArray baseUrl = url.toEncoded();
    // What the upstream sees as the request target, for the echo check.
    QByteArray baseTarget = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (baseTarget.isEmpty() || baseTarget.startsWith('?'))
        baseTarget.prepend('/');
    const char queryJoin = url.hasQuery() ? '&' : '?';

    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "X-Request-Id: bench");
    if (post) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:"); // no 100-continue round trip for a small body
    }

    ClientBenchRun run(seconds);
    qint64 errors = 0;
    qint64 mismatches = 0;
    qint64 verified = 0;
    qint64 sequence = 0;
    int running = 0;

    std::function<void(Transfer *)> launch;
    auto finished = [&](CURL *easy, CURLcode result) {
        Transfer *transfer = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &transfer);
        --running;
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        // Only a complete 200 answer counts: CURLE_OK also covers 4xx/5xx.
        const bool failed = result != CURLE_OK || status != 200;
        if (failed && errors++ < 5) {
            if (result != CURLE_OK)
                std::fprintf(stderr, "error: %s %s\n", curl_easy_strerror(result), transfer->error);
            else
                std::fprintf(stderr, "error: status %ld\n", status);
        }
        bool matched = true;
        if (!failed && verify) {
            ++verified;
            matched = transfer->response == transfer->expected;
            if (!matched && mismatches++ < 5)
                std::fprintf(stderr, "mismatch: expected '%s', got '%s'\n", transfer->expected.constData(),
                             transfer->response.left(200).constData());
        }
        if (!failed && matched)
            run.completed(transfer->startedNs);
        if (!run.stopping()) {
            if (!failed)
                launch(transfer);
            else // as the pool's bench does: no hammering a refusing upstream
                QTimer::singleShot(10, &app, [&launch, transfer] { launch(transfer); });
        } else if (running == 0) {
            app.quit();
        }
    };
    CurlEventLoop loop(concurrency, finished);

    std::vector<Transfer> transfers(size_t(std::max(concurrency, 0)));
    for (Transfer &transfer : transfers) {
        CURL *easy = curl_easy_init();
        transfer.easy = easy;
        loop.adopt(easy);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
        curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error);
        curl_easy_setopt(easy, CURLOPT_URL, baseUrl.constData());
        curl_easy_setopt(easy, CURLOPT_PROXY, ""); // an http_proxy in the environment must not apply
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
        curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        // UpstreamRequest's defaults, so both clients keep the same timers.
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 60000L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, verify ? &keepBody : &dropBody);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
        if (post)
            transfer.requestBody = "{\"q\":\"tollgate\"}";
    }

    launch = [&](Transfer *transfer) {
        if (verify) {
            const QByteArray query = queryJoin + QByteArray("i=") + QByteArray::number(++sequence);
            curl_easy_setopt(transfer->easy, CURLOPT_URL, (baseUrl + query).constData()); // curl copies it
            transfer->expected = baseTarget + query;
            if (post) {
                transfer->requestBody = "{\"q\":\"tollgate\",\"i\":" + QByteArray::number(sequence) + '}';
                transfer->expected += '\n' + transfer->requestBody;
            }
            transfer->response.clear();
        }
        if (post) {
            curl_easy_setopt(transfer->easy, CURLOPT_POSTFIELDSIZE, long(transfer->requestBody.size()));
            curl_easy_setopt(transfer->easy, CURLOPT_POSTFIELDS, transfer->requestBody.constData());
        }
        transfer->error[0] = '\0';
        transfer->startedNs = nowNs();
        ++running;
        loop.start(transfer->easy);
    };

    QTimer::singleShot(0, &app, [&] {
        for (Transfer &transfer : transfers)
            launch(&transfer);
    });
    app.exec();

    run.report(url, echo != nullptr, concurrency, loop.openConnections(), errors);
    if (verify)
        std::printf("verified      %lld answers, %lld mismatched, %lld connections opened\n", verified, mismatches,
                    loop.connectionsOpened());

    for (Transfer &transfer : transfers)
        curl_easy_cleanup(transfer.easy);
    curl_slist_free_all(headers);
    if (echo) {
        QMetaObject::invokeMethod(echo, [echo] { delete echo; }, Qt::BlockingQueuedConnection);
        upstreamThread.quit();
        upstreamThread.wait();
    }
    return errors == 0 && mismatches == 0 ? 0 : 1;
}
