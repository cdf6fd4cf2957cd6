// The Overview over a real tollgated: it names the gateway and its database, its tiles and top keys reflect
// the calls made with keys today, the upstreams show a dot and a word; the live chart derives rates from
// counter deltas, updates in place and never holds more than the poller's 5 minutes of points.
#include "ConsoleFixture.h"
#include "gui/overview/LiveRateChart.h"
#include "gui/overview/OverviewView.h"
#include "gui/overview/StatTile.h"
#include "gui/overview/TopKeysModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QTableView>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

QString tileValue(const gui::OverviewView &view, const char *name)
{
    return view.findChild<gui::StatTile *>(QLatin1String(name))->value();
}

gui::StatusPoller::Sample sample(qint64 atMs, double requests, double errors)
{
    gui::StatusPoller::Sample s;
    s.atMs = atMs;
    s.requests = requests;
    s.errors = errors;
    return s;
}

} // namespace

class TestOverviewView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void topKeysModelPassesTheTester()
    {
        gui::TopKeysModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setKeys(QJsonArray{QJsonObject{{"keyId", "k1"}, {"name", "Search bot"}, {"userId", "alice"}, {"tier", "pro"},
                                             {"requests", 1234}, {"credits", 1200}},
                                 QJsonObject{{"keyId", "k2"}, {"name", "TTS"}, {"userId", "bob"}, {"tier", "free"},
                                             {"requests", 5}, {"credits", 5}}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0, gui::TopKeysModel::Requests)).toString(), QStringLiteral("1,234"));
        QCOMPARE(model.data(model.index(0, gui::TopKeysModel::Requests), gui::TopKeysModel::RawValueRole).toLongLong(), 1234);
        model.retranslate();
        model.setKeys({});
        QCOMPARE(model.rowCount(), 0);
    }

    void durationsReadInTheLanguage()
    {
        QCOMPARE(gui::OverviewView::durationText(42), QStringLiteral("42 s"));
        QCOMPARE(gui::OverviewView::durationText(3 * 3600 + 13 * 60 + 5), QStringLiteral("3 h 13 min"));
        QCOMPARE(gui::OverviewView::durationText(1200 * 86400 + 4 * 3600), QStringLiteral("1,200 d 4 h"));
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(gui::OverviewView::durationText(1200 * 86400 + 4 * 3600), QStringLiteral("1.200 d 4 h"));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    // Rates from counter deltas; new samples appended, the old ones trimmed, the series never replaced.
    void liveChartStaysBoundedAndInPlace()
    {
        gui::LiveRateChart chart;
        QLineSeries *requests = chart.requestsSeries();
        std::deque<gui::StatusPoller::Sample> history;
        const qint64 start = 1'800'000'000'000;
        const int window = int(gui::StatusPoller::HistoryMs / gui::StatusPoller::IntervalMs);  // 150 intervals
        for (int i = 0; i < 1000; ++i) {
            // 5 requests/s and 1 error/s, as a poller every 2 s keeping 5 minutes would see them.
            history.push_back(sample(start + i * 2000, i * 10.0, i * 2.0));
            while (history.front().atMs < history.back().atMs - gui::StatusPoller::HistoryMs)
                history.pop_front();
            chart.updateFrom(history);
            QCOMPARE(chart.pointCount(), int(history.size()) - 1);
            QVERIFY(chart.pointCount() <= window);
        }
        QCOMPARE(chart.requestsSeries(), requests);
        QCOMPARE(chart.chart()->series().size(), 2);
        QCOMPARE(chart.pointCount(), window);
        QCOMPARE(requests->at(0).y(), 5.0);
        QCOMPARE(chart.errorsSeries()->at(chart.pointCount() - 1).y(), 1.0);
        QCOMPARE(qint64(requests->at(chart.pointCount() - 1).x()), history.back().atMs);

        // A restarted gateway: its counters start again, the poller clears its history, the chart follows.
        history = {sample(start + 3'000'000, 0, 0), sample(start + 3'002'000, 4, 0)};
        chart.updateFrom(history);
        QCOMPARE(chart.pointCount(), 1);
        QCOMPARE(requests->at(0).y(), 2.0);
    }

    void namesTheGatewayAndItsUpstreams()
    {
        ConsoleFixture f;
        QVERIFY(f.start({QStringLiteral("USAGE_FLUSH_INTERVAL_MS=200")}));
        gui::OverviewView view(f.context);
        view.resize(1100, 760);
        view.show();
        view.setActive(true);
        f.status->start();
        QTRY_VERIFY_WITH_TIMEOUT(f.status->hasStatus(), 10000);
        const QString where = QStringLiteral("127.0.0.1:%1").arg(f.daemon.port);
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("overviewGateway"))->text().contains(where));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("overviewDatabase"))->text().contains(f.db.sqlitePath()));
        QVERIFY(!view.findChild<QLabel *>(QStringLiteral("overviewVersion"))->text().isEmpty());
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("overviewUptime"))->text().endsWith(QLatin1String(" s")));
        // The fake upstream serves search; a dot and a word, whatever the probe found so far.
        auto *search = view.findChild<QLabel *>(QStringLiteral("upstream_search_1"));
        QVERIFY(search);
        QVERIFY2(search->text().contains(QStringLiteral("●")), qPrintable(search->text()));
        QVERIFY(search->text().contains(QStringLiteral("Up")) || search->text().contains(QStringLiteral("Down")));

        // The live chart follows the poller's history and stays bounded by it.
        QTRY_VERIFY_WITH_TIMEOUT(f.status->history().size() >= 3, 10000);
        QCOMPARE(view.liveChart()->pointCount(), int(f.status->history().size()) - 1);
    }

    void tilesAndTopKeysReflectTheCalls()
    {
        ConsoleFixture f;
        QVERIFY(f.start({QStringLiteral("USAGE_FLUSH_INTERVAL_MS=200")}));
        const QJsonObject a = f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"));
        const QJsonObject b = f.createKey(QStringLiteral("bob"), QStringLiteral("Other bot"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(f.callWithKey(a[QLatin1String("key")].toString()), 200);
        QCOMPARE(f.callWithKey(b[QLatin1String("key")].toString()), 200);

        gui::OverviewView view(f.context);
        QAbstractItemModelTester tester(view.topKeys(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        view.resize(1100, 760);
        view.show();
        view.setActive(true);
        f.status->start();
        const bool arrived = QTest::qWaitFor(
            [&] {
                if (view.topKeys()->rowCount() == 2 && tileValue(view, "tileCreditsToday") == QLatin1String("5"))
                    return true;
                view.refresh();
                return false;
            },
            20000);
        QVERIFY2(arrived, qPrintable(QStringLiteral("top keys %1, credits %2, note: %3")
                                         .arg(view.topKeys()->rowCount())
                                         .arg(tileValue(view, "tileCreditsToday"),
                                              view.findChild<QLabel *>(QStringLiteral("overviewTopKeysNote"))->text())));
        QTRY_VERIFY_WITH_TIMEOUT(view.hasLoaded(), 5000);  // the first rate needs a second status sample
        QCOMPARE(tileValue(view, "tileKeysActiveToday"), QStringLiteral("2"));
        // One gateway with the exact local limiter: every call decided, none admitted beyond a limit.
        QCOMPARE(tileValue(view, "tileOverAdmitted"), QStringLiteral("0"));
        const auto &keys = view.topKeys()->keys();
        auto top = std::find_if(keys.begin(), keys.end(), [](const auto &key) { return key.name == QLatin1String("Search bot"); });
        QVERIFY(top != keys.end());
        QCOMPARE(top->userId, QStringLiteral("alice"));
        QCOMPARE(top->tier, QStringLiteral("pro"));
        QCOMPARE(top->requests, 4);
        QCOMPARE(top->credits, 4);
        auto *table = view.findChild<QTableView *>(QStringLiteral("overviewTopKeys"));
        QVERIFY(table->isVisible());
        QCOMPARE(table->model()->index(0, gui::TopKeysModel::Name).data().toString(), QStringLiteral("Search bot"));

        // Live tiles: calls made now show up in requests/s within a few polls (counters in /admin/status).
        for (int i = 0; i < 10; ++i)
            f.callWithKey(a[QLatin1String("key")].toString());
        QTRY_VERIFY_WITH_TIMEOUT(f.status->requestsPerSecond() > 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(tileValue(view, "tileRequestsPerSecond") != QLatin1String("0.0")
                                     && tileValue(view, "tileRequestsPerSecond") != QLatin1String("—"),
                                 5000);
        QVERIFY(tileValue(view, "tileErrors").endsWith(QLatin1Char('%')));
    }
};

QTEST_MAIN(TestOverviewView)
#include "tst_overviewview.moc"
