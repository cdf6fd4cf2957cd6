// HTTP conventions against the real tollgated over loopback sockets, the fake upstream behind it: W3C trace
// context continued or started, sent upstream and in the access log; what the header rules keep from the
// upstream (credentials, client claims) and from the client (the upstream's Server and its kin);
// WWW-Authenticate on every 401 and Allow on every 405.
#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "HttpTestClient.h"
#include "server/gateway/TraceContext.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

constexpr QByteArrayView ClientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr QByteArrayView ClientSpan = "00f067aa0ba902b7";

int countOf(const HttpTestResponse &response, const QByteArray &name)
{
    int count = 0;
    for (const auto &field : response.headers)
        count += field.first.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return count;
}

int countOf(const http::HttpHeaders &headers, const QByteArray &name)
{
    int count = 0;
    for (const auto &field : headers.fields)
        count += http::HttpHeaders::nameEquals(field.first, name) ? 1 : 0;
    return count;
}

} // namespace

class TestHttpConventions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeUpstream m_upstream;
    DaemonProcess m_daemon;
    QString m_key;
    std::unique_ptr<HttpTestClient> m_client;

    HttpTestResponse search(QList<QPair<QByteArray, QByteArray>> headers, const QString &key = {})
    {
        headers.append(qMakePair(QByteArray("X-API-Key"), (key.isNull() ? m_key : key).toLatin1()));
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return m_client->send({"POST", "/v1/search", headers, R"({"q":"x"})"});
    }

    // The access-log line of that request id, once it is written (every 200 ms).
    QJsonObject accessLine(const QByteArray &requestId)
    {
        QJsonObject found;
        QTest::qWaitFor([&] {
            QFile log(m_daemon.stdoutFile);
            if (!log.open(QIODevice::ReadOnly))
                return false;
            for (const QByteArray &line : log.readAll().split('\n')) {
                const QJsonObject entry = QJsonDocument::fromJson(line).object();
                if (entry.value(QStringLiteral("category")) == QLatin1String("tollgate.access")
                    && entry.value(QStringLiteral("request_id")).toString().toLatin1() == requestId) {
                    found = entry;
                    return true;
                }
            }
            return false;
        }, 5000);
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString db = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("t.db"));
        m_key = CliRunner(db).createKey(QStringLiteral("conventions"), QStringLiteral("pro")).raw;
        QVERIFY2(m_key.startsWith(QLatin1String("sk_")), qPrintable(m_key));
        m_daemon.stdoutFile = m_dir.filePath(QStringLiteral("stdout.log"));
        m_daemon.accessLogOff = false;
        QVERIFY(m_daemon.start(db, m_upstream.url(), {QStringLiteral("ACCESS_LOG=on"), QStringLiteral("LOG_FORMAT=json"),
                                                      QStringLiteral("TTS_SERVICE_URL=") + QString::fromLatin1(m_upstream.url())}));
        m_client = std::make_unique<HttpTestClient>(m_daemon.port);
    }

    void init() { m_upstream.clear(); }

    // A valid traceparent is continued: the upstream sees the client's trace id under a new parent (the
    // gateway's span), the sampled flag as sent and tracestate along; the access log names both ids.
    void traceContinued()
    {
        const QByteArray traceparent = "00-" + ClientTrace.toByteArray() + "-" + ClientSpan.toByteArray() + "-01";
        const HttpTestResponse r = search({{"traceparent", traceparent}, {"tracestate", "congo=t61rcWkgMzE"},
                                           {"X-Request-ID", "trace-continued"}});
        QCOMPARE(r.status, 200);
        const FakeUpstream::Recorded seen = m_upstream.last();
        QCOMPARE(countOf(seen.headers, "traceparent"), 1);
        const auto sent = gateway::TraceContext::parse(seen.headers.value("traceparent"));
        QVERIFY2(sent.has_value(), seen.headers.value("traceparent").constData());
        const QByteArray traceId(sent->traceId.data(), sent->traceId.size());
        const QByteArray parentId(sent->parentId.data(), sent->parentId.size());
        QCOMPARE(traceId, ClientTrace.toByteArray());
        QVERIFY2(parentId != ClientSpan, parentId.constData());
        QCOMPARE(int(sent->flags), 1);
        QCOMPARE(seen.headers.value("tracestate"), QByteArray("congo=t61rcWkgMzE"));

        const QJsonObject line = accessLine("trace-continued");
        QVERIFY2(!line.isEmpty(), "no access-log line");
        QCOMPARE(line.value(QStringLiteral("trace_id")).toString().toLatin1(), traceId);
        QCOMPARE(line.value(QStringLiteral("span_id")).toString().toLatin1(), parentId);
    }

    // No traceparent, or one that is not valid: a new trace is started, sent upstream and logged; the client's
    // tracestate (of a trace not continued) stays behind.
    void traceStarted_data()
    {
        QTest::addColumn<QByteArray>("traceparent");
        QTest::newRow("absent") << QByteArray();
        QTest::newRow("upper-case hex") << "00-" + ClientTrace.toByteArray().toUpper() + "-" + ClientSpan.toByteArray() + "-01";
        QTest::newRow("all-zero trace id") << "00-" + QByteArray(32, '0') + "-" + ClientSpan.toByteArray() + "-01";
        QTest::newRow("version ff") << "ff-" + ClientTrace.toByteArray() + "-" + ClientSpan.toByteArray() + "-01";
    }
    void traceStarted()
    {
        QFETCH(QByteArray, traceparent);
        QList<QPair<QByteArray, QByteArray>> headers{{"X-Request-ID", "trace-started-" + QByteArray(QTest::currentDataTag()).replace(' ', '-')},
                                                     {"tracestate", "congo=t61rcWkgMzE"}};
        if (!traceparent.isEmpty())
            headers.append(qMakePair(QByteArray("traceparent"), traceparent));
        const HttpTestResponse r = search(headers);
        QCOMPARE(r.status, 200);
        const FakeUpstream::Recorded seen = m_upstream.last();
        const auto sent = gateway::TraceContext::parse(seen.headers.value("traceparent"));
        QVERIFY2(sent.has_value(), seen.headers.value("traceparent").constData());
        const QByteArray traceId(sent->traceId.data(), sent->traceId.size());
        QVERIFY(traceId != ClientTrace.toByteArray());
        QCOMPARE(int(sent->flags), 0);
        QVERIFY(!seen.headers.contains("tracestate"));

        const QJsonObject line = accessLine(headers.first().second);
        QVERIFY2(!line.isEmpty(), "no access-log line");
        QCOMPARE(line.value(QStringLiteral("trace_id")).toString().toLatin1(), traceId);
        QCOMPARE(line.value(QStringLiteral("span_id")).toString().toLatin1(), QByteArray(sent->parentId.data(), sent->parentId.size()));
    }

    // Refused before any upstream call: the line still carries a trace id (the client's, when it sent one).
    void refusedCallsAreTraced()
    {
        const QByteArray traceparent = "00-" + ClientTrace.toByteArray() + "-" + ClientSpan.toByteArray() + "-01";
        QCOMPARE(search({{"traceparent", traceparent}, {"X-Request-ID", "trace-refused"}}, QStringLiteral("sk_live_nope")).status, 401);
        QCOMPARE(accessLine("trace-refused").value(QStringLiteral("trace_id")).toString().toLatin1(), ClientTrace.toByteArray());
        QCOMPARE(m_client->send({"GET", "/v1/nowhere", {{"X-Request-ID", "trace-unmatched"}}, {}}).status, 404);
        QCOMPARE(accessLine("trace-unmatched").value(QStringLiteral("trace_id")).toString().size(), 32);
        QCOMPARE(m_upstream.requests().size(), 0);
    }

    // Credentials and client claims about addresses never reach the upstream; the gateway's identity and
    // X-Forwarded-For are its own, once each.
    void upstreamSeesNoCredentialsOrClaims()
    {
        const HttpTestResponse r = search({{"Authorization", "Bearer secret"}, {"X-Forwarded-For", "203.0.113.9"},
                                           {"X-Real-IP", "203.0.113.9"}, {"Forwarded", "for=203.0.113.9"},
                                           {"X-User-Id", "forged"}, {"X-Api-Key-Id", "forged"}, {"Accept-Language", "de"}});
        QCOMPARE(r.status, 200);
        const FakeUpstream::Recorded seen = m_upstream.last();
        QVERIFY(!seen.headers.contains("x-api-key"));
        QVERIFY(!seen.headers.contains("authorization"));
        QVERIFY(!seen.headers.contains("x-real-ip"));
        QVERIFY(!seen.headers.contains("forwarded"));
        QCOMPARE(countOf(seen.headers, "x-forwarded-for"), 1);
        QCOMPARE(seen.headers.value("x-forwarded-for"), QByteArray("127.0.0.1"));
        QCOMPARE(countOf(seen.headers, "x-user-id"), 1);
        QCOMPARE(seen.headers.value("x-user-id"), QByteArray("u"));
        QCOMPARE(countOf(seen.headers, "x-api-key-id"), 1);
        QVERIFY(seen.headers.value("x-api-key-id") != "forged");
        QCOMPARE(seen.headers.value("accept-language"), QByteArray("de"));
    }

    // As nginx: the upstream's Server and Date are replaced by the gateway's, X-Powered-By, X-Pad and
    // X-Accel-* hidden, its own rate-limit fields never mix with ours, fields named in its Connection stay.
    void clientSeesNoUpstreamInternals()
    {
        const HttpTestResponse r = search({{"X-Test-Identify", "1"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-Upstream-Header"), QByteArray("kept"));
        QCOMPARE(countOf(r, "Server"), 1);
        QCOMPARE(r.header("Server"), QByteArray("tollgate"));
        QCOMPARE(countOf(r, "Date"), 1);
        QVERIFY2(!r.header("Date").contains("1994"), r.header("Date").constData());
        QVERIFY(r.header("X-Powered-By").isEmpty());
        QVERIFY(r.header("X-Accel-Redirect").isEmpty());
        QVERIFY(r.header("X-Pad").isEmpty());
        QVERIFY(r.header("X-Upstream-Private").isEmpty());
        QCOMPARE(countOf(r, "X-RateLimit-Limit"), 1);
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("100"));  // pro's, not the upstream's 999999

        // Every answer of the fake upstream names it: streamed (TTS) answers too.
        const HttpTestResponse audio = m_client->send({"POST", "/v1/tts/synthesize",
                                                       {{"X-API-Key", m_key.toLatin1()}, {"Content-Type", "application/json"}},
                                                       R"({"text":"hi"})"});
        QCOMPARE(audio.status, 200);
        QCOMPARE(audio.header("Server"), QByteArray("tollgate"));
        QCOMPARE(countOf(audio, "Server"), 1);
    }

    void unauthorizedNamesTheScheme_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("apiKey");
        QTest::addColumn<QByteArray>("challenge");
        const QByteArray apiKey = R"(ApiKey realm="tollgate", header="X-API-Key")";
        QTest::newRow("/v1, no key") << QByteArray("/v1/search") << QByteArray() << QByteArray() << apiKey;
        QTest::newRow("/v1, wrong key") << QByteArray("/v1/search") << QByteArray() << QByteArray("sk_live_nope") << apiKey;
        QTest::newRow("/v1, a bearer token instead") << QByteArray("/v1/search") << QByteArray("Bearer x") << QByteArray() << apiKey;
        QTest::newRow("management, no token") << QByteArray("/api-keys") << QByteArray() << QByteArray()
                                              << QByteArray(R"(Bearer realm="tollgate")");
        QTest::newRow("management, another scheme") << QByteArray("/api-keys") << QByteArray("Basic dTpw") << QByteArray()
                                                     << QByteArray(R"(Bearer realm="tollgate")");
        QTest::newRow("management, bad token") << QByteArray("/api-keys") << QByteArray("Bearer tga_neverissuedneverissued")
                                               << QByteArray() << QByteArray(R"(Bearer realm="tollgate", error="invalid_token")");
        QTest::newRow("admin, bad token") << QByteArray("/admin/status") << QByteArray("bearer tga_neverissuedneverissued")
                                          << QByteArray() << QByteArray(R"(Bearer realm="tollgate", error="invalid_token")");
    }
    void unauthorizedNamesTheScheme()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, apiKey);
        QFETCH(QByteArray, challenge);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), authorization));
        if (!apiKey.isEmpty())
            headers.append(qMakePair(QByteArray("X-API-Key"), apiKey));
        const QByteArray method = target.startsWith("/v1") ? "POST" : "GET";
        const HttpTestResponse r = m_client->send({method, target, headers, method == "POST" ? QByteArray("{}") : QByteArray()});
        QCOMPARE(r.status, 401);
        QCOMPARE(countOf(r, "WWW-Authenticate"), 1);
        QCOMPARE(r.header("WWW-Authenticate"), challenge);
    }

    void methodNotAllowedListsTheMethods_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("allow");
        QTest::newRow("/v1 POST route") << QByteArray("GET") << QByteArray("/v1/search") << QByteArray("POST");
        QTest::newRow("/v1 GET route") << QByteArray("POST") << QByteArray("/v1/tts/voices") << QByteArray("GET, HEAD");
        QTest::newRow("keys") << QByteArray("PUT") << QByteArray("/api-keys") << QByteArray("POST, GET, OPTIONS");
        QTest::newRow("one key") << QByteArray("POST") << QByteArray("/api-keys/key_1") << QByteArray("GET, PATCH, DELETE, OPTIONS");
        QTest::newRow("tiers") << QByteArray("POST") << QByteArray("/admin/tiers") << QByteArray("GET, PUT, OPTIONS");
        QTest::newRow("openapi") << QByteArray("DELETE") << QByteArray("/openapi.json") << QByteArray("GET, HEAD, OPTIONS");
        QTest::newRow("health") << QByteArray("POST") << QByteArray("/health") << QByteArray("GET, HEAD");
        QTest::newRow("metrics") << QByteArray("DELETE") << QByteArray("/metrics") << QByteArray("GET, HEAD");
    }
    void methodNotAllowedListsTheMethods()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, allow);
        const HttpTestResponse r = m_client->send({method, target, {{"X-API-Key", m_key.toLatin1()}}, {}});
        QCOMPARE(r.status, 405);
        QCOMPARE(r.errorCode(), QByteArray("METHOD_NOT_ALLOWED"));
        QCOMPARE(r.header("Allow"), allow);
    }

    // A 404 is not a 405: no Allow.
    void notFoundHasNoAllow()
    {
        const HttpTestResponse r = m_client->send({"GET", "/v1/nowhere", {}, {}});
        QCOMPARE(r.status, 404);
        QVERIFY(r.header("Allow").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpConventions)
#include "tst_httpconventions.moc"
