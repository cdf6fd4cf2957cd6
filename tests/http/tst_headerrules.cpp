// The header-rule table (HeaderRules): one row per field and direction says what reaches the upstream and
// what reaches the client, in any letter case; fields named in Connection are hop-by-hop; the filters
// keep order and repeats; the writer and the encoder drop the fields they own.

#include "server/http/HeaderRules.h"
#include "server/http/HttpResponseHead.h"

#include <QtTest>

#include <algorithm>

using namespace tollgate::http;

Q_DECLARE_METATYPE(HeaderRules::ToUpstream)
Q_DECLARE_METATYPE(HeaderRules::ToClient)

namespace {

using Up = HeaderRules::ToUpstream;
using Down = HeaderRules::ToClient;

// One row per field and direction; everyRowIsTested() holds the table to them.
const struct
{
    const char *name;
    Up expected;
} UpstreamRows[] = {
    // end to end: the body's description, the client's preferences, anything we do not know
    {"Content-Type", Up::Forward}, {"Accept", Up::Forward}, {"Accept-Language", Up::Forward},
    {"User-Agent", Up::Forward}, {"Cookie", Up::Forward}, {"X-Custom", Up::Forward}, {"Date", Up::Forward},
    {"Server", Up::Forward}, {"X-Powered-By", Up::Forward}, {"X-Pad", Up::Forward}, {"Alt-Svc", Up::Forward},
    {"X-RateLimit-Limit", Up::Forward}, {"X-RateLimit-Remaining", Up::Forward}, {"X-RateLimit-Reset", Up::Forward},
    {"RateLimit", Up::Forward}, {"RateLimit-Policy", Up::Forward}, {"X-Credits-Remaining", Up::Forward},
    {"X-Credits-Charged", Up::Forward}, {"X-Accel-Redirect", Up::Forward},
    // credentials and claims the gateway does not pass on
    {"X-API-Key", Up::Withhold}, {"x-api-key", Up::Withhold}, {"X-API-KEY", Up::Withhold},
    {"Authorization", Up::Withhold}, {"AUTHORIZATION", Up::Withhold}, {"Expect", Up::Withhold},
    {"Forwarded", Up::Withhold}, {"X-Real-IP", Up::Withhold}, {"X-Forwarded-Host", Up::Withhold},
    {"X-Forwarded-Proto", Up::Withhold},
    // hop-by-hop
    {"Connection", Up::HopByHop}, {"Keep-Alive", Up::HopByHop}, {"Proxy-Connection", Up::HopByHop},
    {"TE", Up::HopByHop}, {"Trailer", Up::HopByHop}, {"Transfer-Encoding", Up::HopByHop},
    {"Upgrade", Up::HopByHop}, {"Proxy-Authorization", Up::HopByHop}, {"Proxy-Authenticate", Up::HopByHop},
    {"Content-Length", Up::Framing},
    // the gateway's own
    {"Host", Up::Ours}, {"X-Request-ID", Up::Ours}, {"X-User-Id", Up::Ours}, {"X-User-Plan", Up::Ours},
    {"X-Api-Key-Id", Up::Ours}, {"X-Forwarded-For", Up::Ours}, {"traceparent", Up::Ours}, {"Tracestate", Up::Ours},
    // near misses are ordinary fields
    {"X-API-Keys", Up::Forward}, {"Authorizatio", Up::Forward}, {"Hosts", Up::Forward}, {"T", Up::Forward},
    {"", Up::Forward},
};

const struct
{
    const char *name;
    Down expected;
} ClientRows[] = {
    {"Content-Type", Down::Pass}, {"Set-Cookie", Down::Pass}, {"Cache-Control", Down::Pass}, {"ETag", Down::Pass},
    {"Retry-After", Down::Pass}, {"WWW-Authenticate", Down::Pass}, {"X-Upstream-Header", Down::Pass},
    {"Content-Encoding", Down::Pass}, {"Location", Down::Pass},
    // fields of the request side pass if an upstream sends them: nothing of the client's is in them
    {"X-API-Key", Down::Pass}, {"Authorization", Down::Pass}, {"Expect", Down::Pass}, {"Forwarded", Down::Pass},
    {"X-Real-IP", Down::Pass}, {"X-Forwarded-Host", Down::Pass}, {"X-Forwarded-Proto", Down::Pass},
    {"Host", Down::Pass}, {"X-User-Id", Down::Pass}, {"X-User-Plan", Down::Pass}, {"X-Api-Key-Id", Down::Pass},
    {"X-Forwarded-For", Down::Pass},
    {"traceparent", Down::Pass}, {"tracestate", Down::Pass},
    // hop-by-hop and framing: written by the response writer
    {"Connection", Down::HopByHop}, {"Keep-Alive", Down::HopByHop}, {"Transfer-Encoding", Down::HopByHop},
    {"Upgrade", Down::HopByHop}, {"TE", Down::HopByHop}, {"Trailer", Down::HopByHop},
    {"Proxy-Authenticate", Down::HopByHop}, {"Proxy-Connection", Down::HopByHop},
    {"Proxy-Authorization", Down::HopByHop}, {"Content-Length", Down::Framing},
    // hidden, as nginx hides them, and for the same reason
    {"X-Powered-By", Down::Hide}, {"X-Pad", Down::Hide}, {"Alt-Svc", Down::Hide}, {"X-Accel-Redirect", Down::Hide},
    {"x-accel-buffering", Down::Hide}, {"X-Accel-Expires", Down::Hide}, {"X-Accel-", Down::Pass},
    // the gateway's own
    {"Server", Down::Ours}, {"SERVER", Down::Ours}, {"Date", Down::Ours}, {"X-Request-ID", Down::Ours},
    {"X-RateLimit-Limit", Down::Ours}, {"X-RateLimit-Remaining", Down::Ours}, {"X-RateLimit-Reset", Down::Ours},
    {"RateLimit", Down::Ours}, {"RateLimit-Policy", Down::Ours}, {"X-Credits-Remaining", Down::Ours},
    {"X-Credits-Charged", Down::Ours},
};

} // namespace

class TestHeaderRules : public QObject
{
    Q_OBJECT

private slots:
    void toUpstream_data();
    void toUpstream();
    void toClient_data();
    void toClient();
    void everyRowIsFoundInAnyCase();
    void everyRowIsTested();
    void forUpstreamDropsWhatIsNotForwarded();
    void forClientDropsWhatDoesNotPass();
    void forClientSharesWhenAllPass();
    void namedInConnection_data();
    void namedInConnection();
    void writerDropsHopByHopFromAnyHandler();
};

void TestHeaderRules::toUpstream_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<Up>("expected");
    for (const auto &row : UpstreamRows)
        QTest::newRow(row.name[0] ? row.name : "(empty)") << QByteArray(row.name) << row.expected;
}

void TestHeaderRules::toUpstream()
{
    QFETCH(QByteArray, name);
    QFETCH(HeaderRules::ToUpstream, expected);
    QCOMPARE(HeaderRules::toUpstream(name), expected);
}

void TestHeaderRules::toClient_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<Down>("expected");
    for (const auto &row : ClientRows)
        QTest::newRow(row.name) << QByteArray(row.name) << row.expected;
}

void TestHeaderRules::toClient()
{
    QFETCH(QByteArray, name);
    QFETCH(HeaderRules::ToClient, expected);
    QCOMPARE(HeaderRules::toClient(name), expected);
}

void TestHeaderRules::everyRowIsFoundInAnyCase()
{
    for (const HeaderRules::Rule &rule : HeaderRules::all()) {
        const QByteArray lower = rule.name.toByteArray();
        QCOMPARE(lower, lower.toLower());  // the table is written in lower case
        for (const QByteArray &name : {lower, lower.toUpper()}) {
            const HeaderRules::Rule *found = HeaderRules::find(name);
            QVERIFY2(found == &rule, name.constData());
        }
    }
}

// A row added to the table without a test row in each direction fails here.
void TestHeaderRules::everyRowIsTested()
{
    for (const HeaderRules::Rule &rule : HeaderRules::all()) {
        const auto named = [&rule](const auto &row) { return HttpHeaders::nameEquals(rule.name, row.name); };
        QVERIFY2(std::any_of(std::begin(UpstreamRows), std::end(UpstreamRows), named), rule.name.data());
        QVERIFY2(std::any_of(std::begin(ClientRows), std::end(ClientRows), named), rule.name.data());
    }
}

void TestHeaderRules::forUpstreamDropsWhatIsNotForwarded()
{
    HttpHeaders client;
    client.add("Host", "gateway.example");
    client.add("X-API-Key", "sk_live_secret");
    client.add("Accept", "application/json");
    client.add("Connection", "keep-alive, X-Hop");
    client.add("X-Hop", "1");
    client.add("authorization", "Bearer t");
    client.add("Via", "1.1 a");
    client.add("X-Forwarded-For", "10.0.0.1");
    client.add("via", "1.1 b");
    client.add("Content-Length", "2");
    client.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    const HttpHeaders out = HeaderRules::forUpstream(client);
    QCOMPARE(out.fields.size(), 3);
    QCOMPARE(out.fields.at(0), (QPair<QByteArray, QByteArray>("Accept", "application/json")));
    QCOMPARE(out.fields.at(1), (QPair<QByteArray, QByteArray>("Via", "1.1 a")));
    QCOMPARE(out.fields.at(2), (QPair<QByteArray, QByteArray>("via", "1.1 b")));  // order and repeats kept
}

void TestHeaderRules::forClientDropsWhatDoesNotPass()
{
    HttpHeaders upstream;
    upstream.add("Server", "nginx/1.25");
    upstream.add("Content-Type", "application/json");
    upstream.add("Set-Cookie", "a=1");
    upstream.add("Connection", "close");
    upstream.add("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    upstream.add("X-Powered-By", "PHP/8");
    upstream.add("X-Accel-Redirect", "/internal");
    upstream.add("Set-Cookie", "b=2");
    upstream.add("X-RateLimit-Limit", "5");
    const HttpHeaders out = HeaderRules::forClient(upstream);
    QCOMPARE(out.fields.size(), 3);
    QCOMPARE(out.fields.at(0).first, QByteArray("Content-Type"));
    QCOMPARE(out.fields.at(1), (QPair<QByteArray, QByteArray>("Set-Cookie", "a=1")));
    QCOMPARE(out.fields.at(2), (QPair<QByteArray, QByteArray>("Set-Cookie", "b=2")));

    HttpHeaders listed;
    listed.add("Connection", "X-Conn-Private");
    listed.add("X-Conn-Private", "1");
    listed.add("X-Public", "1");
    const HttpHeaders kept = HeaderRules::forClient(listed);
    QCOMPARE(kept.fields.size(), 1);
    QCOMPARE(kept.fields.at(0).first, QByteArray("X-Public"));
}

void TestHeaderRules::forClientSharesWhenAllPass()
{
    HttpHeaders upstream;
    upstream.add("Content-Type", "application/json");
    upstream.add("ETag", "\"1\"");
    const HttpHeaders out = HeaderRules::forClient(upstream);
    QCOMPARE(out.fields, upstream.fields);
    QVERIFY(out.fields.constData() == upstream.fields.constData());  // shared, not copied
}

void TestHeaderRules::namedInConnection_data()
{
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("named");
    QTest::newRow("plain") << QByteArray("X-A") << QByteArray("x-a") << true;
    QTest::newRow("list, spaces") << QByteArray("close ,\tX-A , X-B") << QByteArray("X-B") << true;
    QTest::newRow("not listed") << QByteArray("X-A, X-B") << QByteArray("X-C") << false;
    QTest::newRow("prefix only") << QByteArray("X-Ab") << QByteArray("X-A") << false;
    QTest::newRow("options are no fields") << QByteArray("close, keep-alive") << QByteArray("keep-alive") << false;
    QTest::newRow("empty tokens") << QByteArray(",, ,X-A,") << QByteArray("X-A") << true;
    QTest::newRow("empty value") << QByteArray("") << QByteArray("X-A") << false;
}

void TestHeaderRules::namedInConnection()
{
    QFETCH(QByteArray, connection);
    QFETCH(QByteArray, name);
    QFETCH(bool, named);
    HttpHeaders headers;
    headers.add("Content-Type", "text/plain");
    headers.add("Connection", connection);
    QCOMPARE(HeaderRules::namedInConnection(headers, name), named);
}

void TestHeaderRules::writerDropsHopByHopFromAnyHandler()
{
    HttpHeaders h;
    h.add("TE", "trailers");
    h.add("Trailer", "X-Checksum");
    h.add("Proxy-Authenticate", "Basic");
    h.add("Keep-Alive", "timeout=5");
    h.add("X-Request-ID", "req_1");  // the gateway's own, set by a handler of the gateway: kept
    QByteArray out;
    HttpResponseHead::append(out, 200, h, HttpResponseHead::Framing::Length, 0,
                             HttpResponseHead::ConnectionToken::Default);
    QVERIFY(!out.contains("TE:"));
    QVERIFY(!out.contains("Trailer:"));
    QVERIFY(!out.contains("Proxy-Authenticate:"));
    QVERIFY(!out.contains("Keep-Alive:"));
    QVERIFY(out.contains("X-Request-ID: req_1\r\n"));
    QVERIFY(HeaderRules::writerOwnsToClient("content-length"));
    // A handler may name itself: the writer adds ours unless given.
    QVERIFY(!HeaderRules::writerOwnsToClient("server"));
    QVERIFY(HeaderRules::encoderOwnsToUpstream("Transfer-Encoding"));
    QVERIFY(!HeaderRules::encoderOwnsToUpstream("Host"));  // the encoder takes a caller's Host
}

QTEST_APPLESS_MAIN(TestHeaderRules)
#include "tst_headerrules.moc"
