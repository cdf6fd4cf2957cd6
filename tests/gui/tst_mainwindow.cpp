// The console's window over an embedded core, in English and German.
#include "core/service/GatewayCore.h"
#include "gui/MainWindow.h"
#include "gui/Translations.h"

#include <QApplication>
#include <QLabel>
#include <QLocale>
#include <QProcessEnvironment>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace tollgate;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheEmbeddedGatewayState_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("ready");
        QTest::newRow("English") << "en_US" << "Tollgate — API gateway" << "Embedded gateway ready.";
        QTest::newRow("German") << "de_DE" << "Tollgate — API-Gateway" << "Eingebettetes Gateway bereit.";
    }
    void showsTheEmbeddedGatewayState()
    {
        QFETCH(QString, locale);
        QFETCH(QString, title);
        QFETCH(QString, ready);
        QLocale::setDefault(QLocale(locale));
        QVERIFY(installTranslations(*qApp) || locale.startsWith(QLatin1String("en")));

        QTemporaryDir dir;
        QProcessEnvironment env;
        env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db")));
        QString error;
        GatewayCore core(*Settings::load(nullptr, env, Settings::Profile::Console, &error));
        MainWindow window(&core);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        core.start();
        QCOMPARE(window.windowTitle(), title);
        auto *state = window.findChild<QLabel *>(QStringLiteral("gatewayState"));
        QVERIFY(state);
        QTRY_VERIFY2(state->text().startsWith(ready), qPrintable(state->text()));
        QVERIFY(state->text().contains(dir.filePath(QStringLiteral("t.db"))));

        for (QTranslator *translator : qApp->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
