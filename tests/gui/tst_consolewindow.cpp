// The console's shell over a real tollgated: it names the gateway it manages, says when the gateway is
// reachable and when not (a banner, the views greyed, no dialog), and comes back by itself.
#include "ConsoleFixture.h"
#include "gui/MainWindow.h"
#include "gui/Views.h"
#include "gui/widgets/Banner.h"
#include "gui/widgets/ConsoleView.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

class TestConsoleWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesTheGatewayAndItsState()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        gui::MainWindow window(f.context);
        gui::addViews(window, f.context);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString where = QStringLiteral("127.0.0.1:%1").arg(f.daemon.port);
        QVERIFY2(window.windowTitle().contains(where), qPrintable(window.windowTitle()));
        auto *connection = window.findChild<QLabel *>(QStringLiteral("connectionState"));
        QTRY_COMPARE(connection->text(), QStringLiteral("● Connected"));
        auto *database = window.findChild<QLabel *>(QStringLiteral("databaseLabel"));
        QTRY_VERIFY2(database->text().contains(f.db.sqlitePath()), qPrintable(database->text()));
        QVERIFY(window.findChild<QListWidget *>(QStringLiteral("viewList"))->count() >= 1);

        // The gateway goes away: a banner with Retry, every view greyed, no modal dialog.
        f.daemon.process.kill();
        QVERIFY(f.daemon.waitForExit(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!window.banner()->message().isEmpty(), 10000);
        QCOMPARE(connection->text(), QStringLiteral("○ Disconnected"));
        for (gui::ConsoleView *view : window.views()) {
            if (view->viewId() != QLatin1String("settings"))
                QVERIFY2(!view->isEnabled(), qPrintable(view->viewId()));
        }
        QVERIFY(!QApplication::activeModalWidget());
    }

    // Settings → Language applies at once: every widget retranslates on LanguageChange, no restart.
    void languageSwitchesWithoutRestart()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        f.language.apply(QStringLiteral("en"), false);
        gui::MainWindow window(f.context);
        gui::addViews(window, f.context);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *connection = window.findChild<QLabel *>(QStringLiteral("connectionState"));
        QTRY_COMPARE(connection->text(), QStringLiteral("● Connected"));
        QVERIFY(window.windowTitle().contains(QLatin1String("Remote gateway")));
        window.showView(QStringLiteral("settings"));
        auto *combo = window.findChild<QComboBox *>(QStringLiteral("languageCombo"));
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findData(QStringLiteral("de")));
        QTRY_VERIFY2(window.windowTitle().contains(QLatin1String("Entferntes Gateway")), qPrintable(window.windowTitle()));
        QCOMPARE(connection->text(), QStringLiteral("● Verbunden"));
        auto *list = window.findChild<QListWidget *>(QStringLiteral("viewList"));
        QVERIFY(!list->findItems(QStringLiteral("Einstellungen"), Qt::MatchExactly).isEmpty());
        // Qt's own strings follow (qtbase_de): a standard button says "Abbrechen".
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Abbrechen"));
        // Numbers too.
        QCOMPARE(QLocale().toString(1234.5, 'f', 1), QStringLiteral("1.234,5"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("en")));
        QTRY_VERIFY(window.windowTitle().contains(QLatin1String("Remote gateway")));
    }
};

QTEST_MAIN(TestConsoleWindow)
#include "tst_consolewindow.moc"
