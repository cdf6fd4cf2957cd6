// Issue 9 §6 over a real tollgated: column widths are remembered in every view that has a table (changed, the view
// made again, the same width), and a dark system palette works — the custom paint (credits bars, status colours,
// charts, banner) takes the palette's roles, not light colours baked in. A screenshot of the Keys view in the dark
// palette is written to $TOLLGATE_LOOK_DIR (default: the test's temporary directory) for a person to look at.
#include "ConsoleFixture.h"
#include "gui/audit/AuditView.h"
#include "gui/health/HealthView.h"
#include "gui/keys/KeyFilterModel.h"
#include "gui/keys/KeyListModel.h"
#include "gui/keys/KeysView.h"
#include "gui/overview/OverviewView.h"
#include "gui/tiers/TiersView.h"
#include "gui/widgets/Banner.h"
#include "gui/widgets/ProgressBarDelegate.h"
#include "gui/widgets/ToneColors.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHeaderView>
#include <QImage>
#include <QSettings>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace tollgate;
using namespace tollgate::test;

namespace {

// Fusion with the colours of a typical dark desktop theme (Breeze Dark, Adwaita dark).
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2a, 0x2e, 0x32), base(0x1b, 0x1e, 0x20), text(0xfc, 0xfc, 0xfc);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::Mid, QColor(0x4d, 0x53, 0x59));
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7f, 0x8c, 0x8d));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7f, 0x8c, 0x8d));
    return p;
}

QTableView *tableOf(QWidget *view, const char *name)
{
    return view->findChild<QTableView *>(QLatin1String(name));
}

} // namespace

class TestLookAndFeel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void columnWidthsRemembered_data()
    {
        QTest::addColumn<QString>("viewName");
        QTest::addColumn<QString>("tableName");
        QTest::newRow("keys") << QStringLiteral("keys") << QStringLiteral("keysTable");
        QTest::newRow("audit") << QStringLiteral("audit") << QStringLiteral("auditTable");
        QTest::newRow("health") << QStringLiteral("health") << QStringLiteral("healthTable");
        QTest::newRow("tiers") << QStringLiteral("tiers") << QStringLiteral("tiersTable");
        QTest::newRow("overview") << QStringLiteral("overview") << QStringLiteral("overviewTopKeys");
    }
    void columnWidthsRemembered()
    {
        QFETCH(QString, viewName);
        QFETCH(QString, tableName);
        ConsoleFixture f;
        QVERIFY(f.start());
        f.createKey(QStringLiteral("alice"), QStringLiteral("look"));
        f.status->start();  // Health and Overview show what the status poller brings
        const std::function<std::unique_ptr<gui::ConsoleView>()> make = [&]() -> std::unique_ptr<gui::ConsoleView> {
            if (viewName == QLatin1String("keys"))
                return std::make_unique<gui::KeysView>(f.context);
            if (viewName == QLatin1String("audit"))
                return std::make_unique<gui::AuditView>(f.context);
            if (viewName == QLatin1String("health"))
                return std::make_unique<gui::HealthView>(f.context);
            if (viewName == QLatin1String("tiers"))
                return std::make_unique<gui::TiersView>(f.context);
            return std::make_unique<gui::OverviewView>(f.context);
        };
        const QByteArray name = tableName.toLatin1();
        int width = 0;
        {
            auto view = make();
            view->resize(1000, 700);
            view->show();
            view->setActive(true);
            QTRY_VERIFY_WITH_TIMEOUT(view->hasLoaded(), 10000);
            QTest::qWait(50);  // fitted to the first data, if nothing was remembered
            QHeaderView *header = tableOf(view.get(), name)->horizontalHeader();
            width = header->sectionSize(0) == 137 ? 143 : 137;  // a width it did not have
            header->resizeSection(0, width);
        }  // the view goes: saved on the way
        {
            auto view = make();
            view->resize(1000, 700);
            view->show();
            view->setActive(true);
            QTRY_VERIFY_WITH_TIMEOUT(view->hasLoaded(), 10000);
            QTest::qWait(50);
            QHeaderView *header = tableOf(view.get(), name)->horizontalHeader();
            QCOMPARE(header->sectionSize(0), width);
            // Saved a moment after a drag too, not only when the view goes (a crash keeps it).
            header->resizeSection(0, width + 20);
            QTRY_VERIFY_WITH_TIMEOUT(QSettings().value(viewName + (viewName == QLatin1String("overview")
                                                                      ? QStringLiteral("/topKeysHeader") : QStringLiteral("/header")))
                                         .toByteArray() == header->saveState(), 3000);
        }
    }

    void darkPalette()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        for (int i = 0; i < 6; ++i)
            f.createKey(QStringLiteral("alice"), QStringLiteral("dark %1").arg(i));

        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        const QPalette light = QApplication::palette();
        QApplication::setPalette(::darkPalette());
        const QPalette dark = QApplication::palette();
        QVERIFY(gui::isDark(dark));

        // Colours with a meaning read on the dark window (4.5:1); so do the bar's texts.
        for (gui::Tone tone : {gui::Tone::Error, gui::Tone::Warning, gui::Tone::Success}) {
            QVERIFY2(gui::contrastRatio(gui::toneColor(tone, dark), dark.color(QPalette::Window)) >= 4.5, "tone on a dark window");
            QVERIFY2(gui::contrastRatio(gui::toneColor(tone, light), light.color(QPalette::Window)) >= 4.5, "tone on a light window");
        }
        for (double share : {0.1, 0.85, 0.95}) {
            const auto colors = gui::ProgressBarDelegate::colorsFor(dark, QPalette::Active, share);
            QCOMPARE(colors.groove, dark.color(QPalette::Base));
            QVERIFY(gui::contrastRatio(colors.textOnGroove, colors.groove) >= 4.5);
            QVERIFY(gui::contrastRatio(colors.textOnFill, colors.fill) >= 4.5);
        }

        gui::KeysView keys(f.context);
        keys.resize(1200, 700);
        keys.show();
        keys.findChild<QComboBox *>(QStringLiteral("statusFilter"))->setCurrentIndex(0);
        keys.setActive(true);
        QTRY_VERIFY_WITH_TIMEOUT(keys.model()->rowCount() >= 6, 10000);
        QTest::qWait(100);
        const QImage shot = keys.grab().toImage();
        QTemporaryDir temp;
        const QString dir = qEnvironmentVariable("TOLLGATE_LOOK_DIR", temp.path());
        QVERIFY(shot.save(dir + QStringLiteral("/keys-dark.png")));
        qInfo("dark screenshot: %s", qPrintable(dir + QStringLiteral("/keys-dark.png")));

        // The credits cell of the first row: its groove is the dark base, not the light style's white.
        QTableView *table = keys.table();
        const QRect cell = table->visualRect(keys.proxy()->index(0, gui::KeyListModel::Credits));
        const QImage viewport = table->viewport()->grab().toImage();
        const QColor groove = viewport.pixelColor(cell.right() - 8, cell.top() + 5);
        QVERIFY2(groove.lightness() < 80, qPrintable(groove.name()));
        // The rows are dark too (the second: the first is selected), their text light.
        const QRect second = table->visualRect(keys.proxy()->index(1, gui::KeyListModel::Name));
        const QColor row = viewport.pixelColor(second.right() - 4, second.center().y());
        QVERIFY2(row.lightness() < 80, qPrintable(row.name()));
        const QColor text = table->palette().color(QPalette::Text);
        QVERIFY(gui::contrastRatio(text, row) >= 4.5);

        // The key's usage chart (detail pane) and the overview's live chart: the dark theme on the palette's base.
        gui::OverviewView overview(f.context);
        overview.resize(1100, 700);
        overview.show();
        const QList<QChartView *> charts = keys.findChildren<QChartView *>() + overview.findChildren<QChartView *>();
        QVERIFY(charts.size() >= 2);
        for (QChartView *chart : charts) {
            QCOMPARE(chart->chart()->theme(), QChart::ChartThemeDark);
            QCOMPARE(chart->chart()->backgroundBrush().color(), dark.color(QPalette::Base));
        }

        // The banner: tinted from the dark window, its text still the palette's and readable.
        gui::Banner banner;
        banner.showMessage(gui::Banner::Kind::Error, QStringLiteral("The gateway cannot be reached."));
        const QColor bannerWindow = banner.palette().color(QPalette::Window);
        QVERIFY2(bannerWindow.lightness() < 100, qPrintable(bannerWindow.name()));
        QVERIFY(gui::contrastRatio(banner.palette().color(QPalette::WindowText), bannerWindow) >= 4.5);

        // Back to light: the charts follow the palette change.
        QApplication::setPalette(light);
        QCoreApplication::processEvents();
        for (QChartView *chart : charts)
            QCOMPARE(chart->chart()->theme(), QChart::ChartThemeLight);
    }
};

QTEST_MAIN(TestLookAndFeel)
#include "tst_lookandfeel.moc"
