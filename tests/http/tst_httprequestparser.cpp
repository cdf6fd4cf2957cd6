// HttpRequestParser on its own: framing cases fed whole, byte by byte and in odd pieces, which must
// all end the same way (a CRLF or a chunk line straddling two reads is the usual place for a slip).

#include "server/http/HttpHostField.h"
#include "server/http/HttpRequestParser.h"

#include <QtTest>

using namespace tollgate::http;

namespace {

struct Outcome
{
    int status = 0; // of the error, 0 when none
    QByteArray code;
    int heads = 0;
    int completes = 0;
    QList<HttpRequest> requests;
    QByteArray body;
};

Outcome run(const QByteArray &input, qsizetype piece, const HttpLimits &limits = {})
{
    Outcome out;
    HttpRequestParser parser(limits, [&out](const char *data, qsizetype size) { out.body.append(data, size); });
    parser.setPeer(QHostAddress::LocalHost, 4242, "127.0.0.1");
    for (qsizetype pos = 0; pos < input.size();) {
        const qsizetype n = qMin(piece, input.size() - pos);
        qsizetype offset = 0;
        while (offset < n) {
            qsizetype used = 0;
            const auto event = parser.feed(input.constData() + pos + offset, n - offset, &used);
            offset += used;
            if (event == HttpRequestParser::Event::Head) {
                ++out.heads;
                out.requests.append(parser.takeRequest());
                parser.setBodyLimit(1 << 20);
            } else if (event == HttpRequestParser::Event::Complete) {
                ++out.completes;
            } else if (event == HttpRequestParser::Event::Error) {
                out.status = parser.failure().status;
                out.code = parser.failure().code;
                return out;
            } else {
                // NeedMore: everything given was consumed.
                if (offset != n)
                    qFatal("NeedMore with %lld of %lld bytes left", qlonglong(n - offset), qlonglong(n));
                break;
            }
        }
        pos += n;
    }
    return out;
}

QByteArray chunked(const QByteArray &chunks, const QByteArray &host = "Host: api.example\r\n")
{
    return "POST /up HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n" + chunks;
}

QByteArray get(const QByteArray &fields, const QByteArray &version = "HTTP/1.1", const QByteArray &target = "/x")
{
    return "GET " + target + " " + version + "\r\n" + fields + "\r\n";
}

QByteArray trailerFields(int count, int valueSize = 1)
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += "T" + QByteArray::number(i) + ": " + QByteArray(valueSize, 'v') + "\r\n";
    return out;
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void decodedBody();
    void requestFields();
    void authority_data();
    void authority();
    void hostValues_data();
    void hostValues();
    void headLimit();
};

void TestHttpRequestParser::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");    // 0: accepted
    QTest::addColumn<int>("completes"); // requests complete before the end (or the error)

    const QByteArray h = "Host: api.example\r\n";

    // Chunk extensions (RFC 9112 §7.1.1).
    QTest::newRow("chunked, no extension") << chunked("5\r\nhello\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("ext name") << chunked("5;name\r\nhello\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("ext name=token") << chunked("5;name=value\r\nhello\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("ext quoted value") << chunked("5;n=\"a \\\"q\\\" ;=\"\r\nhello\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("ext several, BWS") << chunked("5 ; a = b ;c\t;d=\"\"\r\nhello\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("ext on the last chunk") << chunked("5\r\nhello\r\n0;last=yes\r\n\r\n") << 0 << 1;
    QTest::newRow("ext obs-text in quotes") << chunked("5;n=\"caf\xc3\xa9\"\r\nhello\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("hidden request behind a bare LF in an ext")
        << chunked("0;a\n\nGET /hidden HTTP/1.1\r\nHost: api.example\r\n\r\n") << 400 << 0;
    QTest::newRow("hidden request behind ext bare LF, data chunk")
        << chunked("5;a\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext NUL") << chunked(QByteArray("5;a\0b\r\nhello\r\n0\r\n\r\n", 20)) << 400 << 0;
    QTest::newRow("ext control byte") << chunked("5;a\x01\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext bare CR") << chunked("5;a\rb\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext name not a token") << chunked("5;a@b\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext without name") << chunked("5;=v\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext empty") << chunked("5;\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext without value") << chunked("5;a=\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext value with space") << chunked("5;a=b c\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext unterminated quote") << chunked("5;a=\"b\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext LF in quotes") << chunked("5;a=\"b\nc\"\r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("whitespace after size without ext") << chunked("5 \r\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("ext line too long") << chunked("5;a=" + QByteArray(17 * 1024, 'x') + "\r\nhello\r\n0\r\n\r\n") << 400 << 0;

    // Bare CR / LF in chunk framing.
    QTest::newRow("size line bare LF") << chunked("5\nhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("size line CR without LF") << chunked("5\rXhello\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("last size line bare LF") << chunked("5\r\nhello\r\n0\n\r\n") << 400 << 0;
    QTest::newRow("after data bare LF") << chunked("5\r\nhello\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("after data bare CR") << chunked("5\r\nhello\r0\r\n\r\n") << 400 << 0;
    QTest::newRow("after data junk") << chunked("5\r\nhelloXX0\r\n\r\n") << 400 << 0;
    QTest::newRow("bad size") << chunked("zz\r\nhello\r\n0\r\n\r\n") << 400 << 0;

    // Trailers: checked like a head, held to its limits.
    QTest::newRow("trailer") << chunked("5\r\nhello\r\n0\r\nT: x\r\n\r\n") << 0 << 1;
    QTest::newRow("trailer bare LF") << chunked("5\r\nhello\r\n0\r\nT: x\n\r\n") << 400 << 0;
    QTest::newRow("trailer end bare LF") << chunked("5\r\nhello\r\n0\r\nT: x\r\n\n") << 400 << 0;
    QTest::newRow("trailer bare CR") << chunked("5\r\nhello\r\n0\r\nT: x\rU: y\r\n\r\n") << 400 << 0;
    QTest::newRow("trailer CR then junk") << chunked("0\r\nT: x\r\n\rX") << 400 << 0;
    QTest::newRow("trailer folded") << chunked("0\r\nT: x\r\n y\r\n\r\n") << 400 << 0;
    QTest::newRow("100 trailer fields") << chunked("0\r\n" + trailerFields(100) + "\r\n") << 0 << 1;
    QTest::newRow("101 trailer fields") << chunked("0\r\n" + trailerFields(101) + "\r\n") << 431 << 0;
    QTest::newRow("200 trailer fields") << chunked("0\r\n" + trailerFields(200) + "\r\n") << 431 << 0;
    QTest::newRow("15 KiB trailer") << chunked("0\r\nT: " + QByteArray(15 * 1024, 'v') + "\r\n\r\n") << 0 << 1;
    QTest::newRow("20 KB trailer") << chunked("0\r\nT: " + QByteArray(20000, 'v') + "\r\n\r\n") << 431 << 0;
    QTest::newRow("20 KB over many trailer fields") << chunked("0\r\n" + trailerFields(50, 400) + "\r\n") << 431 << 0;
    QTest::newRow("trailer limit is per message")
        << chunked("0\r\nT: " + QByteArray(15 * 1024, 'v') + "\r\n\r\n")
               + chunked("0\r\nT: " + QByteArray(15 * 1024, 'v') + "\r\n\r\n")
        << 0 << 2;

    // Host (RFC 9112 §3.2).
    QTest::newRow("Host") << get(h) << 0 << 1;
    QTest::newRow("1.1 without Host") << get("Accept: */*\r\n") << 400 << 0;
    QTest::newRow("two Host fields") << get(h + h) << 400 << 0;
    QTest::newRow("two Host fields, different") << get(h + "host: other\r\n") << 400 << 0;
    QTest::newRow("Host with a space") << get("Host: a b\r\n") << 400 << 0;
    QTest::newRow("Host with a control byte") << get("Host: a\x01" "b\r\n") << 400 << 0;
    QTest::newRow("empty Host, 1.1") << get("Host:\r\n") << 400 << 0;
    QTest::newRow("Host IPv6 literal and port") << get("Host: [2001:db8::1]:8443\r\n") << 0 << 1;
    QTest::newRow("Host IPv4 and port") << get("Host: 127.0.0.1:8080\r\n") << 0 << 1;
    QTest::newRow("Host with userinfo") << get("Host: user@api.example\r\n") << 400 << 0;
    QTest::newRow("Host unbracketed IPv6") << get("Host: ::1\r\n") << 400 << 0;
    QTest::newRow("1.0 without Host") << get("Accept: */*\r\n", "HTTP/1.0") << 0 << 1;
    QTest::newRow("1.0 empty Host") << get("Host:\r\n", "HTTP/1.0") << 0 << 1;
    QTest::newRow("1.0 with two Host fields") << get(h + h, "HTTP/1.0") << 400 << 0;
    QTest::newRow("1.0 with an invalid Host") << get("Host: a/b\r\n", "HTTP/1.0") << 400 << 0;
    QTest::newRow("absolute-form without Host") << get("", "HTTP/1.1", "http://api.example/x") << 400 << 0;
    QTest::newRow("absolute-form with Host") << get("Host: other\r\n", "HTTP/1.1", "http://api.example/x") << 0 << 1;
    QTest::newRow("absolute-form with an invalid Host") << get("Host: a b\r\n", "HTTP/1.1", "http://api.example/x")
                                                        << 400 << 0;
    QTest::newRow("chunked without Host") << chunked("0\r\n\r\n", "") << 400 << 0;

    // Framing headers, head limits.
    QTest::newRow("CL and TE") << "POST /x HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                               << 400 << 0;
    QTest::newRow("TE and CL") << "POST /x HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
                               << 400 << 0;
    QTest::newRow("two CL") << "POST /x HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" << 400 << 0;
    // http_parser 2.9 itself refuses a repeated Content-Length, even an equal one.
    QTest::newRow("same CL twice") << "POST /x HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" << 400
                                   << 0;
    QTest::newRow("TE gzip, chunked") << "POST /x HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" << 400 << 0;
    QTest::newRow("CL with space before colon") << "POST /x HTTP/1.1\r\n" + h + "Content-Length : 5\r\n\r\nhello" << 400 << 0;
    QTest::newRow("unknown method") << "FOO /x HTTP/1.1\r\n" + h + "\r\n" << 501 << 0;
    QTest::newRow("HTTP/2.0") << "GET /x HTTP/2.0\r\n" + h + "\r\n" << 505 << 0;
    QTest::newRow("101 header fields") << get(h + trailerFields(100)) << 431 << 0;
    QTest::newRow("17 KiB head") << get(h + "X: " + QByteArray(17 * 1024, 'v') + "\r\n") << 431 << 0;
    QTest::newRow("pipelined, length and chunked")
        << "POST /x HTTP/1.1\r\n" + h + "Content-Length: 5\r\n\r\nhello" + chunked("2;x=1\r\nab\r\n0\r\n\r\n") + get(h) << 0 << 3;
    QTest::newRow("valid, then hidden request in an ext")
        << get(h) + chunked("0;a\n\nGET /hidden HTTP/1.1\r\nHost: api.example\r\n\r\n") << 400 << 1;
}

void TestHttpRequestParser::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(int, completes);
    for (const qsizetype piece : {input.size(), qsizetype(1), qsizetype(7), qsizetype(4096)}) {
        const Outcome out = run(input, piece);
        const QByteArray where = "fed in pieces of " + QByteArray::number(piece);
        QVERIFY2(out.status == status, (where + ": status " + QByteArray::number(out.status)).constData());
        QVERIFY2(out.completes == completes, (where + ": complete " + QByteArray::number(out.completes)).constData());
        for (const HttpRequest &request : out.requests)
            QVERIFY2(request.path != "/hidden", where.constData());
    }
}

void TestHttpRequestParser::decodedBody()
{
    const Outcome out = run(chunked("5;a=\"x\"\r\nhello\r\n6 ;b\r\n world\r\n0\r\nT: 1\r\n\r\n"), 3);
    QCOMPARE(out.status, 0);
    QCOMPARE(out.completes, 1);
    QCOMPARE(out.body, QByteArray("hello world"));
    QCOMPARE(out.requests.size(), 1);
    QCOMPARE(out.requests.first().contentLength, qint64(-1));
    // Trailers are not headers.
    QVERIFY(!out.requests.first().headers.contains("T"));
}

void TestHttpRequestParser::requestFields()
{
    const Outcome out = run("PUT /a/b?x=1&y=2#frag HTTP/1.0\r\nHost: api.example:81\r\nContent-Length: 3\r\nX-A: v  \r\n\r\nabc", 5);
    QCOMPARE(out.status, 0);
    QCOMPARE(out.requests.size(), 1);
    const HttpRequest &r = out.requests.first();
    QCOMPARE(r.method, QByteArray("PUT"));
    QCOMPARE(r.target, QByteArray("/a/b?x=1&y=2#frag"));
    QCOMPARE(r.path, QByteArray("/a/b"));
    QCOMPARE(r.query, QByteArray("x=1&y=2"));
    QCOMPARE(r.versionMinor, 0);
    QCOMPARE(r.contentLength, qint64(3));
    QCOMPARE(r.headers.value("x-a"), QByteArray("v"));
    QCOMPARE(r.authority, QByteArray("api.example:81"));
    QCOMPARE(r.peerPort, quint16(4242));
    QCOMPARE(out.body, QByteArray("abc"));
}

void TestHttpRequestParser::authority_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("authority");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("origin-form") << QByteArray("/x") << QByteArray("api.example") << QByteArray("api.example") << QByteArray("/x");
    QTest::newRow("absolute-form wins") << QByteArray("http://target.example:8080/p?q") << QByteArray("other")
                                        << QByteArray("target.example:8080") << QByteArray("/p");
    QTest::newRow("absolute-form IPv6") << QByteArray("http://[::1]:81/") << QByteArray("x") << QByteArray("[::1]:81")
                                        << QByteArray("/");
    QTest::newRow("absolute-form without path") << QByteArray("http://a.example") << QByteArray("a.example")
                                                << QByteArray("a.example") << QByteArray("/");
}

void TestHttpRequestParser::authority()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, authority);
    QFETCH(QByteArray, path);
    const Outcome out = run(get("Host: " + host + "\r\n", "HTTP/1.1", target), 1);
    QCOMPARE(out.status, 0);
    QCOMPARE(out.requests.size(), 1);
    QCOMPARE(out.requests.first().authority, authority);
    QCOMPARE(out.requests.first().path, path);
}

void TestHttpRequestParser::hostValues_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("name") << QByteArray("api.example") << true;
    QTest::newRow("name:port") << QByteArray("api.example:8080") << true;
    QTest::newRow("empty port") << QByteArray("api.example:") << true; // port = *DIGIT
    QTest::newRow("IPv4") << QByteArray("192.0.2.1") << true;
    QTest::newRow("IPv6") << QByteArray("[2001:db8::1]") << true;
    QTest::newRow("IPv6:port") << QByteArray("[::1]:443") << true;
    QTest::newRow("IPv4-mapped IPv6") << QByteArray("[::ffff:192.0.2.1]") << true;
    QTest::newRow("IPvFuture") << QByteArray("[v1.fe80::a+en1]") << true;
    QTest::newRow("pct-encoded") << QByteArray("a%20b") << true;
    QTest::newRow("sub-delims") << QByteArray("a!$&'()*+,;=b") << true;
    QTest::newRow("empty (grammar)") << QByteArray("") << true;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("tab") << QByteArray("a\tb") << false;
    QTest::newRow("slash") << QByteArray("a/b") << false;
    QTest::newRow("userinfo") << QByteArray("u@a") << false;
    QTest::newRow("port not digits") << QByteArray("a:b") << false;
    QTest::newRow("two colons") << QByteArray("a:1:2") << false;
    QTest::newRow("bad pct") << QByteArray("a%2") << false;
    QTest::newRow("unbracketed IPv6") << QByteArray("::1") << false;
    QTest::newRow("unclosed bracket") << QByteArray("[::1") << false;
    QTest::newRow("bad IPv6") << QByteArray("[zz::1]") << false;
    QTest::newRow("zone id") << QByteArray("[fe80::1%25eth0]") << false;
    QTest::newRow("junk after bracket") << QByteArray("[::1]x") << false;
    QTest::newRow("empty brackets") << QByteArray("[]") << false;
    QTest::newRow("non-ASCII") << QByteArray("caf\xc3\xa9.example") << false;
}

void TestHttpRequestParser::hostValues()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QCOMPARE(HttpHostField::isValid(value), valid);
}

void TestHttpRequestParser::headLimit()
{
    // The limits come from HttpLimits, not constants: smaller ones hold for heads and trailers alike.
    HttpLimits limits;
    limits.maxHeaderBytes = 256;
    limits.maxHeaderFields = 3;
    QCOMPARE(run(get("Host: a\r\nA: 1\r\nB: 2\r\n"), 1, limits).status, 0);
    QCOMPARE(run(get("Host: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n"), 1, limits).status, 431);
    QCOMPARE(run(chunked("0\r\n" + trailerFields(3) + "\r\n", "Host: a\r\n"), 1, limits).status, 0);
    QCOMPARE(run(chunked("0\r\n" + trailerFields(4) + "\r\n", "Host: a\r\n"), 1, limits).status, 431);
    QCOMPARE(run(chunked("0\r\nT: " + QByteArray(300, 'v') + "\r\n\r\n", "Host: a\r\n"), 1, limits).status, 431);
    QCOMPARE(run(chunked("0\r\nT: " + QByteArray(300, 'v') + "\r\n\r\n", "Host: a\r\n"), 4096, limits).status, 431);
}

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
