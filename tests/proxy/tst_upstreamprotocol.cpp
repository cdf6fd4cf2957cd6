// The upstream client's wire pieces on their own: the response parser (events, splits at every
// byte, stops from the body sink) and the request encoder (framing owned by the client, chunks,
// validation).

#include "server/proxy/UpstreamRequest.h"
#include "server/proxy/UpstreamRequestEncoder.h"
#include "server/proxy/UpstreamResponseParser.h"

#include <QTest>

using namespace tollgate::proxy;
using Event = UpstreamResponseParser::Event;

namespace {

struct Parsed
{
    UpstreamResponseHead head;
    QByteArray body;
    int heads = 0;
    bool complete = false;
    bool error = false;
    bool keepAlive = false;
};

// Feeds the pieces in order, resuming after every event, the way the connection does.
Parsed parse(const QList<QByteArray> &pieces, bool headRequest = false, bool eofAtEnd = false, int stopEvery = 0)
{
    Parsed out;
    int bodyCalls = 0;
    UpstreamResponseParser parser([&](const char *data, qsizetype size) {
        out.body.append(data, size);
        ++bodyCalls;
        return stopEvery == 0 || bodyCalls % stopEvery != 0;
    });
    parser.reset(headRequest);
    for (const QByteArray &piece : pieces) {
        qsizetype pos = 0;
        while (pos < piece.size() && !out.complete && !out.error) {
            qsizetype used = 0;
            const Event event = parser.feed(piece.constData() + pos, piece.size() - pos, &used);
            pos += used;
            if (event == Event::Head) {
                ++out.heads;
                out.head = parser.head();
            } else if (event == Event::Complete) {
                out.complete = true;
                out.keepAlive = parser.keepAlive();
            } else if (event == Event::Error) {
                out.error = true;
            }
        }
    }
    if (eofAtEnd && !out.complete && !out.error) {
        const Event event = parser.finish();
        out.complete = event == Event::Complete;
        out.error = event == Event::Error;
    }
    return out;
}

} // namespace

class tst_UpstreamProtocol : public QObject
{
    Q_OBJECT

private slots:
    void everySplitPoint_data();
    void everySplitPoint();
    void headersKeptInOrder();
    void sinkStopResumes();
    void closeDelimited();
    void requestHead();
    void chunkFraming();
    void validation_data();
    void validation();
};

void tst_UpstreamProtocol::everySplitPoint_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("contentLength");
    QTest::newRow("length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-A: 1\r\n\r\nhello world")
                            << QByteArray("hello world") << qint64(11);
    QTest::newRow("chunked with trailer")
        << QByteArray("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nhel\r\n8\r\nlo world\r\n0\r\nX-Checksum: 1\r\n\r\n")
        << QByteArray("hello world") << qint64(-1);
    QTest::newRow("interim then length")
        << QByteArray("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        << QByteArray("ok") << qint64(2);
}

void tst_UpstreamProtocol::everySplitPoint()
{
    QFETCH(QByteArray, response);
    QFETCH(QByteArray, body);
    QFETCH(qint64, contentLength);
    for (qsizetype split = 0; split <= response.size(); ++split) {
        const Parsed parsed = parse({response.left(split), response.mid(split)});
        QVERIFY2(parsed.complete, qPrintable(QString::number(split)));
        QCOMPARE(parsed.heads, 1);
        QCOMPARE(parsed.body, body);
        QCOMPARE(parsed.head.contentLength, contentLength);
        QVERIFY(parsed.keepAlive);
        QVERIFY(!parsed.head.headers.contains("link")); // the interim head's fields are gone
        QVERIFY(!parsed.head.headers.contains("x-checksum")); // trailers are not head fields
    }
    QList<QByteArray> bytes;
    for (char c : response)
        bytes.append(QByteArray(1, c));
    const Parsed parsed = parse(bytes);
    QVERIFY(parsed.complete);
    QCOMPARE(parsed.body, body);
}

void tst_UpstreamProtocol::headersKeptInOrder()
{
    const Parsed parsed = parse({"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nVia: x  \r\nSet-Cookie: b=2\r\n"
                                 "Content-Length: 0\r\n\r\n"});
    QVERIFY(parsed.complete);
    const auto &fields = parsed.head.headers.fields;
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields[0].first, QByteArray("Set-Cookie"));
    QCOMPARE(fields[0].second, QByteArray("a=1"));
    QCOMPARE(fields[1].second, QByteArray("x")); // trailing whitespace dropped
    QCOMPARE(fields[2].second, QByteArray("b=2"));
}

void tst_UpstreamProtocol::sinkStopResumes()
{
    // Stopping after every body piece loses nothing and keeps the message intact.
    const QByteArray response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n";
    for (qsizetype split = 0; split <= response.size(); ++split) {
        const Parsed parsed = parse({response.left(split), response.mid(split)}, false, false, 1);
        QVERIFY(parsed.complete);
        QCOMPARE(parsed.body, QByteArray("abcd"));
    }
    const Parsed length = parse({"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab", "cd"}, false, false, 1);
    QVERIFY(length.complete);
    QCOMPARE(length.body, QByteArray("abcd"));
}

void tst_UpstreamProtocol::closeDelimited()
{
    const Parsed parsed = parse({"HTTP/1.1 200 OK\r\n\r\nto the", " end"}, false, true);
    QVERIFY(parsed.complete);
    QVERIFY(!parsed.keepAlive);
    QCOMPARE(parsed.body, QByteArray("to the end"));

    const Parsed cut = parse({"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nto the"}, false, true);
    QVERIFY(cut.error);
    QVERIFY(!cut.complete);

    const Parsed head = parse({"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"}, true);
    QVERIFY(head.complete);
    QCOMPARE(head.head.contentLength, 0);
    QVERIFY(head.keepAlive);
}

void tst_UpstreamProtocol::requestHead()
{
    UpstreamRequest request;
    request.method = "PUT";
    request.target = "/v1/x";
    request.headers.add("Accept", "*/*");
    request.headers.add("content-length", "1");
    request.headers.add("Keep-Alive", "timeout=5");
    request.body = "abc";
    QCOMPARE(UpstreamRequestEncoder::head(request, "up:8080"),
             QByteArray("PUT /v1/x HTTP/1.1\r\nAccept: */*\r\nHost: up:8080\r\nContent-Length: 3\r\n"
                        "Connection: keep-alive\r\n\r\n"));

    UpstreamRequest streamed;
    streamed.method = "POST";
    streamed.streamedBody = true;
    QCOMPARE(UpstreamRequestEncoder::head(streamed, "up"),
             QByteArray("POST / HTTP/1.1\r\nHost: up\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"));
    streamed.bodyLength = 100;
    QVERIFY(UpstreamRequestEncoder::head(streamed, "up").contains("\r\nContent-Length: 100\r\n"));

    UpstreamRequest get;
    get.method = "GET";
    get.target = "/";
    QVERIFY(!UpstreamRequestEncoder::head(get, "up").contains("Content-Length"));
}

void tst_UpstreamProtocol::chunkFraming()
{
    QCOMPARE(UpstreamRequestEncoder::chunk("hello world, twenty six ch"), QByteArray("1a\r\nhello world, twenty six ch\r\n"));
    QCOMPARE(UpstreamRequestEncoder::lastChunk(), QByteArray("0\r\n\r\n"));
}

void tst_UpstreamProtocol::validation_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("fine") << QByteArray("GET") << QByteArray("/a?b=c%20d") << QByteArray("X-A") << QByteArray("v w")
                          << true;
    QTest::newRow("space in target") << QByteArray("GET") << QByteArray("/a b") << QByteArray("X-A") << QByteArray("v")
                                     << false;
    QTest::newRow("CRLF in target") << QByteArray("GET") << QByteArray("/a\r\nX: y") << QByteArray("X-A")
                                    << QByteArray("v") << false;
    QTest::newRow("empty method") << QByteArray() << QByteArray("/") << QByteArray("X-A") << QByteArray("v") << false;
    QTest::newRow("method with space") << QByteArray("GET /") << QByteArray("/") << QByteArray("X-A")
                                       << QByteArray("v") << false;
    QTest::newRow("LF in value") << QByteArray("GET") << QByteArray("/") << QByteArray("X-A") << QByteArray("v\nX: y")
                                 << false;
    QTest::newRow("colon in name") << QByteArray("GET") << QByteArray("/") << QByteArray("X:A") << QByteArray("v")
                                   << false;
}

void tst_UpstreamProtocol::validation()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    UpstreamRequest request;
    request.method = method;
    request.target = target;
    request.headers.add(name, value);
    QCOMPARE(UpstreamRequestEncoder::validate(request).isEmpty(), valid);
}

QTEST_GUILESS_MAIN(tst_UpstreamProtocol)
#include "tst_upstreamprotocol.moc"
