// The Keys view over a real tollgated (ConsoleFixture): the model pages through the API's cursors and stays
// a correct model while pages arrive, sorts by raw values, the New key dialog and the shown-once key (which
// works on /v1, and reaches no settings file and no log), revoke asks first, a bad CIDR is named at the field,
// and a bulk tier change stops where it was cancelled.
#include "ConsoleFixture.h"
#include "KeysTestSupport.h"
#include "gui/keys/BulkAction.h"
#include "gui/keys/KeyDetailPane.h"
#include "gui/keys/KeyDialogs.h"
#include "gui/keys/KeyFilterModel.h"
#include "gui/keys/KeyForm.h"
#include "gui/keys/KeyListModel.h"
#include "gui/keys/KeyShownDialog.h"
#include "gui/keys/KeysView.h"
#include "gui/widgets/FieldErrors.h"
#include "gui/widgets/SecretClipboard.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDirIterator>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;
using gui::KeyListModel;

namespace {

QStringList namesInViewOrder(const QAbstractItemModel *model)
{
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->index(row, KeyListModel::Name).data().toString());
    return names;
}

template <typename T>
T *waitForDialog(const QString &objectName, int timeoutMs = 10000)
{
    T *found = nullptr;
    QTest::qWaitFor([&] {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            if (widget->objectName() == objectName && widget->isVisible()) {
                found = qobject_cast<T *>(widget);
                if (found)
                    return true;
            }
        }
        return false;
    }, timeoutMs);
    return found;
}

// All the files under the test-mode config and data locations, where QSettings writes.
QString everythingStored()
{
    QString all;
    for (const auto location : {QStandardPaths::GenericConfigLocation, QStandardPaths::AppConfigLocation, QStandardPaths::AppDataLocation}) {
        QDirIterator it(QStandardPaths::writableLocation(location), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                all += QString::fromUtf8(file.readAll());
        }
    }
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    if (file.open(QIODevice::ReadOnly))
        all += QString::fromUtf8(file.readAll());
    return all;
}

} // namespace

class TestKeysView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("tollgate-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_keysview"));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void modelStaysCorrectWhilePagingThrough250Keys()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        QVERIFY(createKeysWithCli(f, 250, QStringLiteral("Bulk")));

        KeyListModel model(f.client.get());
        gui::KeyFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.sort(KeyListModel::Name);
        QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

        QSignalSpy pages(&model, &KeyListModel::pageLoaded);
        model.setQuery({});
        QTRY_VERIFY(model.hasLoaded());
        // At least the first page (the tester itself asks for more whenever the model changes, so maybe all).
        QVERIFY(model.rowCount() >= KeyListModel::PageSize);
        QVERIFY(model.rowCount() % KeyListModel::PageSize == 0 || model.rowCount() == 250);
        while (model.canFetchMore({}) || model.isLoading()) {
            const int before = model.rowCount();
            if (model.canFetchMore({}))
                model.fetchMore({});
            model.fetchMore({});  // a second ask while a page is out changes nothing
            QTRY_VERIFY(!model.isLoading());
            QVERIFY(model.rowCount() >= before);
        }
        QCOMPARE(model.rowCount(), 250);
        QCOMPARE(proxy.rowCount(), 250);
        QCOMPARE(model.pagesLoaded(), 3);
        QVERIFY(!model.hasMore());
        QSet<QString> ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids.insert(model.index(row, 0).data(KeyListModel::IdRole).toString());
        QCOMPARE(ids.size(), 250);
        QCOMPARE(proxy.index(0, KeyListModel::Name).data().toString(), QStringLiteral("Bulk 000"));
        QCOMPARE(proxy.index(249, KeyListModel::Name).data().toString(), QStringLiteral("Bulk 249"));

        // A new query starts again at the first page; the old rows stay until it arrives.
        model.setQuery({{}, QStringLiteral("pro"), {}});
        QCOMPARE(model.rowCount(), 250);
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 0);
    }

    void viewFetchesMoreWhenScrolledToTheEnd()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        QVERIFY(createKeysWithCli(f, 150, QStringLiteral("Scroll")));
        gui::KeysView view(f.context);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);
        QTRY_VERIFY(view.hasLoaded());
        QCOMPARE(view.model()->rowCount(), 100);
        view.table()->scrollToBottom();
        QTRY_COMPARE(view.model()->rowCount(), 150);
        QTRY_VERIFY(!view.model()->hasMore());
    }

    void sortsCreditsByValueNotText()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const QList<QPair<QString, int>> spend{{QStringLiteral("Two"), 2}, {QStringLiteral("Ten"), 10}, {QStringLiteral("Nine"), 9}};
        for (const auto &[name, calls] : spend) {
            const QString raw = f.createKey(QStringLiteral("alice"), name, QStringLiteral("pro"))[QLatin1String("key")].toString();
            QVERIFY(!raw.isEmpty());
            for (int i = 0; i < calls; ++i)
                QCOMPARE(f.callWithKey(raw), 200);
        }
        KeyListModel model(f.client.get());
        gui::KeyFilterModel proxy;
        proxy.setSourceModel(&model);
        // Credits are written behind: ask again until all 21 are booked.
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     model.reload();
                                     QTest::qWaitFor([&] { return !model.isLoading(); }, 5000);
                                     qint64 sum = 0;
                                     for (int row = 0; row < model.rowCount(); ++row)
                                         sum += model.key(row).creditsUsed;
                                     return model.rowCount() == 3 && sum == 21;
                                 }()),
                                 15000);
        proxy.sort(KeyListModel::Credits, Qt::AscendingOrder);
        // On a worker: the order arrives a moment later.
        QTRY_COMPARE(namesInViewOrder(&proxy), (QStringList{QStringLiteral("Two"), QStringLiteral("Nine"), QStringLiteral("Ten")}));
        // The shown text would have sorted "10 of 5,000" first.
        QStringList texts;
        for (int row = 0; row < 3; ++row)
            texts.append(proxy.index(row, KeyListModel::Credits).data().toString());
        QCOMPARE(texts.first(), QStringLiteral("2 of 5,000"));
        QVERIFY(QStringLiteral("10 of 5,000") < texts.first());
        proxy.sort(KeyListModel::Credits, Qt::DescendingOrder);
        QTRY_COMPARE(namesInViewOrder(&proxy).first(), QStringLiteral("Ten"));
        QCOMPARE(proxy.index(0, KeyListModel::Credits).data(KeyListModel::ProgressRole).toDouble(), 10.0 / 5000.0);
    }

    // A header click sorts on a worker; the GUI thread applies the order in one layout change. The selection follows
    // its key, a second click while the first still runs wins, pages that arrive meanwhile or later land in sorted
    // order, and the models stay correct throughout (the testers are fatal).
    void headerClickSortsOffTheGuiThreadAndKeepsPagesInOrder()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        QVERIFY(createKeysWithCli(f, 250, QStringLiteral("Sort")));
        gui::KeysView view(f.context);
        QAbstractItemModelTester sourceTester(view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester proxyTester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);
        QTRY_VERIFY(view.hasLoaded());
        QTRY_VERIFY(!view.model()->isLoading());
        const int loaded = view.model()->rowCount();
        QVERIFY(loaded >= 100);
        view.table()->selectRow(42);
        const QString selected = view.selectedKeys().value(0).id;
        QVERIFY(!selected.isEmpty());

        // Two clicks, the second before the first's order is applied: only the second's counts.
        auto *header = view.table()->horizontalHeader();
        // A page on its way: rows that arrive while it sorts are not lost (which comes first, the page or the sorted
        // order, is up to the threads; either way the rows end up in order).
        QSignalSpy sorting(view.model(), &KeyListModel::sortingChanged);
        if (view.model()->canFetchMore({}))
            view.model()->fetchMore({});
        view.table()->sortByColumn(KeyListModel::Created, Qt::AscendingOrder);
        view.table()->sortByColumn(KeyListModel::Name, Qt::DescendingOrder);
        QTRY_VERIFY(!view.model()->isSorting() && !view.model()->isLoading());
        QCOMPARE(sorting.first().first().toBool(), true);
        QCOMPARE(sorting.last().first().toBool(), false);
        QCOMPARE(header->sortIndicatorSection(), int(KeyListModel::Name));
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(view.model()->sortColumn(), int(KeyListModel::Name));
        QCOMPARE(view.selectedKeys().value(0).id, selected);
        QCOMPARE(view.table()->currentIndex().data(KeyListModel::IdRole).toString(), selected);

        // Then every later page, each row at its place.
        while (view.model()->canFetchMore({}) || view.model()->isLoading()) {
            if (view.model()->canFetchMore({}))
                view.model()->fetchMore({});
            QTRY_VERIFY(!view.model()->isLoading());
        }
        QCOMPARE(view.model()->rowCount(), 250);
        QCOMPARE(view.proxy()->rowCount(), 250);
        QStringList expected;
        for (int i = 0; i < 250; ++i)
            expected.append(QStringLiteral("Sort %1").arg(i, 3, 10, QLatin1Char('0')));
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(namesInViewOrder(view.proxy()), expected);
        QCOMPARE(view.selectedKeys().value(0).id, selected);

        // By creation time (raw ms, not the shown date), then the API's order again (-1): all 250 still there.
        view.table()->sortByColumn(KeyListModel::Created, Qt::AscendingOrder);
        QTRY_VERIFY(!view.model()->isSorting());
        for (int row = 1; row < 250; ++row)
            QVERIFY(view.model()->at(row - 1).createdAt <= view.model()->at(row).createdAt);
        QCOMPARE(view.selectedKeys().value(0).id, selected);
        view.table()->sortByColumn(-1, Qt::AscendingOrder);
        QVERIFY(!view.model()->isSorting());
        QCOMPARE(view.model()->sortColumn(), -1);
        QSet<QString> ids;
        for (int row = 0; row < view.model()->rowCount(); ++row)
            ids.insert(view.model()->at(row).id);
        QCOMPARE(ids.size(), 250);
        QCOMPARE(view.selectedKeys().value(0).id, selected);

        // By user (user0…user6 in turn): each later page's rows land in 7 gaps, placed by one layout change.
        view.table()->sortByColumn(KeyListModel::User, Qt::AscendingOrder);
        QTRY_VERIFY(!view.model()->isSorting());
        view.model()->reload();
        QTRY_VERIFY(!view.model()->isLoading());
        while (view.model()->canFetchMore({}) || view.model()->isLoading()) {
            if (view.model()->canFetchMore({}))
                view.model()->fetchMore({});
            QTRY_VERIFY(!view.model()->isLoading());
        }
        QCOMPARE(view.model()->rowCount(), 250);
        ids.clear();
        for (int row = 0; row < 250; ++row) {
            ids.insert(view.model()->at(row).id);
            if (row > 0)
                QVERIFY(view.model()->at(row - 1).userId <= view.model()->at(row).userId);
        }
        QCOMPARE(ids.size(), 250);
    }

    void emptyStateSaysWhatToDo()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        gui::KeysView view(f.context);
        view.show();
        view.findChild<QComboBox *>(QStringLiteral("statusFilter"))->setCurrentIndex(0);
        view.setActive(true);
        QTRY_VERIFY(view.hasLoaded());
        auto *empty = view.findChild<QLabel *>(QStringLiteral("keysEmpty"));
        QTRY_VERIFY(empty->isVisible());
        QCOMPARE(empty->text(), QStringLiteral("No keys yet — create the first one with New key or `tollgated keys create`."));
    }

    void searchIsDebouncedAndAskedOfTheServer()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"));
        f.createKey(QStringLiteral("bob"), QStringLiteral("Transcriber"));
        gui::KeysView view(f.context);
        view.show();
        view.setActive(true);
        QTRY_COMPARE(view.model()->rowCount(), 2);
        // Ctrl+F's action focuses the search box.
        view.findChild<QAction *>(QStringLiteral("findKeyAction"))->trigger();
        auto *search = view.findChild<QLineEdit *>(QStringLiteral("keySearch"));
        QVERIFY(search->hasFocus() || QApplication::focusWidget() == search || !view.isActiveWindow());
        QTest::keyClicks(search, QStringLiteral("transc"));
        QVERIFY(view.model()->query().q.isEmpty());  // not yet: 300 ms after the last key
        QTest::qWait(100);
        QVERIFY(view.model()->query().q.isEmpty());
        QTRY_COMPARE(view.model()->query().q, QStringLiteral("transc"));
        QTRY_COMPARE(view.proxy()->rowCount(), 1);
        QCOMPARE(view.proxy()->index(0, KeyListModel::Name).data().toString(), QStringLiteral("Transcriber"));
        // The last 4 characters find a key too.
        const QString last4 = view.proxy()->index(0, KeyListModel::Key).data().toString().right(4);
        search->setText(last4);
        QTRY_COMPARE(view.model()->query().q, last4);
        QTRY_COMPARE(view.proxy()->rowCount(), 1);
    }

    void keyShownOnceCannotBeClosedUntilStored()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const QString raw = f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"))[QLatin1String("key")].toString();
        gui::SecretClipboard::instance()->setClearAfterMs(400);
        gui::KeyShownDialog dialog(raw, QStringLiteral("Search bot"), gui::KeyShownDialog::Reason::Created);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("keyShownHeadline"))->text(), QStringLiteral("This is the only time the key is shown."));
        auto *field = dialog.findChild<QLineEdit *>(QStringLiteral("rawKey"));
        QCOMPARE(field->text(), raw);
        QVERIFY(field->isReadOnly());
        QVERIFY(QFontInfo(field->font()).fixedPitch());
        auto *close = dialog.findChild<QPushButton *>(QStringLiteral("closeKeyShown"));
        QVERIFY(!close->isEnabled());
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QVERIFY(dialog.isVisible());
        dialog.reject();
        QVERIFY(dialog.isVisible());
        QVERIFY(!dialog.close());
        QVERIFY(dialog.isVisible());

        // Copy, then the clipboard is cleared when the time is up, if it still holds the key.
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("copyKey")), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), raw);
        QTRY_VERIFY_WITH_TIMEOUT(QGuiApplication::clipboard()->text().isEmpty(), 3000);
        // Something the user copied since stays.
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("copyKey")), Qt::LeftButton);
        QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
        QSignalSpy expired(gui::SecretClipboard::instance(), &gui::SecretClipboard::expired);
        QVERIFY(expired.wait(3000));
        QCOMPARE(expired.first().first().toBool(), false);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("something else"));

        dialog.findChild<QCheckBox *>(QStringLiteral("keyStored"))->setChecked(true);
        QVERIFY(close->isEnabled());
        QTest::mouseClick(close, Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
        QVERIFY(field->text().isEmpty());
        gui::SecretClipboard::instance()->setClearAfterMs(60000);
    }

    void createKeyEndToEnd()
    {
        LogCapture log;
        ConsoleFixture f;
        QVERIFY(f.start());
        gui::KeysView view(f.context);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);
        QTRY_VERIFY(view.hasLoaded());
        QTRY_VERIFY(!view.tiers().isEmpty());

        view.findChild<QAction *>(QStringLiteral("newKeyAction"))->trigger();
        auto *dialog = waitForDialog<gui::CreateKeyDialog>(QStringLiteral("createKeyDialog"));
        QVERIFY(dialog);
        QVERIFY(!dialog->acceptButton()->isEnabled());  // name and user first
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyName")), QStringLiteral("Search bot"));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyUser")), QStringLiteral("alice"));
        auto *tier = dialog->findChild<QComboBox *>(QStringLiteral("keyTier"));
        tier->setCurrentIndex(tier->findData(QStringLiteral("pro")));
        QVERIFY(dialog->findChild<QCheckBox *>(QStringLiteral("scope_tts"))->isEnabled());
        QVERIFY(dialog->acceptButton()->isEnabled());
        QTest::mouseClick(dialog->acceptButton(), Qt::LeftButton);

        // POST /admin/api-keys is being added to the daemon (wt-api9); without it the dialog says so at its foot.
        QTest::qWaitFor([&] { return !dialog->isBusy(); }, 10000);
        if (dialog->isVisible() && dialog->errorText().contains(QLatin1String("route"), Qt::CaseInsensitive))
            QSKIP(qPrintable(QStringLiteral("This daemon has no POST /admin/api-keys yet: ") + dialog->errorText()));

        auto *shown = waitForDialog<gui::KeyShownDialog>(QStringLiteral("keyShownDialog"));
        QVERIFY(shown);
        const QString raw = shown->findChild<QLineEdit *>(QStringLiteral("rawKey"))->text();
        QVERIFY2(raw.startsWith(QLatin1String("sk_live_")), qPrintable(raw.left(8)));
        auto *close = shown->findChild<QPushButton *>(QStringLiteral("closeKeyShown"));
        QVERIFY(!close->isEnabled());
        shown->reject();
        QVERIFY(shown->isVisible());

        // The key works against the daemon.
        QCOMPARE(f.callWithKey(raw), 200);

        shown->findChild<QCheckBox *>(QStringLiteral("keyStored"))->setChecked(true);
        QTest::mouseClick(close, Qt::LeftButton);
        QTRY_VERIFY(!waitForDialog<gui::KeyShownDialog>(QStringLiteral("keyShownDialog"), 200));

        // The new key is in the table, selected, and shown masked only.
        QTRY_VERIFY(view.detail()->hasKey() && view.detail()->key().name == QLatin1String("Search bot"));
        QVERIFY(view.detail()->field(QStringLiteral("key")).endsWith(raw.right(4)));
        QVERIFY(!view.detail()->field(QStringLiteral("key")).contains(raw));

        // Nowhere stored or logged: not in any settings file (the view saved its splitter and columns), not in the log.
        view.close();
        QMetaObject::invokeMethod(&view, "saveState");
        const QString stored = everythingStored();
        QVERIFY(!stored.contains(raw));
        QVERIFY(!stored.contains(raw.mid(8, 16)));
        const QString logged = log.text();
        QVERIFY2(logged.contains(QLatin1String("/admin/api-keys")), "the capture should have seen the client's request lines");
        QVERIFY(!logged.contains(raw));
        QVERIFY(!logged.contains(raw.mid(8, 16)));
    }

    void revokeAsksFirst()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const QJsonObject created = f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"));
        const QString id = created[QLatin1String("apiKey")].toObject()[QLatin1String("id")].toString();
        const QString masked = created[QLatin1String("apiKey")].toObject()[QLatin1String("maskedKey")].toString();
        gui::KeysView view(f.context);
        view.resize(1100, 700);
        view.show();
        view.findChild<QComboBox *>(QStringLiteral("statusFilter"))->setCurrentIndex(0);  // all: the revoked key stays in sight
        view.setActive(true);
        QTRY_COMPARE(view.model()->rowCount(), 1);
        view.table()->selectRow(0);
        QVERIFY(view.detail()->hasKey());

        // Del on the table: a question first, Cancel the default.
        view.table()->setFocus();
        view.findChild<QAction *>(QStringLiteral("revokeKeyAction"))->trigger();
        auto *box = waitForDialog<QMessageBox>(QStringLiteral("revokeConfirm"));
        QVERIFY(box);
        QCOMPARE(box->text(), QStringLiteral("Revoke ‘Search bot’ (%1)? Calls with this key are refused within seconds.").arg(masked));
        QCOMPARE(box->defaultButton()->objectName(), QStringLiteral("cancelRevoke"));
        QCOMPARE(box->escapeButton()->objectName(), QStringLiteral("cancelRevoke"));
        QTest::mouseClick(box->defaultButton(), Qt::LeftButton);
        QTest::qWait(300);
        QCOMPARE(getKey(f.client.get(), id)[QLatin1String("status")].toString(), QStringLiteral("active"));

        // The detail pane's Revoke…, confirmed.
        QTest::mouseClick(view.detail()->findChild<QPushButton *>(QStringLiteral("revokeKey")), Qt::LeftButton);
        box = waitForDialog<QMessageBox>(QStringLiteral("revokeConfirm"));
        QVERIFY(box);
        QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmRevoke")), Qt::LeftButton);
        QTRY_COMPARE(getKey(f.client.get(), id)[QLatin1String("status")].toString(), QStringLiteral("revoked"));
        QTRY_COMPARE(view.model()->key(0).status, gui::KeyRecord::Status::Revoked);
        QTRY_VERIFY(view.notice().contains(QLatin1String("Revoked")));
        QVERIFY(!QApplication::activeModalWidget());
    }

    void badCidrIsNamedAtTheField()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const QJsonObject created = f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"));
        const QString id = created[QLatin1String("apiKey")].toObject()[QLatin1String("id")].toString();
        const QList<gui::TierRecord> tiers = gui::TierRecord::listFromJson(waitFor(f.client->get(QStringLiteral("/admin/tiers"))).data);
        QVERIFY(!tiers.isEmpty());

        // As typed: the bad line is named, and Create waits.
        gui::CreateKeyDialog dialog(f.client.get(), tiers, nullptr);
        dialog.setAttribute(Qt::WA_DeleteOnClose, false);
        dialog.show();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyName")), QStringLiteral("Office"));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("keyUser")), QStringLiteral("alice"));
        auto *ips = dialog.findChild<QPlainTextEdit *>(QStringLiteral("keyIps"));
        ips->setFocus();
        QTest::keyClicks(ips, QStringLiteral("10.0.0.0/8"));
        QTest::keyClick(ips, Qt::Key_Return);
        QTest::keyClicks(ips, QStringLiteral("10.1.0.0/33"));
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("allowedIpsError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().startsWith(QStringLiteral("Line 2: “10.1.0.0/33” is not a network")), qPrintable(error->text()));
        QVERIFY(!dialog.acceptButton()->isEnabled());
        QVERIFY(!ips->extraSelections().isEmpty());
        QTest::keyClick(ips, Qt::Key_Backspace);
        QTest::keyClick(ips, Qt::Key_Backspace);
        QTest::keyClicks(ips, QStringLiteral("16"));
        QVERIFY(!error->isVisible());
        QVERIFY(dialog.acceptButton()->isEnabled());

        // The gateway's own 400 ("allowedIps: …") is shown at the same field.
        const SyncAnswer refused = waitFor(f.client->patch(QStringLiteral("/admin/api-keys/") + id,
                                                           QJsonObject{{QStringLiteral("allowedIps"), QJsonArray{QStringLiteral("300.1.2.3/8")}}}));
        QVERIFY(!refused.ok);
        QCOMPARE(refused.error.status, 400);
        QVERIFY2(refused.error.message.startsWith(QLatin1String("allowedIps:")), qPrintable(refused.error.message));
        QVERIFY(dialog.form()->showApiError(refused.error));
        QVERIFY(error->isVisible());
        QCOMPARE(error->text().toLower(), refused.error.message.mid(QStringLiteral("allowedIps: ").size()).toLower());
        QVERIFY(!dialog.acceptButton()->isEnabled());
        QCOMPARE(gui::FieldErrors::split(QStringLiteral("tiers[0].slug: bad")).first, QStringLiteral("tiers"));
        QVERIFY(gui::FieldErrors::split(QStringLiteral("The gateway is away.")).first.isEmpty());
    }

    void editShowsTheServersMessageAtTheField()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const QJsonObject created = f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"), QStringLiteral("free"));
        const gui::KeyRecord key = gui::KeyRecord::fromJson(created[QLatin1String("apiKey")].toObject());
        const QList<gui::TierRecord> tiers = gui::TierRecord::listFromJson(waitFor(f.client->get(QStringLiteral("/admin/tiers"))).data);
        gui::EditKeyDialog dialog(f.client.get(), tiers, key, nullptr);
        dialog.setAttribute(Qt::WA_DeleteOnClose, false);
        QSignalSpy saved(&dialog, &gui::EditKeyDialog::saved);
        dialog.show();
        // A new tier and a rate override, saved through PATCH; the answer comes back to the view.
        auto *tier = dialog.findChild<QComboBox *>(QStringLiteral("keyTier"));
        tier->setCurrentIndex(tier->findData(QStringLiteral("pro")));
        dialog.findChild<QCheckBox *>(QStringLiteral("rateLimitOverride"))->setChecked(true);
        dialog.findChild<QSpinBox *>(QStringLiteral("rateLimit"))->setValue(42);
        const QJsonObject patch = dialog.form()->patchBody();
        QCOMPARE(patch.value(QStringLiteral("tier")).toString(), QStringLiteral("pro"));
        QCOMPARE(patch.value(QStringLiteral("rateLimit")).toInt(), 42);
        QVERIFY(!patch.contains(QStringLiteral("name")));
        QTest::mouseClick(dialog.acceptButton(), Qt::LeftButton);
        QVERIFY(saved.wait(10000));
        const gui::KeyRecord after = saved.first().first().value<gui::KeyRecord>();
        QCOMPARE(after.tier, QStringLiteral("pro"));
        QCOMPARE(after.rateLimit, 42);
    }

    void bulkTierChangeStopsWhereCancelled()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        QVERIFY(createKeysWithCli(f, 8, QStringLiteral("Worker"), QStringLiteral("free")));
        gui::KeysView view(f.context);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);
        QTRY_COMPARE(view.model()->rowCount(), 8);
        QTRY_VERIFY(!view.tiers().isEmpty());
        view.table()->selectAll();
        QCOMPARE(view.selectedKeys().size(), 8);

        view.findChild<QAction *>(QStringLiteral("bulkTier_pro"))->trigger();
        gui::BulkAction *bulk = view.bulkAction();
        QVERIFY(bulk);
        QProgressDialog *progress = bulk->progressDialog();
        QVERIFY(progress->isVisible());
        connect(bulk, &gui::BulkAction::progressed, progress, [progress](int done) {
            if (done == 3)
                QTest::mouseClick(progress->findChild<QPushButton *>(), Qt::LeftButton);
        });
        QTRY_VERIFY(!view.bulkAction());
        QVERIFY2(view.notice().contains(QLatin1String("Moved 3 of 8 keys to the pro tier.")), qPrintable(view.notice()));
        QVERIFY(view.notice().contains(QLatin1String("Cancelled")));
        const SyncAnswer list = waitFor(f.client->get(QStringLiteral("/admin/api-keys")));
        int pro = 0;
        for (const QJsonValue &value : list.data.toArray())
            pro += value.toObject()[QLatin1String("tier")].toString() == QLatin1String("pro");
        QCOMPARE(pro, 3);
        int shownPro = 0;
        for (int row = 0; row < view.model()->rowCount(); ++row)
            shownPro += view.model()->key(row).tier == QLatin1String("pro");
        QCOMPARE(shownPro, 3);
    }

    void remembersSplitterAndColumns()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        QList<int> sizes;
        int width = 0;
        {
            gui::KeysView view(f.context);
            view.resize(1000, 700);
            view.show();
            auto *splitter = view.findChild<QSplitter *>(QStringLiteral("keysSplitter"));
            splitter->setSizes({200, 400});
            sizes = splitter->sizes();
            view.table()->setColumnWidth(KeyListModel::Name, 321);
            width = view.table()->columnWidth(KeyListModel::Name);
        }
        gui::KeysView again(f.context);
        again.resize(1000, 700);
        again.show();
        QCOMPARE(again.findChild<QSplitter *>(QStringLiteral("keysSplitter"))->sizes(), sizes);
        QCOMPARE(again.table()->columnWidth(KeyListModel::Name), width);
    }

    void staleKeepsTheRowsGreyed()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        f.createKey(QStringLiteral("alice"), QStringLiteral("Search bot"));
        gui::KeysView view(f.context);
        view.show();
        view.setActive(true);
        QTRY_VERIFY(view.hasLoaded());
        QTRY_COMPARE(view.model()->rowCount(), 1);
        view.setStale(true);
        QVERIFY(!view.isEnabled());
        QCOMPARE(view.model()->rowCount(), 1);
        view.setStale(false);
        QVERIFY(view.isEnabled());
    }
};

QTEST_MAIN(TestKeysView)
#include "tst_keysview.moc"
