// The console as `tollgate` runs it without arguments: the gateway embedded in the process on 127.0.0.1,
// managed by the window through its own admin API with an in-memory token. End to end: a key created in the
// Keys view's dialogs works over HTTP at once, the call shows in the Usage view, and the key's last use in its
// detail pane; the admin token is nowhere in the database file.
#include "FakeUpstream.h"
#include "GatewayFixture.h"
#include "HttpTestClient.h"
#include "app/console/EmbeddedGateway.h"
#include "gui/ConsoleContext.h"
#include "gui/MainWindow.h"
#include "gui/Views.h"
#include "gui/client/AdminClient.h"
#include "gui/client/StatusPoller.h"
#include "gui/keys/KeyDetailPane.h"
#include "gui/keys/KeyDialogs.h"
#include "gui/keys/KeyShownDialog.h"
#include "gui/keys/KeysView.h"
#include "gui/secrets/TokenStore.h"
#include "gui/settings/Language.h"
#include "gui/usage/UsageModel.h"
#include "gui/usage/UsageView.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

template<typename T>
T *waitForDialog(const QString &objectName, int timeoutMs = 10000)
{
    T *found = nullptr;
    QTest::qWaitFor([&] {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            if (widget->objectName() == objectName && widget->isVisible() && (found = qobject_cast<T *>(widget)))
                return true;
        }
        return false;
    }, timeoutMs);
    return found;
}

} // namespace

class TestEmbeddedConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void keyCreatedInTheWindowIsUsedAndSeen()
    {
        QTemporaryDir dir;
        FakeUpstream upstream;
        QProcessEnvironment env;
        const QString database = dir.filePath(QStringLiteral("console.db"));
        env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:") + database);
        env.insert(QStringLiteral("PORT"), QString::number(freePort()));
        env.insert(QStringLiteral("SEARCH_SERVICE_URL"), QString::fromLatin1(upstream.url()));
        env.insert(QStringLiteral("USAGE_FLUSH_INTERVAL_MS"), QStringLiteral("200"));
        env.insert(QStringLiteral("ACCESS_LOG"), QStringLiteral("off"));
        QString error;
        const auto settings = Settings::load(nullptr, env, Settings::Profile::Console, &error);
        QVERIFY2(settings, qPrintable(error));
        console::EmbeddedGateway embedded(*settings);
        QVERIFY2(embedded.start(&error), qPrintable(error));
        QCOMPARE(embedded.apiUrl().host(), QStringLiteral("127.0.0.1"));  // the console's default: loopback only

        gui::AdminClient client(embedded.apiUrl());
        client.setToken(embedded.adminToken());
        gui::StatusPoller status(&client);
        gui::TokenStore tokens;
        gui::Language language;
        gui::ConsoleContext context{{embedded.apiUrl(), true, embedded.databaseDescription()}, &client, &status, &tokens, &language};
        gui::MainWindow window(context);
        gui::addViews(window, context);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.windowTitle().contains(QStringLiteral("Embedded gateway on 127.0.0.1:%1").arg(embedded.apiUrl().port())));

        // Create a key through the UI.
        window.showView(QStringLiteral("keys"));
        auto *keys = qobject_cast<gui::KeysView *>(window.view(QStringLiteral("keys")));
        QTRY_VERIFY_WITH_TIMEOUT(keys->hasLoaded() && !keys->tiers().isEmpty(), 10000);
        keys->findChild<QAction *>(QStringLiteral("newKeyAction"))->trigger();
        auto *create = waitForDialog<gui::CreateKeyDialog>(QStringLiteral("createKeyDialog"));
        QVERIFY(create);
        QTest::keyClicks(create->findChild<QLineEdit *>(QStringLiteral("keyName")), QStringLiteral("Embedded bot"));
        QTest::keyClicks(create->findChild<QLineEdit *>(QStringLiteral("keyUser")), QStringLiteral("erin"));
        auto *tier = create->findChild<QComboBox *>(QStringLiteral("keyTier"));
        tier->setCurrentIndex(tier->findData(QStringLiteral("pro")));
        QTest::mouseClick(create->acceptButton(), Qt::LeftButton);
        auto *shown = waitForDialog<gui::KeyShownDialog>(QStringLiteral("keyShownDialog"));
        QVERIFY(shown);
        const QString raw = shown->findChild<QLineEdit *>(QStringLiteral("rawKey"))->text();
        QVERIFY(raw.startsWith(QLatin1String("sk_live_")));
        shown->findChild<QCheckBox *>(QStringLiteral("keyStored"))->setChecked(true);
        QTest::mouseClick(shown->findChild<QPushButton *>(QStringLiteral("closeKeyShown")), Qt::LeftButton);

        // Call the gateway with it over HTTP, as a customer would.
        const HttpTestClient http(embedded.apiUrl().port());
        for (int i = 0; i < 3; ++i) {
            const HttpTestResponse r = http.send({"POST", "/v1/search",
                                                  {{"X-API-Key", raw.toLatin1()}, {"Content-Type", "application/json"}},
                                                  R"({"query":"embedded"})"});
            QCOMPARE(r.status, 200);
        }
        QCOMPARE(upstream.requests().size(), 3);

        // The calls in the Usage view…
        window.showView(QStringLiteral("usage"));
        auto *usage = qobject_cast<gui::UsageView *>(window.view(QStringLiteral("usage")));
        QVERIFY(QTest::qWaitFor([&] {
            if (usage->model()->totalRequests() == 3 && !usage->isLoading())
                return true;
            usage->refresh();
            QTest::qWait(200);
            return false;
        }, 20000));

        // …and the key's last use in its detail pane, after a refresh.
        window.showView(QStringLiteral("keys"));
        QVERIFY(QTest::qWaitFor([&] {
            keys->refresh();
            QTest::qWait(300);
            return keys->detail()->hasKey() && keys->detail()->key().name == QLatin1String("Embedded bot")
                && keys->detail()->key().lastUsedAt.isValid();
        }, 20000));
        QVERIFY(keys->detail()->field(QStringLiteral("lastUsed")).contains(QLatin1String("UTC")));

        // The console's admin token lives in memory only: not in the database file.
        window.close();
        embedded.stop();
        QFile file(database);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains(embedded.adminToken()));
        QVERIFY(!bytes.contains(raw.toLatin1()));
    }
};

QTEST_MAIN(TestEmbeddedConsole)
#include "tst_embeddedconsole.moc"
