// The console attached to a separately started tollgated (--connect): the admin token comes from
// TOLLGATE_ADMIN_TOKEN (never stored), the keychain, or a masked dialog; it is checked against /admin/status
// before it is stored. Run twice by ctest: inside a D-Bus session with a real Secret Service (gnome-keyring,
// TOLLGATE_TEST_KEYRING=1, see run-with-keyring.sh) and without one, where the console must say so and keep
// the token for this run only.
#include "ConsoleFixture.h"
#include "gui/connect/ConnectDialog.h"
#include "gui/connect/RemoteLogin.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

bool keyringExpected()
{
    return qEnvironmentVariableIntValue("TOLLGATE_TEST_KEYRING") == 1;
}

gui::TokenStore::Result readToken(gui::TokenStore &store, const QString &server)
{
    gui::TokenStore::Result result;
    bool done = false;
    store.read(server, [&](const gui::TokenStore::Result &r) {
        result = r;
        done = true;
    });
    QTest::qWaitFor([&] { return done; }, 10000);
    return result;
}

gui::ConnectDialog *openDialog()
{
    gui::ConnectDialog *found = nullptr;
    QTest::qWaitFor([&] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *d = qobject_cast<gui::ConnectDialog *>(w); d && d->isVisible())
                found = d;
        }
        return found != nullptr;
    }, 10000);
    return found;
}

void typeAndConnect(gui::ConnectDialog *dialog, const QByteArray &token)
{
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("tokenField"));
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    field->setText(QString::fromLatin1(token));
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
}

struct Outcome
{
    bool done = false, ok = false;
    QString message;
};

} // namespace

class TestRemoteConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void tokenStoreRoundTrip()
    {
        gui::TokenStore store;
        const QString server = QStringLiteral("http://gw.example:8443/some/path");
        bool written = false;
        gui::TokenStore::Result result;
        store.write(server, "tga_roundtrip", [&](const gui::TokenStore::Result &r) {
            result = r;
            written = true;
        });
        QVERIFY(QTest::qWaitFor([&] { return written; }, 10000));
        qInfo() << "keychain write:" << int(result.outcome) << result.message;
        if (!keyringExpected()) {
            // No Secret Service: nothing is written anywhere, and the message says so in words.
            QCOMPARE(int(result.outcome), int(gui::TokenStore::Outcome::NoKeychain));
            QVERIFY(result.message.contains(QLatin1String("Secret Service")));
            QVERIFY(store.knownServers().isEmpty());
            return;
        }
        QCOMPARE(int(result.outcome), int(gui::TokenStore::Outcome::Ok));
        QCOMPARE(store.knownServers(), QStringList{QStringLiteral("http://gw.example:8443")});
        // One entry per server: the path is not part of it.
        QCOMPARE(readToken(store, QStringLiteral("http://gw.example:8443")).token, QByteArray("tga_roundtrip"));
        // The token is in the keychain only, never in the console's settings file.
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(!file.open(QIODevice::ReadOnly) || !file.readAll().contains("tga_roundtrip"));
        bool forgotten = false;
        store.forget(server, [&](const gui::TokenStore::Result &) { forgotten = true; });
        QVERIFY(QTest::qWaitFor([&] { return forgotten; }, 10000));
        QCOMPARE(int(readToken(store, server).outcome), int(gui::TokenStore::Outcome::NotFound));
        QVERIFY(store.knownServers().isEmpty());
    }

    // First connection: asked once in a masked dialog, checked, stored; the next start finds it in the keychain.
    void askedOnceThenFromTheKeychain()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const QString server = f.client->baseUrl().toString();
        f.client->setToken({});

        // A wrong token first: refused by the gateway, the dialog stays and says why.
        gui::RemoteLogin login(f.client.get(), &f.tokens);
        Outcome outcome;
        connect(&login, &gui::RemoteLogin::finished, this, [&](bool ok, const QString &message) {
            outcome = {true, ok, message};
        });
        login.start({});
        gui::ConnectDialog *dialog = openDialog();
        QVERIFY(dialog);
        auto *remember = dialog->findChild<QCheckBox *>(QStringLiteral("rememberToken"));
        QCOMPARE(remember->isEnabled(), keyringExpected());
        typeAndConnect(dialog, "tga_wrong");
        auto *problem = dialog->findChild<QLabel *>(QStringLiteral("connectProblem"));
        QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 10000);
        QVERIFY2(problem->text().contains(QLatin1String("refused")), qPrintable(problem->text()));
        QVERIFY(!outcome.done);

        typeAndConnect(dialog, f.adminToken);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done, 10000);
        QVERIFY(outcome.ok);
        QCOMPARE(login.source(), QStringLiteral("dialog"));
        QVERIFY(f.client->hasToken());

        // Started again: no dialog when the keychain has it; asked again when there is none.
        gui::AdminClient again(f.client->baseUrl());
        gui::RemoteLogin second(&again, &f.tokens);
        Outcome secondOutcome;
        connect(&second, &gui::RemoteLogin::finished, this, [&](bool ok, const QString &message) {
            secondOutcome = {true, ok, message};
        });
        second.start({});
        if (keyringExpected()) {
            QTRY_VERIFY_WITH_TIMEOUT(secondOutcome.done, 10000);
            QVERIFY(secondOutcome.ok);
            QCOMPARE(second.source(), QStringLiteral("keychain"));
            QCOMPARE(readToken(f.tokens, server).token, f.adminToken);
        } else {
            gui::ConnectDialog *askedAgain = openDialog();
            QVERIFY(askedAgain);
            askedAgain->reject();
            QTRY_VERIFY_WITH_TIMEOUT(secondOutcome.done, 10000);
            QVERIFY(!secondOutcome.ok);
        }
        bool forgotten = false;
        f.tokens.forget(server, [&](const gui::TokenStore::Result &) { forgotten = true; });
        QVERIFY(QTest::qWaitFor([&] { return forgotten; }, 10000));
    }

    // For scripts: TOLLGATE_ADMIN_TOKEN is used as it is and never stored.
    void environmentTokenIsNeverStored()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        f.client->setToken({});
        gui::RemoteLogin login(f.client.get(), &f.tokens);
        Outcome outcome;
        connect(&login, &gui::RemoteLogin::finished, this, [&](bool ok, const QString &message) {
            outcome = {true, ok, message};
        });
        login.start(f.adminToken);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done, 10000);
        QVERIFY(outcome.ok);
        QCOMPARE(login.source(), QStringLiteral("environment"));
        QCOMPARE(int(readToken(f.tokens, f.client->baseUrl().toString()).outcome),
                 int(keyringExpected() ? gui::TokenStore::Outcome::NotFound : gui::TokenStore::Outcome::NoKeychain));

        // A wrong one ends the attempt with a sentence instead of a dialog: a script has nobody to ask.
        gui::AdminClient other(f.client->baseUrl());
        gui::RemoteLogin refused(&other, &f.tokens);
        Outcome refusedOutcome;
        connect(&refused, &gui::RemoteLogin::finished, this, [&](bool ok, const QString &message) {
            refusedOutcome = {true, ok, message};
        });
        refused.start("tga_not_it");
        QTRY_VERIFY_WITH_TIMEOUT(refusedOutcome.done, 10000);
        QVERIFY(!refusedOutcome.ok);
        QVERIFY(refusedOutcome.message.contains(QLatin1String("TOLLGATE_ADMIN_TOKEN")));
    }
};

QTEST_MAIN(TestRemoteConsole)
#include "tst_remoteconsole.moc"
