// Every limit and timeout of the HTTP front, enforced before anything is buffered: header size and
// count (431), body size (413), slowloris heads, stalled bodies, idle keep-alive, stalled readers,
// and the pipelining cap.

#include "HttpTestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace httptest;

namespace {

QByteArray requestWithFields(int fields)
{
    QByteArray r = "GET /echo HTTP/1.1\r\nHost: test\r\n";
    for (int i = 1; i < fields; ++i)
        r += "X-Field-" + QByteArray::number(i) + ": v\r\n";
    return r + "\r\n";
}

// A request whose line and headers (through the empty line) are exactly `size` bytes.
QByteArray requestOfSize(qsizetype size)
{
    const QByteArray start = "GET /echo HTTP/1.1\r\nHost: test\r\nX-Big: ";
    const qsizetype filler = size - start.size() - 4;
    return start + QByteArray(filler, 'a') + "\r\n\r\n";
}

QByteArray errorCode(const RawResponse &r)
{
    return QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).toObject()
        .value(QStringLiteral("code")).toString().toLatin1();
}

} // namespace

class TestHttpLimits : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void headerFieldCount_data();
    void headerFieldCount();
    void headerBytes_data();
    void headerBytes();
    void bodyTooLargeIsRefusedBeforeItIsSent();
    void bodyLimitBuffered_data();
    void bodyLimitBuffered();
    void chunkedBodyCutAtLimit();
    void slowlorisCutAtHeaderTimeout();
    void slowlorisCutAtDefaultHeaderTimeout();
    void silentConnectionCut();
    void stalledBodyCut();
    void slowButSteadyBodyIsServed();
    void bodyBelowMinimumRateCut();
    void bodyAboveMinimumRateServed();
    void judgedHeadWaitIsNotTheClients();
    void idleKeepAliveClosed();
    void busyKeepAliveStaysOpen();
    void clientThatStopsReadingIsCut();
    void pipelineCapKeepsOrder();
};

void TestHttpLimits::init()
{
    TestState::instance().reset();
}

void TestHttpLimits::headerFieldCount_data()
{
    QTest::addColumn<int>("fields");
    QTest::addColumn<int>("status");
    QTest::newRow("100 fields") << 100 << 200;
    QTest::newRow("101 fields") << 101 << 431;
    QTest::newRow("1000 fields") << 1000 << 431;
}

void TestHttpLimits::headerFieldCount()
{
    QFETCH(int, fields);
    QFETCH(int, status);

    TestServer server;
    QVERIFY(server.start());
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send(requestWithFields(fields)));
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->status, status);
    if (status == 200) {
        QCOMPARE(r->header("x-header-count").toInt(), fields);
    } else {
        QCOMPARE(errorCode(*r), QByteArray("REQUEST_HEADER_FIELDS_TOO_LARGE"));
        QVERIFY(c.waitForClose(2000));
        QCOMPARE(TestState::instance().handled.load(), 0);
    }
}

void TestHttpLimits::headerBytes_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("pieceSize");
    QTest::addColumn<int>("status");

    QTest::newRow("15 KiB") << requestOfSize(15 * 1024) << 0 << 200;
    QTest::newRow("exactly 16 KiB") << requestOfSize(16 * 1024) << 0 << 200;
    QTest::newRow("16 KiB + 1") << requestOfSize(16 * 1024 + 1) << 0 << 431;
    QTest::newRow("17 KiB") << requestOfSize(17 * 1024) << 0 << 431;
    QTest::newRow("17 KiB in 100-byte pieces") << requestOfSize(17 * 1024) << 100 << 431;
    QTest::newRow("17 KiB request line") << "GET /echo?" + QByteArray(17 * 1024, 'q') + " HTTP/1.1\r\nHost: test\r\n\r\n"
                                         << 0 << 431;
    QTest::newRow("1 MiB of headers") << requestOfSize(1024 * 1024) << 0 << 431;
}

void TestHttpLimits::headerBytes()
{
    QFETCH(QByteArray, request);
    QFETCH(int, pieceSize);
    QFETCH(int, status);

    TestServer server;
    QVERIFY(server.start());
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    if (pieceSize == 0) {
        c.send(request); // may fail half-way once the server has answered and closed
    } else {
        for (qsizetype off = 0; off < request.size(); off += pieceSize) {
            if (!c.send(QByteArrayView(request).sliced(off, qMin<qsizetype>(pieceSize, request.size() - off))))
                break;
        }
    }
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->status, status);
    if (status == 431) {
        QCOMPARE(errorCode(*r), QByteArray("REQUEST_HEADER_FIELDS_TOO_LARGE"));
        QVERIFY(c.waitForClose(3000));
    }
}

void TestHttpLimits::bodyTooLargeIsRefusedBeforeItIsSent()
{
    TestServer server;
    QVERIFY(server.start());
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    // Warm up so that first-use allocations do not count as growth.
    QVERIFY(c.send(post("/echo", QByteArray(1000, 'w'))));
    QVERIFY(c.readResponse());
    const qint64 rssBefore = residentBytes();

    const qint64 announced = 30 * 1024 * 1024;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(c.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + QByteArray::number(announced) + "\r\n\r\n"));
    const auto r = c.readResponse(2000); // not one body byte sent yet
    QVERIFY(r);
    QVERIFY2(timer.elapsed() < 1000, QByteArray::number(timer.elapsed()).constData());
    QCOMPARE(r->status, 413);
    QCOMPARE(errorCode(*r), QByteArray("PAYLOAD_TOO_LARGE"));
    QCOMPARE(r->header("connection"), QByteArray("close"));

    // A client that sends the body anyway: the server drops it and closes; nothing is buffered.
    const QByteArray block(64 * 1024, 'b');
    qint64 sent = 0;
    while (sent < announced && c.send(block))
        sent += block.size();
    QVERIFY2(sent < announced, "the server kept taking the body");
    QVERIFY(c.waitForClose(3000));
    QTRY_COMPARE(server->openConnections(), 0);
    const qint64 growth = residentBytes() - rssBefore;
    QVERIFY2(growth < 4 * 1024 * 1024, QByteArray::number(growth).constData());
    QCOMPARE(TestState::instance().handled.load(), 1); // the warm-up only
}

void TestHttpLimits::bodyLimitBuffered_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("at the limit") << 1024 << 200;
    QTest::newRow("one over") << 1025 << 413;
}

void TestHttpLimits::bodyLimitBuffered()
{
    QFETCH(int, size);
    QFETCH(int, status);

    TestServer server;
    QVERIFY(server.start());
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    c.send(post("/small", QByteArray(size, 'x')));
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->status, status);
    if (status == 200)
        QCOMPARE(r->body.size(), size);
}

void TestHttpLimits::chunkedBodyCutAtLimit()
{
    TestServer server;
    QVERIFY(server.start());
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send("POST /small HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const QByteArray chunk = "200\r\n" + QByteArray(512, 'c') + "\r\n";
    // Two chunks reach the 1 KiB limit; the third crosses it. The server answers there, not at the end.
    QVERIFY(c.send(chunk + chunk + chunk));
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QCOMPARE(errorCode(*r), QByteArray("PAYLOAD_TOO_LARGE"));
    QVERIFY(c.waitForClose(3000));
    QCOMPARE(TestState::instance().handled.load(), 0);
}

void TestHttpLimits::slowlorisCutAtHeaderTimeout()
{
    HttpLimits limits;
    limits.headerTimeoutMs = 1000;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send("GET /hello HTTP/1.1\r\n"));
    // A fresh header line every 250 ms: activity must not extend the deadline.
    int line = 0;
    while (!c.waitForClose(250) && timer.elapsed() < 5000)
        c.send("X-Slow-" + QByteArray::number(line++) + ": 1\r\n");
    const qint64 elapsed = timer.elapsed();
    QVERIFY(c.eof());
    QVERIFY2(elapsed >= 900 && elapsed < 2500, QByteArray::number(elapsed).constData());
    QVERIFY(c.buffered().isEmpty());
    QCOMPARE(TestState::instance().handled.load(), 0);
}

void TestHttpLimits::slowlorisCutAtDefaultHeaderTimeout()
{
    TestServer server;
    QVERIFY(server.start()); // default limits: 10 s
    RawClient c;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send("GET /hello HTTP/1.1\r\n"));
    int line = 0;
    while (!c.waitForClose(1000) && timer.elapsed() < 15000)
        c.send("X-Slow-" + QByteArray::number(line++) + ": 1\r\n");
    const qint64 elapsed = timer.elapsed();
    QVERIFY(c.eof());
    QVERIFY2(elapsed >= 9500 && elapsed < 12000, QByteArray::number(elapsed).constData());
}

void TestHttpLimits::silentConnectionCut()
{
    HttpLimits limits;
    limits.headerTimeoutMs = 1000;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    qint64 elapsed = 0;
    QVERIFY(c.waitForClose(3000, &elapsed)); // the header timeout, not the (60 s) idle one
    QVERIFY2(elapsed >= 900 && elapsed < 2500, QByteArray::number(elapsed).constData());
}

void TestHttpLimits::stalledBodyCut()
{
    HttpLimits limits;
    limits.bodyStallTimeoutMs = 500;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n0123456789"));
    qint64 elapsed = 0;
    QVERIFY(c.waitForClose(3000, &elapsed));
    QVERIFY2(elapsed >= 400 && elapsed < 2000, QByteArray::number(elapsed).constData());
    QCOMPARE(TestState::instance().handled.load(), 0);
}

void TestHttpLimits::slowButSteadyBodyIsServed()
{
    HttpLimits limits;
    limits.bodyStallTimeoutMs = 500;
    // This one is about the stall timer only: 8 bytes in 1.2 s are far below the default minimum rate
    // (see bodyBelowMinimumRateCut), so the rate allows 8 s per byte here.
    limits.bodyMinRate = 1;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 8\r\n\r\n"));
    for (char ch : QByteArray("steadily")) {
        QVERIFY(c.silentFor(150)); // 8 × 150 ms: well past the stall timeout in total, never in one gap
        QVERIFY(c.send(QByteArray(1, ch)));
    }
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->body, QByteArray("steadily"));
}

void TestHttpLimits::bodyBelowMinimumRateCut()
{
    // 100 bytes every 200 ms (500 B/s) never stalls for the 1 s stall timeout, but the rate deadline
    // 1 s + received / (1000 B/s) is overtaken at t = 1 + 0.5 t, about 2 s in.
    HttpLimits limits;
    limits.bodyStallTimeoutMs = 1000;
    limits.bodyMinRate = 1000;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(c.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n"));
    while (!c.waitForClose(200) && timer.elapsed() < 8000)
        c.send(QByteArray(100, 'b'));
    const qint64 elapsed = timer.elapsed();
    QVERIFY(c.eof());
    QVERIFY2(elapsed >= 1700 && elapsed < 3500, QByteArray::number(elapsed).constData());
    QCOMPARE(TestState::instance().handled.load(), 0);
}

void TestHttpLimits::bodyAboveMinimumRateServed()
{
    // 200 bytes every 100 ms (2000 B/s) for 3 s: longer than the 1 s grace, above the 1000 B/s minimum.
    HttpLimits limits;
    limits.bodyStallTimeoutMs = 1000;
    limits.bodyMinRate = 1000;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    constexpr int Pieces = 30;
    QVERIFY(c.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + QByteArray::number(Pieces * 200) + "\r\n\r\n"));
    for (int i = 0; i < Pieces; ++i) {
        QVERIFY2(c.silentFor(100), QByteArray::number(i).constData());
        QVERIFY(c.send(QByteArray(200, 'b')));
    }
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->body, QByteArray::number(Pieces * 200));
}

void TestHttpLimits::judgedHeadWaitIsNotTheClients()
{
    // The handler judges the head and asks for the body only after 2.5 s; the client, waiting for its
    // 100 Continue, sends nothing before. Counted from the head, the rate deadline (1 s + received/rate)
    // would have passed long before; counted from when we asked, the body is in time.
    HttpLimits limits;
    limits.bodyStallTimeoutMs = 1000;
    limits.bodyMinRate = 1000;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(c.send("POST /judged?ms=2500 HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n"));
    const auto interim = c.readResponse(5000);
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    QVERIFY2(timer.elapsed() >= 2300, QByteArray::number(timer.elapsed()).constData());
    // 1000 bytes at 2000 B/s.
    for (int i = 0; i < 5; ++i) {
        QVERIFY(c.silentFor(100));
        QVERIFY(c.send(QByteArray(200, 'b')));
    }
    const auto r = c.readResponse();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->body, QByteArray("1000"));
}

void TestHttpLimits::idleKeepAliveClosed()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 500;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QVERIFY(c.send(get("/hello")));
    QVERIFY(c.readResponse());
    qint64 elapsed = 0;
    QVERIFY(c.waitForClose(3000, &elapsed));
    QVERIFY2(elapsed >= 400 && elapsed < 2000, QByteArray::number(elapsed).constData());
    QTRY_COMPARE(server->openConnections(), 0);
}

void TestHttpLimits::busyKeepAliveStaysOpen()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 500;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    for (int i = 0; i < 4; ++i) { // 4 × 300 ms: longer than the idle timeout, but never idle that long
        QVERIFY(c.send(get("/hello")));
        const auto r = c.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(c.silentFor(300));
    }
}

void TestHttpLimits::clientThatStopsReadingIsCut()
{
    HttpLimits limits;
    limits.bodyStallTimeoutMs = 500;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    const int small = 4096;
    ::setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    // An endless response the client never reads: the kernel buffers fill, then nothing moves.
    QVERIFY(c.send(get("/stream?n=100000000&ms=0")));
    QTRY_COMPARE_WITH_TIMEOUT(TestState::instance().aborted.load(), 1, 10000);
    QTRY_COMPARE(server->openConnections(), 0);
}

void TestHttpLimits::pipelineCapKeepsOrder()
{
    HttpLimits limits;
    limits.maxPipelined = 4;
    TestServer server;
    QVERIFY(server.start(limits));
    RawClient c;
    QVERIFY(c.connectTo(server.port()));
    QByteArray batch;
    for (int i = 0; i < 12; ++i)
        batch += get("/slow?ms=" + QByteArray::number((12 - i) * 5) + "&id=" + QByteArray::number(i));
    QVERIFY(c.send(batch));
    for (int i = 0; i < 12; ++i) {
        const auto r = c.readResponse();
        QVERIFY(r);
        QCOMPARE(r->body, "slow " + QByteArray::number(i));
    }
}

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "tst_httplimits.moc"
