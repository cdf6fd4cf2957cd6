#include "core/util/ByteWriter.h"

#include <QTest>

using tollgate::ByteWriter;

class TestByteWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsAfterExistingContent()
    {
        QByteArray out("HTTP/1.1 ");
        {
            ByteWriter writer(out, 4);
            writer.append("200").append(' ').append(QByteArrayView("OK")).append("\r\n");
            writer.appendHeader("Content-Length", qint64(1234567890123));
            writer.appendHeader("X-Empty", QByteArrayView());
        }
        QCOMPARE(out, QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123\r\nX-Empty: \r\n"));
    }

    void growsPastTheFirstReservation()
    {
        QByteArray out;
        QByteArray expected;
        {
            ByteWriter writer(out, 1);
            for (int i = 0; i < 5000; ++i) {
                writer.appendNumber(i - 2500).append(',');
                expected += QByteArray::number(i - 2500) + ',';
            }
            QCOMPARE(writer.size(), expected.size());
        }
        QCOMPARE(out, expected);
        QCOMPARE(out.constData()[out.size()], '\0');
    }

    void numbers()
    {
        QByteArray out;
        {
            ByteWriter writer(out);
            writer.appendNumber(0).append(' ').appendNumber(-9223372036854775807LL - 1).append(' ');
            writer.appendFixed(12.3456, 2).append(' ').appendFixed(0.004, 2).append(' ').appendFixed(1e6, 1);
        }
        QCOMPARE(out, QByteArray("0 -9223372036854775808 12.35 0.00 1000000.0"));
    }

    void sharedArrayIsNotModified()
    {
        const QByteArray original("shared");
        QByteArray copy = original;
        {
            ByteWriter writer(copy);
            writer.append(" and written");
        }
        QCOMPARE(original, QByteArray("shared"));
        QCOMPARE(copy, QByteArray("shared and written"));
    }
};

QTEST_APPLESS_MAIN(TestByteWriter)
#include "tst_bytewriter.moc"
