// W3C trace context (TraceContext): which traceparent values are a parent, how one is continued (same trace,
// a new span, the sampled flag kept, tracestate along) and how one is started (random, never all zeros).

#include "server/gateway/TraceContext.h"

#include <QSet>
#include <QTest>

using namespace tollgate;
using namespace tollgate::gateway;

namespace {

bool isLowerHex(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

QByteArray view(const std::array<char, TraceContext::TraceparentLength> &value)
{
    return QByteArray(value.data(), value.size());
}

} // namespace

class TestTraceContext : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("traceId");
        QTest::addColumn<QByteArray>("parentId");
        QTest::addColumn<int>("flags");
        const QByteArray trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        const QByteArray parent = "00f067aa0ba902b7";
        const auto row = [&](const char *name, const QByteArray &value, bool valid, int flags = 0) {
            QTest::newRow(name) << value << valid << (valid ? trace : QByteArray()) << (valid ? parent : QByteArray()) << flags;
        };
        row("valid, sampled", "00-" + trace + "-" + parent + "-01", true, 1);
        row("valid, not sampled", "00-" + trace + "-" + parent + "-00", true, 0);
        row("valid, other flags kept as parsed", "00-" + trace + "-" + parent + "-03", true, 3);
        row("surrounding spaces", " 00-" + trace + "-" + parent + "-01\t", true, 1);
        row("future version, extra fields", "cc-" + trace + "-" + parent + "-01-what-the-future-holds", true, 1);
        row("future version, exact length", "01-" + trace + "-" + parent + "-01", true, 1);
        row("future version, junk after flags", "cc-" + trace + "-" + parent + "-01x", false);
        row("version 00 with extra fields", "00-" + trace + "-" + parent + "-01-extra", false);
        row("version ff", "ff-" + trace + "-" + parent + "-01", false);
        row("upper-case version", "0A-" + trace + "-" + parent + "-01", false);
        row("upper-case trace id", "00-" + trace.toUpper() + "-" + parent + "-01", false);
        row("upper-case parent id", "00-" + trace + "-" + parent.toUpper() + "-01", false);
        row("upper-case flags", "00-" + trace + "-" + parent + "-0A", false);
        row("all-zero trace id", "00-" + QByteArray(32, '0') + "-" + parent + "-01", false);
        row("all-zero parent id", "00-" + trace + "-" + QByteArray(16, '0') + "-01", false);
        row("short trace id", "00-" + trace.left(31) + "-" + parent + "-01", false);
        row("long trace id", "00-" + trace + "a-" + parent + "-01", false);
        row("short parent id", "00-" + trace + "-" + parent.left(15) + "-01", false);
        row("one-digit flags", "00-" + trace + "-" + parent + "-1", false);
        row("wrong separator", "00_" + trace + "-" + parent + "-01", false);
        row("not hex", "00-" + trace.left(31) + "g-" + parent + "-01", false);
        row("empty", "", false);
    }
    void parse()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, valid);
        const auto parsed = TraceContext::parse(value);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            return;
        QFETCH(QByteArray, traceId);
        QFETCH(QByteArray, parentId);
        QFETCH(int, flags);
        QCOMPARE(QByteArray(parsed->traceId.data(), parsed->traceId.size()), traceId);
        QCOMPARE(QByteArray(parsed->parentId.data(), parsed->parentId.size()), parentId);
        QCOMPARE(int(parsed->flags), flags);
    }

    void continuesAValidParent_data()
    {
        QTest::addColumn<QByteArray>("flags");
        QTest::addColumn<QByteArray>("sent");
        QTest::newRow("sampled") << QByteArray("01") << QByteArray("01");
        QTest::newRow("not sampled") << QByteArray("00") << QByteArray("00");
        QTest::newRow("undefined flags dropped") << QByteArray("ff") << QByteArray("01");
    }
    void continuesAValidParent()
    {
        QFETCH(QByteArray, flags);
        QFETCH(QByteArray, sent);
        http::HttpHeaders client;
        client.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-" + flags);
        client.add("tracestate", "congo=t61rcWkgMzE");
        client.add("TraceState", "rojo=00f067aa0ba902b7");
        const TraceContext trace = TraceContext::forRequest(client);
        QVERIFY(trace.isContinued());
        QCOMPARE(trace.traceId(), QByteArrayView("4bf92f3577b34da6a3ce929d0e0e4736"));
        QVERIFY(trace.spanId() != QByteArrayView("00f067aa0ba902b7"));  // ours, a child of the client's span
        QVERIFY(isLowerHex(trace.spanId()));
        QCOMPARE(trace.tracestate(), QByteArray("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
        const QByteArray header = view(trace.traceparent());
        QCOMPARE(header, "00-4bf92f3577b34da6a3ce929d0e0e4736-" + trace.spanId().toByteArray() + "-" + sent);
        QVERIFY(TraceContext::parse(header).has_value());
    }

    void startsOneOtherwise_data()
    {
        QTest::addColumn<QList<QByteArray>>("traceparents");
        QTest::newRow("none") << QList<QByteArray>{};
        QTest::newRow("invalid") << QList<QByteArray>{"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"};
        QTest::newRow("two") << QList<QByteArray>{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                                                  "00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01"};
    }
    void startsOneOtherwise()
    {
        QFETCH(QList<QByteArray>, traceparents);
        http::HttpHeaders client;
        for (const QByteArray &value : traceparents)
            client.add("traceparent", value);
        client.add("tracestate", "congo=t61rcWkgMzE");  // belongs to a trace we do not continue
        const TraceContext trace = TraceContext::forRequest(client);
        QVERIFY(!trace.isContinued());
        QVERIFY(trace.traceId() != QByteArrayView("4bf92f3577b34da6a3ce929d0e0e4736"));
        QVERIFY(trace.tracestate().isEmpty());
        QCOMPARE(trace.flags(), quint8(0));
        const QByteArray header = view(trace.traceparent());
        QVERIFY2(header.endsWith("-00"), header.constData());
        const auto parsed = TraceContext::parse(header);
        QVERIFY2(parsed.has_value(), header.constData());  // well formed, neither id all zeros
        QCOMPARE(QByteArray(parsed->traceId.data(), parsed->traceId.size()), trace.traceId().toByteArray());
    }

    // Random ids are distinct (a broken generator repeats) and lower-case hex of the right length.
    void startedIdsAreDistinct()
    {
        QSet<QByteArray> traces;
        QSet<QByteArray> spans;
        for (int i = 0; i < 10000; ++i) {
            const TraceContext trace = TraceContext::started();
            QCOMPARE(trace.traceId().size(), TraceContext::TraceIdLength);
            QCOMPARE(trace.spanId().size(), TraceContext::SpanIdLength);
            QVERIFY(isLowerHex(trace.traceId()) && isLowerHex(trace.spanId()));
            traces.insert(trace.traceId().toByteArray());
            spans.insert(trace.spanId().toByteArray());
        }
        QCOMPARE(traces.size(), 10000);
        QCOMPARE(spans.size(), 10000);
    }
};

QTEST_APPLESS_MAIN(TestTraceContext)
#include "tst_tracecontext.moc"
