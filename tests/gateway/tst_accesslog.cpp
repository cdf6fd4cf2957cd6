// The access log line: valid JSON (or key=value text), a UTC timestamp, the key id but never a key.
#include "server/ops/AccessLog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <cstdio>

using namespace tollgate::ops;

class TestAccessLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLine()
    {
        FILE *file = std::tmpfile();
        QVERIFY(file);
        {
            AccessLog log(true, file);
            log.write({"req_\"quoted\"\n", "key_abc", "POST", "/v1/search", 200, 1.5, 1, 9, 120, "127.0.0.1", {}});
        }
        std::rewind(file);
        char buffer[4096] = {};
        const size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
        std::fclose(file);
        const QByteArray line = QByteArray(buffer, qsizetype(n));
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        QJsonParseError error;
        const QJsonObject entry = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                     .match(entry.value(QStringLiteral("ts")).toString()).hasMatch(),
                 qPrintable(entry.value(QStringLiteral("ts")).toString()));
        QCOMPARE(entry.value(QStringLiteral("request_id")).toString(), QStringLiteral("req_\"quoted\"\n"));
        QCOMPARE(entry.value(QStringLiteral("key_id")).toString(), QStringLiteral("key_abc"));
        QCOMPARE(entry.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(entry.value(QStringLiteral("credits")).toInt(), 1);
        QCOMPARE(entry.value(QStringLiteral("bytes_out")).toInt(), 120);
        QVERIFY(!entry.contains(QStringLiteral("error")));
        QVERIFY(!entry.contains(QStringLiteral("trace_id")));  // none given: none written
    }

    // The W3C trace the call belongs to and the gateway's span in it, in both formats.
    void traceIds_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("json") << true;
        QTest::newRow("text") << false;
    }
    void traceIds()
    {
        QFETCH(bool, json);
        FILE *file = std::tmpfile();
        QVERIFY(file);
        {
            AccessLog log(json, file);
            log.write({"req_1", {}, "POST", "/v1/search", 401, 0.5, 0, 2, 90, "127.0.0.1", "INVALID_API_KEY",
                       "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"});
        }
        std::rewind(file);
        char buffer[4096] = {};
        const size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
        std::fclose(file);
        const QByteArray line = QByteArray(buffer, qsizetype(n));
        if (json) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            QCOMPARE(entry.value(QStringLiteral("trace_id")).toString(), QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));
            QCOMPARE(entry.value(QStringLiteral("span_id")).toString(), QStringLiteral("00f067aa0ba902b7"));
            QCOMPARE(entry.value(QStringLiteral("error")).toString(), QStringLiteral("INVALID_API_KEY"));
        } else {
            QVERIFY2(line.contains(" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7\n"), line.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestAccessLog)
#include "tst_accesslog.moc"
