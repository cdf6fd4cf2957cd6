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
    }
};

QTEST_GUILESS_MAIN(TestAccessLog)
#include "tst_accesslog.moc"
