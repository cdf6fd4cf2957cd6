// The /v1 pipeline end to end: real sockets in front, the fake upstream behind, SQLite and PostgreSQL below.
#include "GatewayFixture.h"
#include "core/storage/KeyStore.h"
#include "core/storage/UsageStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

namespace {

const QStringList AlwaysHeaders{QStringLiteral("X-Request-ID"), QStringLiteral("X-RateLimit-Limit"), QStringLiteral("X-RateLimit-Remaining"),
                                QStringLiteral("X-RateLimit-Reset"), QStringLiteral("X-Credits-Remaining")};

void verifyContractHeaders(const HttpTestResponse &response)
{
    for (const QString &name : AlwaysHeaders)
        QVERIFY2(!response.header(name.toLatin1()).isEmpty(), qPrintable(name + QStringLiteral(" missing")));
    if (response.status >= 400) {
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(QStringLiteral("error")).toObject();
        QVERIFY2(!error.value(QStringLiteral("code")).toString().isEmpty(), response.body.constData());
        QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(error.value(QStringLiteral("request_id")).toString().toLatin1(), response.header("X-Request-ID"));
    }
}

QByteArray urls(int count)
{
    QJsonArray list;
    for (int i = 0; i < count; ++i)
        list.append(QStringLiteral("https://example.com/%1").arg(i));
    return QJsonDocument(QJsonObject{{QStringLiteral("urls"), list}}).toJson(QJsonDocument::Compact);
}

QByteArray wavHeader(double seconds)
{
    const quint32 byteRate = 16000 * 2;
    const quint32 dataSize = quint32(seconds * byteRate);
    QByteArray h("RIFF");
    auto le32 = [&h](quint32 v) { for (int i = 0; i < 4; ++i) h.append(char(v >> (8 * i))); };
    auto le16 = [&h](quint16 v) { h.append(char(v)); h.append(char(v >> 8)); };
    le32(36 + dataSize);
    h += "WAVEfmt ";
    le32(16); le16(1); le16(1); le32(16000); le32(byteRate); le16(2); le16(16);
    h += "data";
    le32(dataSize);
    return h + QByteArray(4096, '\0');
}

QByteArray multipart(const QByteArray &file)
{
    return "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
        + file + "\r\n--b0undary--\r\n";
}

// One request on an open keep-alive connection and its Content-Length-framed answer; bytes of the
// next answer stay in buffer.
HttpTestResponse exchangeOn(QTcpSocket &socket, QByteArray &buffer, const QByteArray &request)
{
    socket.write(request);
    HttpTestResponse response;
    const bool complete = QTest::qWaitFor([&] {
        buffer += socket.readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return false;
        const HttpTestResponse head = HttpTestClient::parse(buffer.left(headEnd + 4));
        const qsizetype total = headEnd + 4 + head.header("Content-Length").toLongLong();
        if (buffer.size() < total)
            return false;
        response = HttpTestClient::parse(buffer.left(total));
        buffer.remove(0, total);
        return true;
    }, 5000);
    return complete ? response : HttpTestResponse{};
}

QByteArray searchRequest(const QString &key, const QByteArray &extraHeaders = {})
{
    return "POST /v1/search HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key.toLatin1() + "\r\n" + extraHeaders
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
}

} // namespace

class TestGateway : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authentication_data() { TestDatabase::addBackendRows(); }
    void authentication()
    {
        QFETCH(QString, backend);
        GatewayFixture f(backend);
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());

        HttpTestResponse r = f.call("POST", "/v1/search", {}, R"({"q":"x"})");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QByteArray("MISSING_API_KEY"));
        verifyContractHeaders(r);

        r = f.call("POST", "/v1/search", QStringLiteral("sk_live_doesnotexist"), R"({"q":"x"})");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QByteArray("INVALID_API_KEY"));
        verifyContractHeaders(r);

        const QString key = f.createKey(QStringLiteral("free"));
        r = f.call("POST", "/v1/search", key, R"({"q":"x"})");
        QCOMPARE(r.status, 200);
        verifyContractHeaders(r);

        await(f.core->keyService().revokeKey(f.keyIdOf(key), QStringLiteral("test")));
        QTRY_COMPARE_WITH_TIMEOUT(f.call("POST", "/v1/search", key, R"({"q":"x"})").errorCode(), QByteArray("API_KEY_REVOKED"), 3000);

        const QString expiring = f.createKey(QStringLiteral("free"), {}, {}, QDateTime::currentDateTimeUtc().addMSecs(1500));
        QCOMPARE(f.call("POST", "/v1/search", expiring, R"({"q":"x"})").status, 200);
        QTest::qWait(1600);
        r = f.call("POST", "/v1/search", expiring, R"({"q":"x"})");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QByteArray("API_KEY_EXPIRED"));

        const QString fenced = f.createKey(QStringLiteral("pro"), {QStringLiteral("10.0.0.0/8")});
        r = f.call("POST", "/v1/search", fenced, R"({"q":"x"})");
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QByteArray("IP_NOT_ALLOWED"));
        const QString local = f.createKey(QStringLiteral("pro"), {QStringLiteral("127.0.0.0/8")});
        QCOMPARE(f.call("POST", "/v1/search", local, R"({"q":"x"})").status, 200);

        r = f.call("POST", "/v1/tts/synthesize", f.createKey(QStringLiteral("free")), R"({"text":"hi"})");
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QByteArray("ENDPOINT_NOT_ALLOWED"));
        r = f.call("POST", "/v1/tts/synthesize", f.createKey(QStringLiteral("pro"), {}, {QStringLiteral("search")}), R"({"text":"hi"})");
        QCOMPARE(r.errorCode(), QByteArray("ENDPOINT_NOT_ALLOWED"));
    }

    void failedAuthenticationsAreLimitedPerIp()
    {
        GatewayFixture f(QStringLiteral("sqlite"), {QStringLiteral("AUTH_FAILURE_LIMIT=5")});
        QVERIFY(f.start());
        for (int i = 0; i < 5; ++i)
            QCOMPARE(f.call("POST", "/v1/search", QStringLiteral("sk_live_guess%1").arg(i), "{}").status, 401);
        const HttpTestResponse r = f.call("POST", "/v1/search", f.createKey(), R"({"q":"x"})");
        QCOMPARE(r.status, 429);
        QCOMPARE(r.errorCode(), QByteArray("RATE_LIMITED"));
        QVERIFY(r.header("Retry-After").toInt() > 0);
        QVERIFY(f.gateway->context().metrics.render().contains("tollgate_auth_failures_total{reason=\"invalid\"} 5"));
    }

    void rateLimit_data() { TestDatabase::addBackendRows(); }
    void rateLimit()
    {
        QFETCH(QString, backend);
        GatewayFixture f(backend);
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("free"));  // 10 per 60 s
        for (int i = 0; i < 10; ++i) {
            const HttpTestResponse r = f.call("GET", "/v1/search/engines", key);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("10"));
            QCOMPARE(r.header("X-RateLimit-Remaining").toInt(), 9 - i);
            QVERIFY(r.header("X-RateLimit-Reset").toLongLong() >= QDateTime::currentSecsSinceEpoch() + 58);
        }
        const HttpTestResponse r = f.call("GET", "/v1/search/engines", key);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.errorCode(), QByteArray("RATE_LIMITED"));
        const int retryAfter = r.header("Retry-After").toInt();
        QVERIFY2(retryAfter >= 58 && retryAfter <= 60, r.header("Retry-After").constData());
        verifyContractHeaders(r);
    }

    void creditsChargedOnlyForSuccess_data() { TestDatabase::addBackendRows(); }
    void creditsChargedOnlyForSuccess()
    {
        QFETCH(QString, backend);
        GatewayFixture f(backend, {QStringLiteral("UPSTREAM_TIMEOUT_MS=500")});
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        HttpTestResponse r = f.call("POST", "/v1/search", key, R"({"q":"x"})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-Credits-Charged"), QByteArray("1"));
        QCOMPARE(r.header("X-Credits-Remaining"), QByteArray("4999"));

        r = f.call("POST", "/v1/search", key, R"({"q":"x"})", {{"X-Test-Status", "500"}});
        QCOMPARE(r.status, 500);
        QVERIFY(r.header("X-Credits-Charged").isEmpty());
        QCOMPARE(r.header("X-Credits-Remaining"), QByteArray("4999"));
        QCOMPARE(r.body, QByteArray(R"({"detail":"upstream says no"})"));  // passed through untouched
        r = f.call("POST", "/v1/search", key, R"({"q":"x"})", {{"X-Test-Status", "404"}});
        QCOMPARE(r.status, 404);

        r = f.call("POST", "/v1/search", key, R"({"q":"x"})", {{"X-Test-Delay-Ms", "2000"}});
        QCOMPARE(r.status, 504);
        QCOMPARE(r.errorCode(), QByteArray("UPSTREAM_TIMEOUT"));

        r = f.call("POST", "/v1/extract/bulk", key, urls(3));
        QCOMPARE(r.header("X-Credits-Charged"), QByteArray("3"));
        r = f.call("POST", "/v1/extract/bulk", key, urls(21));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QByteArray("INVALID_REQUEST"));
        r = f.call("POST", "/v1/extract/bulk", key, "not json");
        QCOMPARE(r.errorCode(), QByteArray("INVALID_REQUEST"));

        const QByteArray text = QJsonDocument(QJsonObject{{QStringLiteral("text"), QString(1001, QLatin1Char('a'))}}).toJson();
        r = f.call("POST", "/v1/tts/synthesize", key, text, {{"X-Test-Audio-Bytes", "3000000"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-Credits-Charged"), QByteArray("2"));
        QCOMPARE(r.body.size(), 3000000);
        QCOMPARE(r.header("Content-Type"), QByteArray("audio/mpeg"));

        QCOMPARE(f.core->ledger().balance(f.keyIdOf(key)).remaining(), 5000 - 1 - 3 - 2);
        QCOMPARE(f.call("GET", "/v1/tts/voices", key).header("X-Credits-Remaining"), QByteArray("4994"));
    }

    void upstreamClosingMidBodyIsNotCharged()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        const HttpTestResponse r = f.call("POST", "/v1/search", key, R"({"q":"x"})", {{"X-Test-Close-Mid-Body", "1"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Length"), QByteArray("1000000"));  // large: streamed, so the head was already out
        QCOMPARE(r.body.size(), 1000);  // cut short and closed: the client can tell
        QTRY_COMPARE(f.core->ledger().balance(f.keyIdOf(key)).reserved, 0);
        QCOMPARE(f.core->ledger().balance(f.keyIdOf(key)).remaining(), 5000);
    }

    void unreachableUpstream()
    {
        GatewayFixture f(QStringLiteral("sqlite"), {QStringLiteral("STT_SERVICE_URL=http://127.0.0.1:%1").arg(freePort())});
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        const HttpTestResponse r = f.call("GET", "/v1/stt/models", key);
        QCOMPARE(r.status, 502);
        QCOMPARE(r.errorCode(), QByteArray("UPSTREAM_UNAVAILABLE"));
        verifyContractHeaders(r);
    }

    void concurrentRequestsNeverOverspend_data() { TestDatabase::addBackendRows(); }
    void concurrentRequestsNeverOverspend()
    {
        QFETCH(QString, backend);
        GatewayFixture f(backend);
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        f.setTier({QStringLiteral("tiny"), QStringLiteral("Tiny"), 1000, 60, 10, {QStringLiteral("search")}, 0});
        const QString key = f.createKey(QStringLiteral("tiny"));
        QList<HttpTestRequest> requests;
        for (int i = 0; i < 60; ++i)
            requests.append(f.request("POST", "/v1/search", key, R"({"q":"x"})", {{"X-Test-Delay-Ms", "50"}}));
        const QList<HttpTestResponse> responses = f.client->sendConcurrently(requests);
        int ok = 0, refused = 0;
        QByteArrayList others;
        for (const HttpTestResponse &r : responses) {
            ok += r.status == 200;
            refused += r.status == 402 && r.errorCode() == "INSUFFICIENT_CREDITS";
            if (r.status != 200 && r.status != 402)
                others << QByteArray::number(r.status) + ' ' + r.body;
        }
        QVERIFY2(others.isEmpty(), others.join('\n').constData());
        QCOMPARE(ok, 10);
        QCOMPARE(refused, 50);
        QByteArrayList seen;
        for (const auto &recorded : f.upstream.requests())
            seen << recorded.headers.value("x-request-id");
        QVERIFY2(seen.size() == 10, seen.join(' ').constData());  // refused before any upstream call
        QCOMPARE(f.core->ledger().balance(f.keyIdOf(key)).remaining(), 0);
    }

    void forwardsWhatItShould()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        const HttpTestResponse r = f.call("POST", "/v1/search?page=2&lang=de", key, R"({"q":"x"})",
                                          {{"Authorization", "Bearer secret"}, {"X-Request-ID", "my-trace-1"},
                                           {"Connection", "close, X-Drop-Me"}, {"X-Drop-Me", "1"}, {"Accept-Language", "de"},
                                           {"X-User-Id", "forged"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-Request-ID"), QByteArray("my-trace-1"));
        QCOMPARE(r.header("X-Upstream-Header"), QByteArray("kept"));
        const FakeUpstream::Recorded seen = f.upstream.last();
        QCOMPARE(seen.method, QByteArray("POST"));
        QCOMPARE(seen.target, QByteArray("/api/v1/search?page=2&lang=de"));
        QCOMPARE(seen.headers.value("x-request-id"), QByteArray("my-trace-1"));
        QCOMPARE(seen.headers.value("x-user-id"), QByteArray("user-pro"));
        QCOMPARE(seen.headers.value("x-user-plan"), QByteArray("pro"));
        QCOMPARE(seen.headers.value("x-api-key-id"), f.keyIdOf(key).toLatin1());
        QCOMPARE(seen.headers.value("accept-language"), QByteArray("de"));
        QCOMPARE(seen.headers.value("content-type"), QByteArray("application/json"));
        QVERIFY(!seen.headers.contains("x-api-key"));
        QVERIFY(!seen.headers.contains("authorization"));
        QVERIFY(!seen.headers.contains("x-drop-me"));
        QCOMPARE(seen.bodySize, 9);
    }

    void speechToText_data()
    {
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<double>("audioSeconds");
        QTest::addColumn<QByteArray>("charged");
        using H = HeaderList;
        QTest::newRow("upstream duration 61 s") << H{{"X-Test-Duration", "61"}} << 5.0 << QByteArray("20");
        QTest::newRow("upstream duration 60 s") << H{{"X-Test-Duration", "60"}} << 5.0 << QByteArray("10");
        QTest::newRow("no duration, WAV of 90 s") << H{{"X-Test-No-Duration", "1"}} << 90.0 << QByteArray("20");
        QTest::newRow("no duration, no WAV: one minute") << H{{"X-Test-No-Duration", "1"}} << -1.0 << QByteArray("10");
    }
    void speechToText()
    {
        QFETCH(HeaderList, headers);
        QFETCH(double, audioSeconds);
        QFETCH(QByteArray, charged);
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        const QByteArray audio = audioSeconds > 0 ? wavHeader(audioSeconds) : QByteArray(5000, 'm');
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("multipart/form-data; boundary=b0undary")));
        const HttpTestResponse r = f.call("POST", "/v1/stt/transcribe", key, multipart(audio), headers);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-Credits-Charged"), charged);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(QStringLiteral("receivedBytes")).toInteger(), multipart(audio).size());
    }

    void largeUploadStreamsThrough()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        const QByteArray body = multipart(QByteArray(40 << 20, 'w'));
        const HttpTestResponse r = f.call("POST", "/v1/stt/transcribe", key, body,
                                          {{"Content-Type", "multipart/form-data; boundary=b0undary"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(f.upstream.last().bodySize, body.size());
        QCOMPARE(f.upstream.last().bodySha256, QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
        // A JSON body to STT is held to 1 MB.
        const HttpTestResponse tooBig = f.call("POST", "/v1/stt/transcribe", key, QByteArray(2 << 20, ' '));
        QCOMPARE(tooBig.status, 413);
    }

    void clientLeavingCostsNothing()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        {
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), f.gateway->port());
            QVERIFY(socket.waitForConnected());
            socket.write("POST /v1/search HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key.toLatin1()
                         + "\r\nX-Test-Delay-Ms: 500\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            QVERIFY(socket.waitForBytesWritten());
            QTRY_COMPARE(f.upstream.requests().size(), 1);
            socket.abort();
        }
        QTest::qWait(800);
        QCOMPARE(f.core->ledger().balance(f.keyIdOf(key)).remaining(), 5000);
        QCOMPARE(f.core->ledger().balance(f.keyIdOf(key)).reserved, 0);
        QCOMPARE(f.call("POST", "/v1/search", key, R"({"q":"x"})").status, 200);  // still serving
    }

    // The gateway remembers the last key hash per connection: a client switching keys on one
    // keep-alive connection must be judged and charged by the key it sends now.
    void keysChangeOnOneConnection()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString keyA = f.createKey(QStringLiteral("pro"));
        const QString keyB = f.createKey(QStringLiteral("pro"));
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), f.gateway->port());
        QVERIFY(socket.waitForConnected());
        QByteArray buffer;
        const auto send = [&](const QString &key) { return exchangeOn(socket, buffer, searchRequest(key)); };
        const auto remaining = [&](const QString &key) { return f.core->ledger().balance(f.keyIdOf(key)).remaining(); };

        QCOMPARE(send(keyA).status, 200);
        QCOMPARE(remaining(keyA), 4999);
        const HttpTestResponse invalid = send(QStringLiteral("sk_live_doesnotexist"));
        QCOMPARE(invalid.status, 401);
        QCOMPARE(invalid.errorCode(), QByteArray("INVALID_API_KEY"));
        const HttpTestResponse asB = send(keyB);
        QCOMPARE(asB.status, 200);
        QCOMPARE(asB.header("X-Credits-Remaining"), QByteArray("4999"));
        QCOMPARE(remaining(keyB), 4999);
        QCOMPARE(remaining(keyA), 4999);
        QCOMPARE(send(keyA).status, 200);
        QCOMPARE(remaining(keyA), 4998);
        QCOMPARE(f.upstream.requests().size(), 3);
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState); // all on the one connection
    }

    // Hop-by-hop fields of the upstream's answer are about the upstream's connection: its
    // `Connection: close` must not close the client's keep-alive connection, and fields like
    // Proxy-Authenticate must not reach the client.
    void upstreamHopByHopFieldsStayUpstream()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), f.gateway->port());
        QVERIFY(socket.waitForConnected());
        QByteArray buffer;

        HttpTestResponse r = exchangeOn(socket, buffer, searchRequest(key, "X-Test-Connection-Close: 1\r\n"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-Upstream-Header"), QByteArray("kept"));
        QVERIFY(r.header("Connection").isEmpty());
        r = exchangeOn(socket, buffer, searchRequest(key, "X-Test-Hop-By-Hop: 1\r\nX-Test-Connection-Close: 1\r\n"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Proxy-Authenticate").isEmpty());
        QVERIFY(r.header("Connection").isEmpty());
        r = exchangeOn(socket, buffer, searchRequest(key, "X-Test-Hop-By-Hop: 1\r\n"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Proxy-Authenticate").isEmpty());
        QVERIFY(r.header("TE").isEmpty());
        QCOMPARE(exchangeOn(socket, buffer, searchRequest(key)).status, 200);
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState); // all four on the one connection
        QCOMPARE(f.upstream.requests().size(), 4);
    }

    void usageRecorded_data() { TestDatabase::addBackendRows(); }
    void usageRecorded()
    {
        QFETCH(QString, backend);
        GatewayFixture f(backend);
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(f.call("POST", "/v1/search", key, R"({"q":"x"})").status, 200);
        QCOMPARE(f.call("POST", "/v1/search", key, R"({"q":"x"})", {{"X-Test-Status", "503"}}).status, 503);
        const QString id = f.keyIdOf(key);
        QList<UsageRow> rows;
        QTRY_VERIFY_WITH_TIMEOUT((rows = await(f.core->storage().run<QList<UsageRow>>([id](QSqlDatabase &db) {
                                      return UsageStore::forKey(db, id, QStringLiteral("2000-01-01"));
                                  }))).size() == 1 && rows[0].counters.requests == 5, 5000);
        QCOMPARE(rows[0].endpoint, QStringLiteral("search"));
        QCOMPARE(rows[0].counters.credits, 4);
        QCOMPARE(rows[0].counters.errors, 1);
        QCOMPARE(rows[0].counters.bytesIn, 5 * 9);
    }

    void operations()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        QCOMPARE(f.call("POST", "/v1/search", f.createKey(), R"({"q":"x"})").status, 200);
        HttpTestResponse r = f.call("GET", "/health", {});
        QCOMPARE(r.status, 200);
        const QJsonObject health = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(health.value(QStringLiteral("database")).toString(), QStringLiteral("up"));
        QCOMPARE(health.value(QStringLiteral("version")).toString(), QStringLiteral(TOLLGATE_VERSION));
        QVERIFY(health.value(QStringLiteral("upstreams")).toObject().contains(QStringLiteral("search")));
        QVERIFY(health.contains(QStringLiteral("uptimeSeconds")));
        QCOMPARE(f.call("GET", "/health/live", {}).status, 200);
        QCOMPARE(f.call("GET", "/health/ready", {}).status, 200);
        r = f.call("GET", "/metrics", {});
        QCOMPARE(r.status, 200);
        for (const char *name : {"tollgate_requests_total{route=\"/v1/search\",method=\"POST\",status=\"200\",tier=\"pro\"} 1",
                                 "tollgate_request_duration_seconds_bucket", "tollgate_upstream_duration_seconds_count",
                                 "tollgate_credits_charged_total{tier=\"pro\"} 1", "tollgate_rate_limited_total",
                                 "tollgate_auth_failures_total", "tollgate_upstream_up{upstream=\"search\"}",
                                 "tollgate_process_resident_memory_bytes", "tollgate_open_connections", "tollgate_upstream_inflight",
                                 "tollgate_usage_flush_lag_seconds", "# TYPE tollgate_usage_write_failures_total counter",
                                 "# TYPE process_cpu_seconds_total counter", "process_resident_memory_bytes ", "process_open_fds ",
                                 "process_max_fds ", "process_start_time_seconds ", "tollgate_build_info{version=\"" TOLLGATE_VERSION "\""})
            QVERIFY2(r.body.contains(name), name);
        r = f.call("GET", "/nope", {});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QByteArray("NOT_FOUND"));
        r = f.call("DELETE", "/v1/search", f.createKey());
        QCOMPARE(r.status, 405);
        QCOMPARE(r.errorCode(), QByteArray("METHOD_NOT_ALLOWED"));
    }
};

QTEST_GUILESS_MAIN(TestGateway)
#include "tst_gateway.moc"
