#include "FakeUpstream.h"

#include "server/http/HttpExchange.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace tollgate::test {

class FakeUpstream::Handler : public http::HttpHandler
{
public:
    explicit Handler(FakeUpstream *owner) : m_owner(owner) {}

    http::BodyPolicy bodyPolicy(const http::HttpRequest &) override { return {200LL << 20, true}; }

    void handle(const std::shared_ptr<http::HttpExchange> &exchange) override
    {
        auto hash = std::make_shared<QCryptographicHash>(QCryptographicHash::Sha256);
        auto size = std::make_shared<qint64>(0);
        exchange->setBodyCallbacks(
            [hash, size](QByteArray chunk) {
                hash->addData(chunk);
                *size += chunk.size();
            },
            // Weak: the exchange owns this callback, a strong capture would keep it alive forever.
            [this, weakExchange = std::weak_ptr<http::HttpExchange>(exchange), hash, size] {
                const auto exchange = weakExchange.lock();
                if (!exchange)
                    return;
                const http::HttpRequest &request = exchange->request();
                if (request.path == "/health")  // the gateway's health probes: answered, not recorded
                    return exchange->respond(200, {}, "{\"status\":\"ok\"}");
                m_owner->record({request.method, request.target, request.headers, hash->result().toHex(), *size});
                const int delay = request.headers.value("x-test-delay-ms").toInt();
                std::weak_ptr<http::HttpExchange> weak = exchange;
                const qint64 bodySize = *size;
                auto answer = [this, weak, bodySize] {
                    if (auto e = weak.lock())
                        respond(e, bodySize);
                };
                if (delay > 0)
                    QTimer::singleShot(delay, answer);
                else
                    answer();
            });
    }

private:
    void respond(const std::shared_ptr<http::HttpExchange> &exchange, qint64 bodySize)
    {
        const http::HttpRequest &request = exchange->request();
        const QByteArray path = request.path;
        http::HttpHeaders headers;
        headers.add("Content-Type", "application/json");
        headers.add("X-Upstream-Header", "kept");
        // As real upstreams do: the gateway must hide it (HeaderRules) and name itself.
        headers.add("Server", "fake-upstream/1.0");
        if (request.headers.value("x-test-identify") == "1") {
            headers.add("X-Powered-By", "FakeFramework/2.1");
            headers.add("X-Accel-Redirect", "/internal/secret");
            headers.add("X-Pad", "avoid browser bug");
            headers.add("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
            headers.add("X-RateLimit-Limit", "999999");
            headers.add("X-Upstream-Private", "about its connection");
        }
        // Our own writer drops a handler's hop-by-hop fields (HeaderRules), so these go out as raw lines.
        QByteArray lines;
        if (request.headers.value("x-test-identify") == "1")
            lines += "Connection: X-Upstream-Private\r\n";
        if (request.headers.value("x-test-hop-by-hop") == "1")
            lines += "Proxy-Authenticate: Basic realm=upstream\r\nTE: trailers\r\n";
        if (request.headers.value("x-test-connection-close") == "1")
            headers.add("Connection", "close");
        const int status = request.headers.contains("x-test-status") ? request.headers.value("x-test-status").toInt() : 200;
        if (request.headers.value("x-test-close-mid-body") == "1") {
            exchange->startResponse(200, headers, 1000000);
            exchange->write(QByteArray(1000, 'x'));
            exchange->finish();  // shorter than announced: the front closes the connection
            return;
        }
        if (status != 200) {
            exchange->respond(status, headers, R"({"detail":"upstream says no"})", lines);
            return;
        }
        if (path == "/synthesize/auto") {
            const qint64 bytes = request.headers.contains("x-test-audio-bytes") ? request.headers.value("x-test-audio-bytes").toLongLong() : 200000;
            http::HttpHeaders audio;
            audio.add("Content-Type", "audio/mpeg");
            audio.add("Server", "fake-upstream/1.0");
            exchange->startResponse(200, audio, -1);
            for (qint64 sent = 0; sent < bytes; sent += 65536)
                exchange->write(QByteArray(int(qMin<qint64>(65536, bytes - sent)), char('a' + (sent / 65536) % 26)));
            exchange->finish();
            return;
        }
        QJsonObject body{{QStringLiteral("path"), QString::fromLatin1(path)},
                         {QStringLiteral("query"), QString::fromLatin1(request.query)},
                         {QStringLiteral("receivedBytes"), bodySize}};
        if (path == "/transcribe") {
            body.insert(QStringLiteral("text"), QStringLiteral("hello world"));
            if (request.headers.value("x-test-no-duration") != "1")
                body.insert(QStringLiteral("duration"), request.headers.contains("x-test-duration")
                                                            ? request.headers.value("x-test-duration").toDouble() : 30.0);
        }
        exchange->respond(200, headers, QJsonDocument(body).toJson(QJsonDocument::Compact), lines);
    }

    FakeUpstream *m_owner;
};

FakeUpstream::FakeUpstream(quint16 port) : m_port(port)
{
    if (!start())
        qFatal("fake upstream cannot listen");
}

FakeUpstream::~FakeUpstream() = default;

bool FakeUpstream::start()
{
    if (m_server)
        return true;
    m_server = std::make_unique<http::HttpServer>([this] { return std::make_unique<Handler>(this); }, http::HttpLimits{});
    QString error;
    if (!m_server->listen(QHostAddress::LocalHost, m_port, 1, &error)) {
        qWarning("fake upstream cannot listen: %s", qPrintable(error));
        m_server.reset();
        return false;
    }
    m_port = m_server->serverPort();
    return true;
}

void FakeUpstream::stop()
{
    m_server.reset();
}

quint16 FakeUpstream::port() const
{
    return m_port;
}

QByteArray FakeUpstream::url() const
{
    return "http://127.0.0.1:" + QByteArray::number(port());
}

void FakeUpstream::record(Recorded recorded)
{
    QMutexLocker locker(&m_mutex);
    m_requests.append(std::move(recorded));
}

QList<FakeUpstream::Recorded> FakeUpstream::requests() const
{
    QMutexLocker locker(&m_mutex);
    return m_requests;
}

FakeUpstream::Recorded FakeUpstream::last() const
{
    QMutexLocker locker(&m_mutex);
    return m_requests.isEmpty() ? Recorded{} : m_requests.constLast();
}

void FakeUpstream::clear()
{
    QMutexLocker locker(&m_mutex);
    m_requests.clear();
}

} // namespace tollgate::test
