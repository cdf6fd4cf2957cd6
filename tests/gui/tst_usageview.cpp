// The Usage view over a real tollgated: the calls made with keys show up per UTC day, by outcome (a 402 and a
// 429 in theirs) and by endpoint; 7/30/90 days are that many rows, days without usage rows of zeros; one key can
// be chosen by searching; the CSV export writes exactly what is shown (ISO dates with Z, a dot even in German);
// the model passes QAbstractItemModelTester in Fatal mode throughout.
#include "ConsoleFixture.h"
#include "HttpTestClient.h"
#include "gui/usage/KeyPicker.h"
#include "gui/usage/UsageCharts.h"
#include "gui/usage/UsageCsv.h"
#include "gui/usage/UsageModel.h"
#include "gui/usage/UsageView.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QFile>
#include <QJsonDocument>
#include <QLineSeries>
#include <QSettings>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;
using gui::UsageModel;

namespace {

int patchKey(const ConsoleFixture &f, const QString &id, const QJsonObject &body)
{
    const HttpTestClient client(f.daemon.port);
    return client
        .send({"PATCH", "/admin/api-keys/" + id.toLatin1(),
               {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + f.adminToken}},
               QJsonDocument(body).toJson(QJsonDocument::Compact)})
        .status;
}

// Waits until the view's model holds `requests` in total (the usage write-behind flushes every 200 ms).
bool waitForTotal(gui::UsageView &view, qint64 requests, int timeoutMs = 20000)
{
    return QTest::qWaitFor(
        [&] {
            if (view.model()->totalRequests() == requests && !view.isLoading())
                return true;
            view.refresh();
            return false;
        },
        timeoutMs);
}

qint64 seriesTotal(const UsageModel &model, const QString &id)
{
    qint64 sum = 0;
    for (int series = 0; series < model.seriesCount(); ++series) {
        if (model.seriesId(series) == id) {
            for (int row = 0; row < model.days(); ++row)
                sum += model.requests(row, series);
        }
    }
    return sum;
}

UsageModel::Entry entry(const QDate &day, const QString &endpoint, qint64 ok, qint64 rateLimited, double latency)
{
    UsageModel::Entry e;
    e.day = day;
    e.endpoint = endpoint;
    e.requests = ok + rateLimited;
    e.credits = ok;
    e.errors = rateLimited;
    e.avgLatencyMs = latency;
    e.hasOutcomes = true;
    e.outcomes = {{QStringLiteral("ok"), ok}, {QStringLiteral("rateLimited"), rateLimited}};
    return e;
}

} // namespace

class TestUsageView : public QObject
{
    Q_OBJECT

private:
    // Three keys: 3 answered calls; one with no credits left (402); one limited to 1 a minute (200, then 429).
    struct Traffic
    {
        QString okKeyId, okKeyName, okKeyRaw;
        qint64 total = 0;
    };

    // The daemon, flushing usage every 200 ms, and the traffic above; false (the test failed) when either did not work.
    bool startWithTraffic(ConsoleFixture &f, Traffic &traffic)
    {
        if (!f.start({QStringLiteral("USAGE_FLUSH_INTERVAL_MS=200")}))
            return false;
        traffic = makeTraffic(f);
        return !QTest::currentTestFailed();
    }

    Traffic makeTraffic(ConsoleFixture &f)
    {
        Traffic t;
        const QJsonObject a = f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"));
        const QJsonObject b = f.createKey(QStringLiteral("bob"), QStringLiteral("Broke bot"));
        const QJsonObject c = f.createKey(QStringLiteral("carol"), QStringLiteral("Busy bot"));
        t.okKeyId = a[QLatin1String("apiKey")].toObject()[QLatin1String("id")].toString();
        t.okKeyName = QStringLiteral("Search bot");
        t.okKeyRaw = a[QLatin1String("key")].toString();
        const QString bId = b[QLatin1String("apiKey")].toObject()[QLatin1String("id")].toString();
        const QString cId = c[QLatin1String("apiKey")].toObject()[QLatin1String("id")].toString();
        [&] {
            QCOMPARE(patchKey(f, bId, {{QStringLiteral("monthlyCredits"), 0}}), 200);
            QCOMPARE(patchKey(f, cId, {{QStringLiteral("rateLimit"), 1}, {QStringLiteral("rateWindowSeconds"), 60}}), 200);
            for (int i = 0; i < 3; ++i)
                QCOMPARE(f.callWithKey(t.okKeyRaw), 200);
            QCOMPARE(f.callWithKey(b[QLatin1String("key")].toString()), 402);
            QCOMPARE(f.callWithKey(c[QLatin1String("key")].toString()), 200);
            QCOMPARE(f.callWithKey(c[QLatin1String("key")].toString()), 429);
        }();
        t.total = 6;
        return t;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
    }

    void init()
    {
        QSettings().clear();  // no remembered range or grouping from the last test
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    // Shapes change (grouping, range, an "other" column), values change in place, clear: the tester watches all.
    void modelPassesTheTester()
    {
        UsageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QDate today(2026, 12, 1);
        QList<UsageModel::Entry> entries{entry(today, QStringLiteral("search"), 5, 1, 10),
                                         entry(today.addDays(-2), QStringLiteral("tts"), 2, 0, 40),
                                         entry(today.addDays(-40), QStringLiteral("search"), 9, 0, 1)};
        model.setUsage(entries, today, 30, UsageModel::Grouping::Outcome);
        QCOMPARE(model.rowCount(), 30);
        QCOMPARE(model.seriesCount(), UsageModel::outcomeIds().size());
        QCOMPARE(model.columnCount(), model.seriesCount() + 4);
        QCOMPARE(model.totalRequests(), 8);  // the row 40 days ago is outside the range
        QCOMPARE(model.day(29), today);
        QCOMPARE(model.totalRequests(28), 0);  // a day without usage is a row of zeros
        QCOMPARE(model.avgLatencyMs(29), 10.0);
        QCOMPARE(seriesTotal(model, QStringLiteral("rateLimited")), 1);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        entries[0] = entry(today, QStringLiteral("search"), 6, 1, 12);
        model.setUsage(entries, today, 30, UsageModel::Grouping::Outcome);
        QCOMPARE(resets.size(), 0);  // same shape: in place
        QCOMPARE(changes.size(), 1);
        QCOMPARE(model.data(model.index(29, 1), UsageModel::RawValueRole).toLongLong(), 6);

        model.setUsage(entries, today, 90, UsageModel::Grouping::Endpoint);
        QCOMPARE(model.rowCount(), 90);
        QCOMPARE(model.seriesCount(), 2);
        QCOMPARE(model.seriesId(0), QStringLiteral("search"));  // busiest first
        QCOMPARE(model.totalRequests(), 7 + 2 + 9);

        UsageModel::Entry old;  // an older gateway: requests without outcomes land in "other"
        old.day = today;
        old.endpoint = QStringLiteral("search");
        old.requests = 4;
        model.setUsage({old}, today, 7, UsageModel::Grouping::Outcome);
        QCOMPARE(model.seriesId(model.seriesCount() - 1), UsageModel::unclassifiedId());
        QCOMPARE(seriesTotal(model, UsageModel::unclassifiedId()), 4);
        model.retranslate();
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void csvRowsAreLocaleNeutral()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        UsageModel model;
        const QDate today(2026, 12, 1);
        UsageModel::Entry big = entry(today, QStringLiteral("search"), 1500, 0, 12.25);
        model.setUsage({big}, today, 7, UsageModel::Grouping::Endpoint);
        QCOMPARE(model.data(model.index(6, 0)).toString(), QStringLiteral("01.12.2026"));
        QCOMPARE(model.data(model.index(6, model.requestsColumn())).toString(), QStringLiteral("1.500"));
        QCOMPARE(model.data(model.index(6, model.latencyColumn())).toString(), QStringLiteral("12,3"));
        const QByteArrayList rows = gui::UsageCsv::rows(model);
        QCOMPARE(rows.size(), 7 * 3);
        QCOMPARE(rows[18], QByteArray("2026-12-01T00:00:00Z,requests,search,1500"));
        QCOMPARE(rows[19], QByteArray("2026-12-01T00:00:00Z,credits,all,1500"));
        QCOMPARE(rows[20], QByteArray("2026-12-01T00:00:00Z,avgLatencyMs,all,12.25"));
        QCOMPARE(rows[0], QByteArray("2026-11-25T00:00:00Z,requests,search,0"));
        QCOMPARE(gui::UsageCsv::field(QStringLiteral("a,\"b\"")), QByteArray("\"a,\"\"b\"\"\""));
    }

    void exportCanBeCancelled()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.csv"));
        gui::CsvExportJob job;
        QSignalSpy finished(&job, &gui::CsvExportJob::finished);
        QByteArrayList lines(2000000, QByteArray("2026-12-01T00:00:00Z,requests,search,1"));
        job.start(path, lines);
        QVERIFY(job.isRunning());
        job.cancel();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished[0][0].value<gui::CsvExportJob::Result>(), gui::CsvExportJob::Result::Cancelled);
        QVERIFY2(!QFile::exists(path), "a cancelled export leaves no file");
        QVERIFY(!job.isRunning());
    }

    void emptyStateSaysWhatToDo()
    {
        ConsoleFixture f;
        QVERIFY(f.start({QStringLiteral("USAGE_FLUSH_INTERVAL_MS=200")}));
        gui::UsageView view(f.context);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(view.hasLoaded(), 10000);
        auto *empty = view.findChild<QLabel *>(QStringLiteral("usageEmpty"));
        QVERIFY(empty->isVisible());
        QCOMPARE(empty->text(),
                 QStringLiteral("No usage in the last 30 days — calls with a key appear here within a few seconds."));
        QCOMPARE(view.model()->rowCount(), 30);

        // Unreachable: greyed, the data kept. A language change re-reads every text in the new locale.
        view.setStale(true);
        QVERIFY(!view.isEnabled());
        QCOMPARE(view.model()->rowCount(), 30);
        view.setStale(false);
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QEvent change(QEvent::LanguageChange);
        QCoreApplication::sendEvent(&view, &change);
        auto *totals = view.findChild<QLabel *>(QStringLiteral("usageTotals"));
        const QString firstDay = UsageModel::dayText(view.model()->day(0));
        QVERIFY2(firstDay.count(QLatin1Char('.')) == 2 && firstDay.size() == 10, qPrintable(firstDay));
        QVERIFY2(totals->text().contains(firstDay), qPrintable(totals->text()));
    }

    void showsTheCallsByOutcomeAndEndpoint()
    {
        ConsoleFixture f;
        Traffic traffic;
        QVERIFY(startWithTraffic(f, traffic));
        gui::UsageView view(f.context);
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);
        QVERIFY2(waitForTotal(view, traffic.total),
                 qPrintable(QStringLiteral("total %1, status: %2")
                                .arg(view.model()->totalRequests())
                                .arg(view.findChild<QLabel *>(QStringLiteral("usageStatus"))->text())));
        const UsageModel &model = *view.model();
        QCOMPARE(seriesTotal(model, QStringLiteral("ok")), 4);
        QCOMPARE(seriesTotal(model, QStringLiteral("insufficientCredits")), 1);
        QCOMPARE(seriesTotal(model, QStringLiteral("rateLimited")), 1);
        QCOMPARE(model.totalCredits(), 4);
        QCOMPARE(model.totalRequests(model.days() - 1), traffic.total);  // all of it today (UTC)
        QVERIFY(!view.findChild<QLabel *>(QStringLiteral("usageEmpty"))->isVisible());

        // The chart shows the model: one bar set per outcome, today's stack adds up to the calls.
        auto *charts = view.findChild<gui::UsageCharts *>();
        QCOMPARE(charts->requestsSeries()->count(), model.seriesCount());
        double stacked = 0;
        for (QBarSet *set : charts->requestsSeries()->barSets()) {
            QCOMPARE(set->count(), model.days());
            stacked += set->at(model.days() - 1);
        }
        QCOMPARE(stacked, double(traffic.total));
        QCOMPARE(charts->creditsSeries()->count(), model.days());

        // By endpoint: everything was /v1/search. No request needed to regroup.
        view.findChild<QPushButton *>(QStringLiteral("usageByEndpoint"))->click();
        QCOMPARE(view.grouping(), UsageModel::Grouping::Endpoint);
        QCOMPARE(model.seriesCount(), 1);
        QCOMPARE(model.seriesId(0), QStringLiteral("search"));
        QCOMPARE(seriesTotal(model, QStringLiteral("search")), traffic.total);

        // 7 / 90 / 30 days: that many rows, remembered for the next view.
        for (const int days : {7, 90, 30}) {
            view.findChild<QPushButton *>(QStringLiteral("usageRange%1").arg(days))->click();
            QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading() && model.rowCount() == days, 10000);
            QCOMPARE(model.totalRequests(), traffic.total);
        }
        view.setRangeDays(7);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 7, 10000);
        gui::UsageView again(f.context);
        QCOMPARE(again.rangeDays(), 7);
        QCOMPARE(again.grouping(), UsageModel::Grouping::Endpoint);
    }

    void oneKeyFoundBySearch()
    {
        ConsoleFixture f;
        Traffic traffic;
        QVERIFY(startWithTraffic(f, traffic));
        gui::UsageView view(f.context);
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        view.show();
        view.setActive(true);
        QVERIFY(waitForTotal(view, traffic.total));

        // Type the key's last 4 characters: the picker asks the API and offers the key.
        auto *picker = view.findChild<gui::KeyPicker *>(QStringLiteral("usageKeyPicker"));
        picker->lineEdit()->setFocus();
        picker->lineEdit()->selectAll();
        QTest::keyClicks(picker->lineEdit(), traffic.okKeyRaw.right(4));
        // Only the key whose last 4 were typed is offered (after "All keys"), once the search has answered.
        QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 10000);
        QVERIFY(picker->findData(traffic.okKeyId) > 0);
        QCOMPARE(picker->lineEdit()->text(), traffic.okKeyRaw.right(4));  // the typing stays
        const int index = picker->findData(traffic.okKeyId);
        QVERIFY(picker->itemText(index).contains(traffic.okKeyName));
        picker->setCurrentIndex(index);
        Q_EMIT picker->activated(index);
        QCOMPARE(view.keyId(), traffic.okKeyId);
        QVERIFY(waitForTotal(view, 3));
        QCOMPARE(seriesTotal(*view.model(), QStringLiteral("ok")), 3);

        view.setKeyId(QString());
        QVERIFY(waitForTotal(view, traffic.total));
    }

    void exportsExactlyWhatIsShownInGerman()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        ConsoleFixture f;
        Traffic traffic;
        QVERIFY(startWithTraffic(f, traffic));
        gui::UsageView view(f.context);
        view.show();
        view.setActive(true);
        view.setRangeDays(7);
        QVERIFY(waitForTotal(view, traffic.total));
        const UsageModel &model = *view.model();
        QCOMPARE(model.rowCount(), 7);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("usage.csv"));
        QSignalSpy finished(&view, &gui::UsageView::exportFinished);
        view.exportCsv(path);
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished[0][0].toBool(), qPrintable(finished[0][1].toString()));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.takeLast(), QByteArray());  // the file ends with a line end
        for (QByteArray &line : lines) {
            QVERIFY2(line.endsWith('\r'), "CRLF line ends");
            line.chop(1);
        }
        QCOMPARE(lines.takeFirst(), QByteArray("day,metric,series,value"));
        QCOMPARE(lines.size(), model.days() * (model.seriesCount() + 2));
        const QRegularExpression shape(QStringLiteral(
            R"(^(\d{4}-\d{2}-\d{2})T00:00:00Z,(requests|credits|avgLatencyMs),([A-Za-z/]+),(\d+(\.\d+)?)$)"));
        qint64 requests = 0, credits = 0;
        QSet<QString> days;
        for (const QByteArray &line : lines) {
            const auto match = shape.match(QString::fromUtf8(line));
            QVERIFY2(match.hasMatch(), line.constData());
            days.insert(match.captured(1));
            if (match.captured(2) == QLatin1String("requests"))
                requests += match.captured(4).toLongLong();
            else if (match.captured(2) == QLatin1String("credits"))
                credits += match.captured(4).toLongLong();
        }
        QCOMPARE(days.size(), 7);  // every day, also those without usage
        QVERIFY(days.contains(QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate)));
        QCOMPARE(requests, traffic.total);
        QCOMPARE(credits, 4);
        // The shown average latency (German: a comma) is in the file with a dot.
        const int today = model.days() - 1;
        const QByteArray latency = gui::UsageCsv::number(model.avgLatencyMs(today));
        QVERIFY(lines.contains(QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate).toLatin1()
                               + "T00:00:00Z,avgLatencyMs,all," + latency));
        QVERIFY(!latency.contains(','));
    }
};

QTEST_MAIN(TestUsageView)
#include "tst_usageview.moc"
