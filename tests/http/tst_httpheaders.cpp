// The HTTP front's small pieces on their own: header list semantics, the Date format, response
// head serialization (framing headers are ours, line breaks never pass), and the head scanner
// that restores the strictness Debian's lenient http_parser build leaves out.

#include "server/http/HttpDate.h"
#include "server/http/HttpHeadScanner.h"
#include "server/http/HttpHeaders.h"
#include "server/http/HttpResponseHead.h"

#include <QtTest>

using namespace tollgate::http;

class TestHttpHeaders : public QObject
{
    Q_OBJECT

private slots:
    void lookupIsCaseInsensitiveAndFirstWins();
    void nameEqualsIsAsciiCaseInsensitiveOnly();
    void internKeepsBytes();
    void safeValues();
    void setReplacesAllOfThatName();
    void removeDropsAllOfThatName();
    void dateFormat_data();
    void dateFormat();
    void responseHeadOwnsFraming();
    void responseHeadKeepsHandlerServerAndDate();
    void responseHeadDropsLineBreaks();
    void responseHeadConnectionTokens_data();
    void responseHeadConnectionTokens();
    void scannerAcceptsWellFormedHeads_data();
    void scannerAcceptsWellFormedHeads();
    void scannerRefuses_data();
    void scannerRefuses();
    void scannerAcrossPieces();
    void tokens();
};

void TestHttpHeaders::lookupIsCaseInsensitiveAndFirstWins()
{
    HttpHeaders h;
    h.add("Set-Cookie", "a=1");
    h.add("Content-Type", "text/plain");
    h.add("set-cookie", "b=2");
    QCOMPARE(h.value("SET-COOKIE"), QByteArray("a=1"));
    QCOMPARE(h.value("content-type"), QByteArray("text/plain"));
    QVERIFY(h.contains("CONTENT-TYPE"));
    QVERIFY(!h.contains("Content-Typ"));
    QCOMPARE(h.value("missing"), QByteArray());
    QCOMPARE(h.fields.size(), 3); // order and repeats kept
    QCOMPARE(h.fields.at(2).first, QByteArray("set-cookie"));
}

void TestHttpHeaders::setReplacesAllOfThatName()
{
    HttpHeaders h;
    h.add("A", "1");
    h.add("X-Id", "first");
    h.add("B", "2");
    h.add("x-id", "second");
    h.set("X-ID", "only");
    QCOMPARE(h.fields.size(), 3);
    QCOMPARE(h.fields.at(1), (QPair<QByteArray, QByteArray>("X-ID", "only")));
    QCOMPARE(h.fields.at(2).first, QByteArray("B"));
    h.set("New", "n");
    QCOMPARE(h.fields.last(), (QPair<QByteArray, QByteArray>("New", "n")));
}

void TestHttpHeaders::removeDropsAllOfThatName()
{
    HttpHeaders h;
    h.add("A", "1");
    h.add("Authorization", "secret");
    h.add("authorization", "again");
    h.remove("AUTHORIZATION");
    QCOMPARE(h.fields.size(), 1);
    QVERIFY(!h.contains("authorization"));
}

void TestHttpHeaders::dateFormat_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("RFC 9110 example") << qint64(784111777) << QByteArray("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    QTest::newRow("epoch") << qint64(0) << QByteArray("Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n");
    QTest::newRow("leap day") << qint64(1709210096) << QByteArray("Date: Thu, 29 Feb 2024 12:34:56 GMT\r\n");
}

void TestHttpHeaders::dateFormat()
{
    QFETCH(qint64, seconds);
    QFETCH(QByteArray, line);
    char buf[64];
    const int n = HttpDate::format(seconds, buf);
    QCOMPARE(QByteArray(buf, n), line);
    const QByteArrayView now = HttpDate::currentHeaderLine();
    QVERIFY(now.startsWith("Date: ") && now.endsWith(" GMT\r\n"));
    QCOMPARE(now.size(), line.size());
}

void TestHttpHeaders::responseHeadOwnsFraming()
{
    HttpHeaders h;
    h.add("Content-Type", "application/json");
    h.add("Content-Length", "999");         // an upstream's framing must not reach the client
    h.add("Transfer-Encoding", "chunked");
    h.add("Connection", "keep-alive, Upgrade");
    h.add("Keep-Alive", "timeout=5");
    h.add("Upgrade", "websocket");
    h.add("X-Request-ID", "r1");
    QByteArray out;
    HttpResponseHead::append(out, 200, h, HttpResponseHead::Framing::Length, 2,
                             HttpResponseHead::ConnectionToken::Default);
    QVERIFY(out.startsWith("HTTP/1.1 200 OK\r\nServer: tollgate\r\nDate: "));
    QVERIFY(out.endsWith("\r\n\r\n"));
    QCOMPARE(out.count("Content-Length"), 1);
    QVERIFY(out.contains("\r\nContent-Length: 2\r\n"));
    QVERIFY(out.contains("\r\nContent-Type: application/json\r\n"));
    QVERIFY(out.contains("\r\nX-Request-ID: r1\r\n"));
    QVERIFY(!out.contains("Transfer-Encoding"));
    QVERIFY(!out.contains("Connection"));
    QVERIFY(!out.contains("Keep-Alive"));
    QVERIFY(!out.contains("Upgrade"));

    QByteArray chunked;
    HttpResponseHead::append(chunked, 502, {}, HttpResponseHead::Framing::Chunked, -1,
                             HttpResponseHead::ConnectionToken::Default);
    QVERIFY(chunked.startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
    QVERIFY(chunked.contains("\r\nTransfer-Encoding: chunked\r\n"));
    QVERIFY(!chunked.contains("Content-Length"));
}

void TestHttpHeaders::responseHeadKeepsHandlerServerAndDate()
{
    HttpHeaders h;
    h.add("Server", "upstream");
    h.add("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
    QByteArray out;
    HttpResponseHead::append(out, 404, h, HttpResponseHead::Framing::None, 0, HttpResponseHead::ConnectionToken::Default);
    QCOMPARE(out.count("Server:"), 1);
    QCOMPARE(out.count("Date:"), 1);
    QVERIFY(out.contains("Server: upstream"));
}

void TestHttpHeaders::responseHeadDropsLineBreaks()
{
    HttpHeaders h;
    h.add("X-Evil", "a\r\nSet-Cookie: stolen=1");
    h.add("X-Evil2\r\nX", "b");
    h.add("X-Good", "c");
    QByteArray out;
    HttpResponseHead::append(out, 200, h, HttpResponseHead::Framing::Length, 0, HttpResponseHead::ConnectionToken::Default);
    QVERIFY(!out.contains("stolen"));
    QVERIFY(!out.contains("X-Evil"));
    QVERIFY(out.contains("X-Good: c"));
}

void TestHttpHeaders::responseHeadConnectionTokens_data()
{
    QTest::addColumn<int>("token");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("default") << int(HttpResponseHead::ConnectionToken::Default) << QByteArray();
    QTest::newRow("keep-alive") << int(HttpResponseHead::ConnectionToken::KeepAlive) << QByteArray("Connection: keep-alive\r\n");
    QTest::newRow("close") << int(HttpResponseHead::ConnectionToken::Close) << QByteArray("Connection: close\r\n");
}

void TestHttpHeaders::responseHeadConnectionTokens()
{
    QFETCH(int, token);
    QFETCH(QByteArray, expected);
    QByteArray out;
    HttpResponseHead::append(out, 200, {}, HttpResponseHead::Framing::Length, 0,
                             HttpResponseHead::ConnectionToken(token));
    if (expected.isEmpty())
        QVERIFY(!out.contains("Connection"));
    else
        QVERIFY(out.contains("\r\n" + expected));
    QVERIFY(HttpResponseHead::asksToClose([] { HttpHeaders h; h.add("connection", "Close"); return h; }()));
}

void TestHttpHeaders::scannerAcceptsWellFormedHeads_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::newRow("simple") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("leading empty line") << QByteArray("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("bare LF lines") << QByteArray("GET / HTTP/1.1\nHost: a\n\n");
    QTest::newRow("tab inside value") << QByteArray("GET / HTTP/1.0\r\nX: a\tb\r\n\r\n");
    QTest::newRow("obs-text value") << QByteArray("GET / HTTP/1.1\r\nX: caf\xc3\xa9\r\n\r\n");
}

void TestHttpHeaders::scannerAcceptsWellFormedHeads()
{
    QFETCH(QByteArray, head);
    HttpHeadScanner s;
    s.reset();
    QVERIFY(s.scan(head.constData(), head.size()));
    QVERIFY(s.requestLineValid());
    QVERIFY(!s.awaitingLineFeed());
}

void TestHttpHeaders::scannerRefuses_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("scanOk");
    QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nX: a\rY: b\r\n\r\n") << false;
    QTest::newRow("CR then junk at the end") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n\rX") << false;
    QTest::newRow("folded line") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") << false;
    QTest::newRow("NUL") << QByteArray("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27) << false;
    QTest::newRow("DEL") << QByteArray("GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n") << false;
    QTest::newRow("HTTX") << QByteArray("GET / HTTX/1.1\r\n\r\n") << true;
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << true;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << true;
    QTest::newRow("HTTP/1.10") << QByteArray("GET / HTTP/1.10\r\n\r\n") << true;
}

void TestHttpHeaders::scannerRefuses()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, scanOk);
    HttpHeadScanner s;
    s.reset();
    const bool ok = s.scan(head.constData(), head.size());
    QCOMPARE(ok, scanOk);
    if (ok)
        QVERIFY(!s.requestLineValid());
}

void TestHttpHeaders::scannerAcrossPieces()
{
    // A CR at the end of one read and its LF at the start of the next.
    const QByteArray head = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
    for (qsizetype cut = 1; cut < head.size(); ++cut) {
        HttpHeadScanner s;
        s.reset();
        QVERIFY(s.scan(head.constData(), cut));
        QVERIFY(s.scan(head.constData() + cut, head.size() - cut));
        QVERIFY2(s.requestLineValid(), QByteArray::number(cut).constData());
    }
    HttpHeadScanner s;
    s.reset();
    QVERIFY(s.scan("GET / HTTP/1.1\r", 15));
    QVERIFY(s.awaitingLineFeed());
    QVERIFY(!s.scan("X", 1));
}

void TestHttpHeaders::tokens()
{
    QVERIFY(HttpHeadScanner::isToken("Content-Length"));
    QVERIFY(HttpHeadScanner::isToken("x!#$%&'*+-.^_`|~09"));
    QVERIFY(!HttpHeadScanner::isToken("Content-Length "));
    QVERIFY(!HttpHeadScanner::isToken("a:b"));
    QVERIFY(!HttpHeadScanner::isToken(""));
    QVERIFY(!HttpHeadScanner::isToken("caf\xc3\xa9"));
}

void TestHttpHeaders::nameEqualsIsAsciiCaseInsensitiveOnly()
{
    QVERIFY(HttpHeaders::nameEquals("Content-Length", "content-length"));
    QVERIFY(HttpHeaders::nameEquals("X-API-KEY", "x-api-key"));
    QVERIFY(HttpHeaders::nameEquals("", ""));
    QVERIFY(!HttpHeaders::nameEquals("Content-Length", "Content-Lengt"));
    // Bytes that differ only in bit 5 but are not letters are different characters.
    QVERIFY(!HttpHeaders::nameEquals("a@b", "a`b"));
    QVERIFY(!HttpHeaders::nameEquals("x[", "x{"));
    QVERIFY(!HttpHeaders::nameEquals("x-1", "x\r1"));
    QVERIFY(!HttpHeaders::nameEquals("caf\xc3\xa9", "caf\xe3\xa9"));
}

void TestHttpHeaders::internKeepsBytes()
{
    const char *const samples[] = {"Content-Type", "content-type", "Keep-Alive", "keep-alive", "X-Custom", "Host",
                                   "hosT", "application/json", "application/jsonp", "a", "*/*"};
    for (const char *sample : samples) {
        const QByteArray interned = HttpHeaders::intern(sample, qsizetype(qstrlen(sample)));
        QCOMPARE(interned, QByteArray(sample));
        // Usable like any other array: appending and truncating leave the shared constant alone.
        QByteArray copy = interned;
        copy.append("-more");
        copy.truncate(1);
        QCOMPARE(HttpHeaders::intern(sample, qsizetype(qstrlen(sample))), QByteArray(sample));
    }
    QCOMPARE(HttpHeaders::intern("", 0), QByteArray(""));
}

void TestHttpHeaders::safeValues()
{
    QVERIFY(HttpHeaders::isSafeValue(""));
    QVERIFY(HttpHeaders::isSafeValue("user 42; caf\xc3\xa9\t(tab)"));
    QVERIFY(!HttpHeaders::isSafeValue("a\r\nX-Injected: 1"));
    QVERIFY(!HttpHeaders::isSafeValue("a\nb"));
    QVERIFY(!HttpHeaders::isSafeValue("a\rb"));
    QVERIFY(!HttpHeaders::isSafeValue(QByteArrayView("a\0b", 3)));
}

QTEST_APPLESS_MAIN(TestHttpHeaders)
#include "tst_httpheaders.moc"
