// A request is judged on its head: every refusal that does not need the body is answered before one body
// byte is read, so a client without valid credentials never makes the gateway hold its body (issue 8 §2).
// Each case announces a large body and sends none of it: an answer proves the decision did not wait.
#include "GatewayFixture.h"

#include <QTcpSocket>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

// Far above the 64 KiB a refused request may still have read and dropped to keep its connection.
constexpr int AnnouncedBody = 900000;

struct HeadOnly
{
    HttpTestResponse response;
    bool closed = false;  // the gateway closed the connection after answering
};

// Sends only the head, announcing AnnouncedBody bytes, and waits for an answer.
HeadOnly sendHeadOnly(quint16 port, const QByteArray &method, const QByteArray &target, const QByteArray &headers,
                      int timeoutMs = 3000)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(2000))
        return {};
    socket.write(method + ' ' + target + " HTTP/1.1\r\nHost: gateway\r\n" + headers
                 + "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(AnnouncedBody) + "\r\n\r\n");
    QByteArray raw;
    HeadOnly result;
    QTest::qWaitFor([&] {
        raw += socket.readAll();
        const qsizetype headEnd = raw.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return false;
        const HttpTestResponse head = HttpTestClient::parse(raw.left(headEnd + 4));
        return raw.size() >= headEnd + 4 + head.header("Content-Length").toLongLong();
    }, timeoutMs);
    result.response = HttpTestClient::parse(raw);
    QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 3000);
    result.closed = socket.state() == QAbstractSocket::UnconnectedState;
    return result;
}

} // namespace

class TestHeadJudgement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedBeforeTheBody_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("keyKind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        for (const QString &backend : {QStringLiteral("sqlite"), QStringLiteral("postgresql")}) {
            const auto row = [&](const char *name, const char *method, const char *target, const char *kind, int status, const char *code) {
                QTest::newRow(qPrintable(backend + QLatin1Char(':') + QLatin1String(name)))
                    << backend << QByteArray(method) << QByteArray(target) << QString::fromLatin1(kind) << status << QByteArray(code);
            };
            row("missing key", "POST", "/v1/search", "none", 401, "MISSING_API_KEY");
            row("unknown key", "POST", "/v1/search", "unknown", 401, "INVALID_API_KEY");
            row("revoked key", "POST", "/v1/search", "revoked", 401, "API_KEY_REVOKED");
            row("expired key", "POST", "/v1/search", "expired", 401, "API_KEY_EXPIRED");
            row("endpoint not in tier", "POST", "/v1/tts/synthesize", "free", 403, "ENDPOINT_NOT_ALLOWED");
            row("ip not allowed", "POST", "/v1/search", "elsewhere", 403, "IP_NOT_ALLOWED");
            row("rate limited", "POST", "/v1/search", "exhaustedRate", 429, "RATE_LIMITED");
            row("fixed cost above balance", "POST", "/v1/search", "broke", 402, "INSUFFICIENT_CREDITS");
            row("least cost above balance", "POST", "/v1/extract/bulk", "broke", 402, "INSUFFICIENT_CREDITS");
            row("no route", "POST", "/v1/nowhere", "pro", 404, "NOT_FOUND");
            row("management without token", "POST", "/api-keys", "none", 401, "UNAUTHORIZED");
            row("management with a bad token", "POST", "/api-keys", "badToken", 401, "UNAUTHORIZED");
            row("admin with a bad token", "PUT", "/admin/tiers", "badToken", 401, "UNAUTHORIZED");
        }
    }
    void refusedBeforeTheBody()
    {
        QFETCH(QString, backend);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QString, keyKind);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        GatewayFixture f(backend);
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        // Tiers that refuse on the head: one call a minute, or no credits at all.
        f.setTier({QStringLiteral("onecall"), QStringLiteral("One call"), 1, 60, 1000, {QStringLiteral("search")}, 0});
        f.setTier({QStringLiteral("broke"), QStringLiteral("Broke"), 100, 60, 0,
                   {QStringLiteral("search"), QStringLiteral("extract")}, 0});

        QByteArray headers;
        if (keyKind == QLatin1String("unknown")) {
            headers = "X-API-Key: sk_live_00000000000000000000000000000000000000000000\r\n";
        } else if (keyKind == QLatin1String("badToken")) {
            headers = "Authorization: Bearer tga_notatokenofours\r\n";
        } else if (keyKind != QLatin1String("none")) {
            QString key;
            if (keyKind == QLatin1String("revoked")) {
                key = f.createKey(QStringLiteral("pro"));
                await(f.core->keyService().revokeKey(f.keyIdOf(key), QStringLiteral("test")));
            } else if (keyKind == QLatin1String("expired")) {
                key = f.createKey(QStringLiteral("pro"), {}, {}, QDateTime::currentDateTimeUtc().addSecs(1));
                QTest::qWait(1100);
            } else if (keyKind == QLatin1String("elsewhere")) {
                key = f.createKey(QStringLiteral("pro"), {QStringLiteral("10.0.0.0/8")});
            } else if (keyKind == QLatin1String("exhaustedRate")) {
                key = f.createKey(QStringLiteral("onecall"));
                QCOMPARE(f.call("POST", "/v1/search", key, "{}").status, 200);
            } else {
                key = f.createKey(keyKind);
            }
            headers = "X-API-Key: " + key.toLatin1() + "\r\n";
        }
        const HeadOnly answer = sendHeadOnly(f.gateway->port(), method, target, headers);
        QCOMPARE(answer.response.status, status);
        QCOMPARE(answer.response.errorCode(), code);
        // Nothing of the body was read, so nothing of it can be told from a next request: the connection ends.
        QVERIFY(answer.closed);
        QCOMPARE(f.upstream.requests().size(), keyKind == QLatin1String("exhaustedRate") ? 1 : 0);
    }

    // The other side of the rule: an admitted call does read its body, and only then goes upstream.
    void admittedCallWaitsForItsBody_data() { TestDatabase::addBackendRows(); }
    void admittedCallWaitsForItsBody()
    {
        QFETCH(QString, backend);
        GatewayFixture f(backend);
        TOLLGATE_REQUIRE_DATABASE(f.db);
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), f.gateway->port());
        QVERIFY(socket.waitForConnected(2000));
        const QByteArray body = R"({"query":"tollgate"})";
        socket.write("POST /v1/search HTTP/1.1\r\nHost: gateway\r\nX-API-Key: " + key.toLatin1()
                     + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
        QTest::qWait(500);
        QVERIFY(socket.readAll().isEmpty());
        QCOMPARE(f.upstream.requests().size(), 0);
        socket.write(body);
        QByteArray raw;
        QVERIFY(QTest::qWaitFor([&] { raw += socket.readAll(); return raw.contains("\r\n\r\n"); }, 5000));
        QCOMPARE(HttpTestClient::parse(raw).status, 200);
        QCOMPARE(f.upstream.requests().size(), 1);
        QCOMPARE(f.upstream.requests().first().bodySize, qint64(body.size()));
    }

    // Expect: 100-continue is answered only once the head has been judged worth a body.
    void continueOnlyForAdmittedHeads()
    {
        GatewayFixture f(QStringLiteral("sqlite"));
        QVERIFY(f.start());
        const QString key = f.createKey(QStringLiteral("pro"));
        const auto firstAnswer = [&](const QByteArray &keyHeader) {
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), f.gateway->port());
            socket.waitForConnected(2000);
            socket.write("POST /v1/search HTTP/1.1\r\nHost: gateway\r\n" + keyHeader
                         + "Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");
            QByteArray raw;
            QTest::qWaitFor([&] { raw += socket.readAll(); return raw.contains("\r\n\r\n"); }, 3000);
            return raw.left(raw.indexOf("\r\n"));
        };
        QCOMPARE(firstAnswer("X-API-Key: " + key.toLatin1() + "\r\n"), QByteArray("HTTP/1.1 100 Continue"));
        QCOMPARE(firstAnswer("X-API-Key: sk_live_nope\r\n"), QByteArray("HTTP/1.1 401 Unauthorized"));
    }
};

QTEST_GUILESS_MAIN(TestHeadJudgement)
#include "tst_headjudgement.moc"
