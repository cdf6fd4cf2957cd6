// The Health view over a real tollgated: an upstream that answers is Up, one on a closed port is Down (a dot and
// a word), then the database and Redis; the model stays consistent (QAbstractItemModelTester) through the 2-s
// refreshes; older and newer shapes of /admin/status (instances as URLs or as objects with their own state,
// check time and breaker) both read right.
#include "ConsoleFixture.h"
#include "gui/health/HealthModel.h"
#include "gui/health/HealthView.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;
using gui::HealthModel;

namespace {

// A loopback port nothing listens on.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

int rowOf(const HealthModel &model, const QString &service)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, HealthModel::Service).data().toString() == service)
            return row;
    }
    return -1;
}

QString cell(const HealthModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class TestHealthView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsUpAndDownUpstreams()
    {
        ConsoleFixture f;
        const QString deadTts = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        const QString stt = QString::fromLatin1(f.upstream.url());
        QVERIFY(f.start({QStringLiteral("TTS_SERVICE_URL=") + deadTts, QStringLiteral("STT_SERVICE_URL=") + stt}));
        f.status->start();
        gui::HealthView view(f.context);
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        view.setActive(true);
        view.resize(1000, 500);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.hasLoaded(), 10000);
        const HealthModel &model = *view.model();

        // The gateway probes at start; until the probe answered an upstream may still read as down.
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, rowOf(model, QStringLiteral("search")), HealthModel::Status), QStringLiteral("Up"), 15000);
        const int search = rowOf(model, QStringLiteral("search"));
        QVERIFY(cell(model, search, HealthModel::Url).contains(QString::number(f.upstream.port())));
        QVERIFY2(cell(model, search, HealthModel::Latency).endsWith(QStringLiteral(" ms")), qPrintable(cell(model, search, HealthModel::Latency)));
        QVERIFY(!model.index(search, HealthModel::Status).data(Qt::DecorationRole).value<QIcon>().isNull());
        QTRY_COMPARE(cell(model, rowOf(model, QStringLiteral("stt")), HealthModel::Status), QStringLiteral("Up"));

        const int tts = rowOf(model, QStringLiteral("tts"));
        QVERIFY(tts >= 0);
        QCOMPARE(cell(model, tts, HealthModel::Status), QStringLiteral("Down"));
        QCOMPARE(cell(model, tts, HealthModel::Url), deadTts);
        QCOMPARE(cell(model, tts, HealthModel::Latency), QString());
        QVERIFY(!model.index(tts, HealthModel::Status).data(Qt::DecorationRole).value<QIcon>().isNull());

        // Then the database and Redis, last.
        const int database = rowOf(model, QStringLiteral("Database"));
        const int redis = rowOf(model, QStringLiteral("Redis"));
        QCOMPARE(database, model.rowCount() - 2);
        QCOMPARE(redis, model.rowCount() - 1);
        QTRY_COMPARE(cell(model, database, HealthModel::Status), QStringLiteral("Up"));
        QVERIFY2(cell(model, database, HealthModel::Url).contains(f.db.sqlitePath()), qPrintable(cell(model, database, HealthModel::Url)));
        // Local rate limits: Redis is disabled (a gateway that does not report it yet: Unknown, with a tooltip).
        const QString redisWord = cell(model, redis, HealthModel::Status);
        QVERIFY2(redisWord == QLatin1String("Disabled") || redisWord == QLatin1String("Unknown"), qPrintable(redisWord));

        // The summary names the instance and counts the down one.
        auto *summary = view.findChild<QLabel *>(QStringLiteral("healthSummary"));
        QTRY_VERIFY2(summary->text().contains(QStringLiteral("upstream instances down: 1 of 3")), qPrintable(summary->text()));

        // Further polls keep the rows (and the selection) in place.
        auto *table = view.findChild<QTableView *>(QStringLiteral("healthTable"));
        table->selectRow(tts);
        QSignalSpy resets(view.model(), &QAbstractItemModel::modelReset);
        QSignalSpy changes(view.model(), &QAbstractItemModel::dataChanged);
        QTRY_VERIFY_WITH_TIMEOUT(changes.count() >= 1, 5000);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(table->selectionModel()->selectedRows().value(0).row(), tts);

        // Unreachable: greyed, the last data kept.
        view.setStale(true);
        QVERIFY(!view.isEnabled());
        QCOMPARE(cell(model, tts, HealthModel::Status), QStringLiteral("Down"));
        view.setStale(false);
        QVERIFY(view.isEnabled());

        QEvent languageChange(QEvent::LanguageChange);
        QApplication::sendEvent(&view, &languageChange);
        QCOMPARE(cell(model, tts, HealthModel::Status), QStringLiteral("Down"));
        QVERIFY(!QApplication::activeModalWidget());
    }

    // A gateway that reports each instance with its own state, check time and breaker.
    void readsInstanceObjects()
    {
        HealthModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-12-01T10:00:30Z"), Qt::ISODate);
        model.setClock([now] { return now; });
        model.setStatus(json("{\"upstreams\": {"
            "            \"search\": {\"status\": \"up\", \"latencyMs\": 4, \"checkedAt\": \"2026-12-01T10:00:25Z\", \"instances\": ["
            "                {\"url\": \"http://a:3021\", \"status\": \"up\", \"latencyMs\": 4, \"checkedAt\": \"2026-12-01T10:00:25Z\", \"breaker\": \"closed\"},"
            "                {\"url\": \"http://b:3021\", \"status\": \"down\", \"latencyMs\": null, \"checkedAt\": \"2026-12-01T09:58:00Z\", \"breaker\": \"open\"}]}},"
            "            \"database\": {\"status\": \"up\", \"url\": \"postgresql://tollgate@db/tollgate\"},"
            "            \"redis\": {\"status\": \"down\"}}"));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(cell(model, 0, HealthModel::Status), QStringLiteral("Up"));
        QCOMPARE(cell(model, 0, HealthModel::Latency), QStringLiteral("4 ms"));
        QCOMPARE(cell(model, 0, HealthModel::LastCheck), QStringLiteral("5 s ago"));
        QCOMPARE(cell(model, 0, HealthModel::Breaker), QStringLiteral("Closed"));
        QCOMPARE(cell(model, 1, HealthModel::Status), QStringLiteral("Down (breaker open)"));
        QCOMPARE(cell(model, 1, HealthModel::Url), QStringLiteral("http://b:3021"));
        QCOMPARE(cell(model, 1, HealthModel::LastCheck), QStringLiteral("2 min ago"));
        QCOMPARE(cell(model, 1, HealthModel::Breaker), QStringLiteral("Open"));
        // The full time, in local time and the locale's long form, in the tooltip.
        const QString tooltip = model.index(1, HealthModel::LastCheck).data(Qt::ToolTipRole).toString();
        QCOMPARE(tooltip, QLocale().toString(QDateTime::fromString(QStringLiteral("2026-12-01T09:58:00Z"), Qt::ISODate).toLocalTime(),
                                             QLocale::LongFormat));
        QVERIFY(model.hasBreakerInfo());
        QCOMPARE(cell(model, 2, HealthModel::Service), QStringLiteral("Database"));
        QCOMPARE(cell(model, 2, HealthModel::Url), QStringLiteral("postgresql://tollgate@db/tollgate"));
        QCOMPARE(cell(model, 3, HealthModel::Service), QStringLiteral("Redis"));
        QCOMPARE(cell(model, 3, HealthModel::Status), QStringLiteral("Down"));

        // Redis disabled reads as a word too, not as a missing row.
        model.setStatus(json("{\"upstreams\": {}, \"database\": {\"status\": \"up\"}, \"redis\": {\"status\": \"disabled\"}}"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 1, HealthModel::Status), QStringLiteral("Disabled"));
    }

    // The reworked status: a `state` per instance (up, down, open, half-open, unknown = not probed yet), fields this
    // console does not know, and an older gateway's "down" for an instance never checked.
    void readsStatePerInstance()
    {
        HealthModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setStatus(json("{\"upstreams\": {\"search\": {\"status\": \"up\", \"strategy\": \"round-robin\", \"instances\": ["
            "    {\"url\": \"http://a:1\", \"state\": \"up\", \"status\": \"up\", \"latencyMs\": 3, \"checkedAt\": \"2026-12-01T10:00:25Z\", \"failures\": 0, \"weight\": {\"x\": 1}},"
            "    {\"url\": \"http://b:1\", \"state\": \"open\", \"status\": \"down\", \"checkedAt\": \"2026-12-01T10:00:25Z\", \"openedAt\": \"2026-12-01T10:00:00Z\"},"
            "    {\"url\": \"http://c:1\", \"state\": \"half-open\", \"checkedAt\": \"2026-12-01T10:00:25Z\"},"
            "    {\"url\": \"http://d:1\", \"state\": \"unknown\", \"checkedAt\": null},"
            "    {\"url\": \"http://e:1\", \"status\": \"down\", \"checkedAt\": null},"
            "    {\"url\": \"http://f:1\", \"state\": \"down\", \"checkedAt\": \"2026-12-01T10:00:25Z\"}]}},"
            "  \"database\": {\"status\": \"up\", \"pool\": 4}, \"redis\": {\"status\": \"disabled\"}, \"counters\": {\"requests\": 1}}"));
        QCOMPARE(model.rowCount(), 8);
        const QList<HealthModel::Row> &rows = model.rows();
        QCOMPARE(cell(model, 0, HealthModel::Status), QStringLiteral("Up"));
        QCOMPARE(rows[0].state, gui::Light::Up);
        QCOMPARE(cell(model, 1, HealthModel::Status), QStringLiteral("Down (breaker open)"));
        QCOMPARE(cell(model, 1, HealthModel::Breaker), QStringLiteral("Open"));
        QCOMPARE(rows[1].state, gui::Light::Down);
        QCOMPARE(cell(model, 2, HealthModel::Status), QStringLiteral("Probing (breaker half-open)"));
        QCOMPARE(cell(model, 2, HealthModel::Breaker), QStringLiteral("Half-open"));
        QCOMPARE(rows[2].state, gui::Light::Degraded);
        QVERIFY(!model.index(2, HealthModel::Breaker).data(Qt::ToolTipRole).toString().isEmpty());
        // Not probed yet: grey and said so, never "Down" — in the new shape and in the older one.
        for (int row : {3, 4}) {
            QCOMPARE(cell(model, row, HealthModel::Status), QStringLiteral("Not checked yet"));
            QCOMPARE(rows[row].state, gui::Light::NotChecked);
            QVERIFY(!model.index(row, HealthModel::Status).data(Qt::ToolTipRole).toString().isEmpty());
        }
        QCOMPARE(gui::lightColor(gui::Light::NotChecked), gui::lightColor(gui::Light::Disabled));  // grey
        QVERIFY(gui::lightColor(gui::Light::NotChecked) != gui::lightColor(gui::Light::Down));
        QCOMPARE(cell(model, 5, HealthModel::Status), QStringLiteral("Down"));
        QCOMPARE(cell(model, 5, HealthModel::Breaker), QString());
        QVERIFY(model.hasBreakerInfo());
        QCOMPARE(cell(model, 6, HealthModel::Service), QStringLiteral("Database"));
        QCOMPARE(cell(model, 6, HealthModel::Status), QStringLiteral("Up"));
        QCOMPARE(cell(model, 7, HealthModel::Status), QStringLiteral("Disabled"));
    }

    // Today's shape: instances are bare URLs and the state is the upstream's.
    void readsUrlLists()
    {
        HealthModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setStatus(json("{\"upstreams\": {"
            "            \"search\": {\"status\": \"up\", \"latencyMs\": 7, \"instances\": [\"http://a:3021\"]},"
            "            \"tts\": {\"status\": \"up\", \"latencyMs\": 3, \"instances\": [\"http://a:3022\", \"http://b:3022\"]}},"
            "            \"database\": {\"status\": \"down\", \"url\": \"sqlite:/x.db\"}}"));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(cell(model, 0, HealthModel::Status), QStringLiteral("Up"));
        QCOMPARE(cell(model, 0, HealthModel::Latency), QStringLiteral("7 ms"));
        // Two instances, one state for both: the instance's own is not known.
        QCOMPARE(cell(model, 1, HealthModel::Status), QStringLiteral("Unknown"));
        QCOMPARE(cell(model, 2, HealthModel::Url), QStringLiteral("http://b:3022"));
        QVERIFY(!model.index(1, HealthModel::Status).data(Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(cell(model, 3, HealthModel::Status), QStringLiteral("Down"));
        QCOMPARE(cell(model, 4, HealthModel::Status), QStringLiteral("Unknown"));  // Redis not reported
        QVERIFY(!model.hasBreakerInfo());
    }
};

QTEST_MAIN(TestHealthView)
#include "tst_healthview.moc"
