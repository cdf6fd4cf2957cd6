// The Tiers view over a real tollgated: an edited rate is saved with PUT /admin/tiers and GET shows it; a bad
// value is refused in its cell with a sentence; a tier still used by keys cannot be removed, the gateway's
// message says so inline and the tier stays; edits are marked and Save is enabled only while there are any.
#include "ConsoleFixture.h"
#include "gui/tiers/TierDelegate.h"
#include "gui/tiers/TierTableModel.h"
#include "gui/tiers/TiersView.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;
using gui::TierTableModel;

namespace {

int rowOf(const TierTableModel &model, const QString &slug)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, TierTableModel::Slug).data().toString() == slug)
            return row;
    }
    return -1;
}

// The tiers as the CLI reads them from the database, by slug.
QJsonObject savedTier(const ConsoleFixture &f, const QString &slug)
{
    const QJsonArray tiers = f.cli().run({QStringLiteral("tiers"), QStringLiteral("list"), QStringLiteral("--json")}).json().array();
    for (const QJsonValue &tier : tiers) {
        if (tier[QLatin1String("slug")].toString() == slug)
            return tier.toObject();
    }
    return {};
}

struct Harness
{
    explicit Harness(ConsoleFixture &f) : view(f.context), tester(view.model(), QAbstractItemModelTester::FailureReportingMode::Fatal)
    {
        view.resize(1100, 500);
        view.setActive(true);
        view.show();
        view.activateWindow();
        QTest::qWaitForWindowActive(&view);
        table = view.findChild<QTableView *>(QStringLiteral("tiersTable"));
        save = view.findChild<QPushButton *>(QStringLiteral("saveTiers"));
        revert = view.findChild<QPushButton *>(QStringLiteral("revertTiers"));
        remove = view.findChild<QPushButton *>(QStringLiteral("removeTier"));
    }
    TierTableModel &model() { return *view.model(); }

    // Types into the cell's editor as a user would, and presses Enter.
    void type(int row, int column, const QString &text)
    {
        const QModelIndex index = model().index(row, column);
        table->setCurrentIndex(index);
        table->edit(index);
        auto *editor = table->viewport()->findChild<QLineEdit *>(QStringLiteral("tierCellEditor"));
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!table->viewport()->findChild<QLineEdit *>(QStringLiteral("tierCellEditor")));
    }

    gui::TiersView view;
    QAbstractItemModelTester tester;
    QTableView *table = nullptr;
    QPushButton *save = nullptr;
    QPushButton *revert = nullptr;
    QPushButton *remove = nullptr;
};

} // namespace

class TestTiersView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editSaveAndReadBack()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        Harness h(f);
        QTRY_VERIFY_WITH_TIMEOUT(h.view.hasLoaded(), 10000);
        QCOMPARE(h.model().rowCount(), 3);
        QVERIFY(!h.save->isEnabled());
        QVERIFY(!h.revert->isEnabled());
        const int pro = rowOf(h.model(), QStringLiteral("pro"));
        QCOMPARE(h.model().index(pro, TierTableModel::Price).data().toString(), QStringLiteral("19.00"));
        QCOMPARE(h.model().index(pro, TierTableModel::Credits).data().toString(), QStringLiteral("5,000"));

        h.type(pro, TierTableModel::Rate, QStringLiteral("250"));
        const QModelIndex rate = h.model().index(pro, TierTableModel::Rate);
        QCOMPARE(rate.data().toString(), QStringLiteral("250"));
        QVERIFY(rate.data(TierTableModel::ChangedRole).toBool());
        QVERIFY(rate.data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!h.model().index(pro, TierTableModel::Name).data(TierTableModel::ChangedRole).toBool());
        QVERIFY(h.save->isEnabled());
        QVERIFY(h.view.findChild<QLabel *>(QStringLiteral("tiersChanges"))->text().contains(QLatin1Char('*')));

        // The price in the locale's form with two decimals, and the endpoint groups as check boxes.
        h.type(pro, TierTableModel::Price, QStringLiteral("24.50"));
        const int free = rowOf(h.model(), QStringLiteral("free"));
        const QModelIndex endpoints = h.model().index(free, TierTableModel::Endpoints);
        h.table->setCurrentIndex(endpoints);
        h.table->edit(endpoints);
        auto *editor = h.table->viewport()->findChild<gui::EndpointsEditor *>();
        QVERIFY(editor);
        QVERIFY(editor->box(QStringLiteral("search"))->isChecked());
        editor->box(QStringLiteral("tts"))->click();
        QCOMPARE(endpoints.data(Qt::EditRole).toStringList(), (QStringList{QStringLiteral("search"), QStringLiteral("tts")}));
        h.table->setCurrentIndex(h.model().index(free, TierTableModel::Name));  // closes the editor
        // Per-endpoint limits in the CLI's syntax; a malformed one is refused in its cell.
        QSignalSpy limitRefused(&h.model(), &TierTableModel::refused);
        h.type(pro, TierTableModel::EndpointLimits, QStringLiteral("stt=5 per hour"));
        QCOMPARE(limitRefused.count(), 1);
        QVERIFY(limitRefused.last().at(1).toString().contains(QStringLiteral("GROUP=RATE/SECONDS")));
        h.type(pro, TierTableModel::EndpointLimits, QStringLiteral("stt=5/3600"));
        QCOMPARE(h.model().index(pro, TierTableModel::EndpointLimits).data().toString(), QStringLiteral("stt: 5 per 3,600 s"));

        QTest::mouseClick(h.save, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!h.model().hasChanges(), 10000);
        QVERIFY(!h.save->isEnabled());
        QVERIFY2(h.view.message().startsWith(QStringLiteral("Saved")), qPrintable(h.view.message()));
        QVERIFY(!h.model().index(rowOf(h.model(), QStringLiteral("pro")), TierTableModel::Rate).data(TierTableModel::ChangedRole).toBool());

        // GET shows it (through the API and in the database).
        QJsonArray fromApi;
        gui::ApiCall *call = f.client->get(QStringLiteral("/admin/tiers"));
        connect(call, &gui::ApiCall::succeeded, this, [&](const QJsonValue &data) { fromApi = data.toArray(); });
        QTRY_VERIFY(!fromApi.isEmpty());
        bool seen = false;
        for (const QJsonValue &tier : fromApi) {
            if (tier[QLatin1String("slug")].toString() == QLatin1String("pro")) {
                QCOMPARE(tier[QLatin1String("rateLimit")].toInt(), 250);
                QCOMPARE(tier[QLatin1String("priceCents")].toInt(), 2450);
                QCOMPARE(tier[QLatin1String("endpointLimits")][QLatin1String("stt")][QLatin1String("rate")].toInt(), 5);
                QCOMPARE(tier[QLatin1String("endpointLimits")][QLatin1String("stt")][QLatin1String("windowSeconds")].toInt(), 3600);
                seen = true;
            }
        }
        QVERIFY(seen);
        QCOMPARE(savedTier(f, QStringLiteral("pro"))[QLatin1String("rateLimit")].toInt(), 250);
        QCOMPARE(savedTier(f, QStringLiteral("free"))[QLatin1String("endpoints")].toArray(),
                 (QJsonArray{QStringLiteral("search"), QStringLiteral("tts")}));
        QVERIFY(!QApplication::activeModalWidget());
    }

    void refusesBadValuesAtTheCell()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        Harness h(f);
        QTRY_VERIFY_WITH_TIMEOUT(h.view.hasLoaded(), 10000);
        const int pro = rowOf(h.model(), QStringLiteral("pro"));

        h.type(pro, TierTableModel::Rate, QStringLiteral("0"));
        QCOMPARE(h.model().index(pro, TierTableModel::Rate).data().toString(), QStringLiteral("100"));
        QVERIFY2(h.view.message().contains(QStringLiteral("at least 1")), qPrintable(h.view.message()));
        QVERIFY2(h.view.message().contains(QStringLiteral("pro")), qPrintable(h.view.message()));
        QVERIFY(!h.model().hasChanges());
        QVERIFY(!h.save->isEnabled());

        h.type(pro, TierTableModel::Window, QStringLiteral("ten"));
        QCOMPARE(h.model().index(pro, TierTableModel::Window).data().toString(), QStringLiteral("60"));
        QVERIFY2(h.view.message().contains(QStringLiteral("whole number")), qPrintable(h.view.message()));

        h.type(pro, TierTableModel::Slug, QStringLiteral("free"));
        QCOMPARE(h.model().index(pro, TierTableModel::Slug).data().toString(), QStringLiteral("pro"));
        QVERIFY2(h.view.message().contains(QStringLiteral("already")), qPrintable(h.view.message()));

        h.type(pro, TierTableModel::Slug, QStringLiteral("Pro Plan"));
        QVERIFY2(h.view.message().contains(QStringLiteral("lower-case")), qPrintable(h.view.message()));

        // A good value clears the refusal shown before it.
        h.type(pro, TierTableModel::Credits, QStringLiteral("0"));
        QCOMPARE(h.view.message(), QString());
        QVERIFY(h.model().hasChanges());

        QSignalSpy refused(&h.model(), &TierTableModel::refused);
        const QModelIndex endpoints = h.model().index(pro, TierTableModel::Endpoints);
        QVERIFY(!h.model().setData(endpoints, QStringLiteral("search, images")));
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.last().at(1).toString().contains(QStringLiteral("images")));
        QVERIFY(h.model().setData(endpoints, QStringLiteral("tts search,search")));
        QCOMPARE(endpoints.data(Qt::EditRole).toStringList(), (QStringList{QStringLiteral("search"), QStringLiteral("tts")}));
        const QModelIndex price = h.model().index(pro, TierTableModel::Price);
        QVERIFY(!h.model().setData(price, QStringLiteral("19.005")));
        QVERIFY(!h.model().setData(price, QStringLiteral("-1")));
        QVERIFY(!h.model().setData(h.model().index(pro, TierTableModel::Credits), QStringLiteral("-5")));
        QVERIFY(h.model().setData(price, QStringLiteral("5")));
        QCOMPARE(price.data(TierTableModel::RawRole).toLongLong(), 500);

        // Revert: back to the gateway's tiers, nothing to save.
        QTest::mouseClick(h.revert, Qt::LeftButton);
        QVERIFY(!h.model().hasChanges());
        QVERIFY(!h.save->isEnabled());
        QCOMPARE(h.model().index(pro, TierTableModel::Credits).data().toString(), QStringLiteral("5,000"));
    }

    void tierInUseStays()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        QVERIFY(!f.createKey(QStringLiteral("alice"), QStringLiteral("search bot"), QStringLiteral("pro")).isEmpty());
        Harness h(f);
        QTRY_VERIFY_WITH_TIMEOUT(h.view.hasLoaded(), 10000);

        h.table->selectRow(rowOf(h.model(), QStringLiteral("pro")));
        QVERIFY(h.remove->isEnabled());
        QTest::mouseClick(h.remove, Qt::LeftButton);
        QCOMPARE(rowOf(h.model(), QStringLiteral("pro")), -1);
        QCOMPARE(h.model().removedSlugs(), QStringList{QStringLiteral("pro")});
        QVERIFY(h.save->isEnabled());
        QTest::mouseClick(h.save, Qt::LeftButton);
        // The gateway's own sentence, inline; no dialog; the edit is still there to be reverted.
        QTRY_VERIFY_WITH_TIMEOUT(h.view.message().contains(QStringLiteral("pro")), 10000);
        QVERIFY2(h.view.message().contains(QStringLiteral("used by")), qPrintable(h.view.message()));
        QVERIFY(!QApplication::activeModalWidget());
        QVERIFY(h.model().hasChanges());
        QVERIFY(!savedTier(f, QStringLiteral("pro")).isEmpty());
        QTest::mouseClick(h.revert, Qt::LeftButton);
        QVERIFY(rowOf(h.model(), QStringLiteral("pro")) >= 0);

        // A tier no key uses can go, and a new one can come.
        h.table->selectRow(rowOf(h.model(), QStringLiteral("enterprise")));
        QTest::mouseClick(h.remove, Qt::LeftButton);
        QTest::keyClick(&h.view, Qt::Key_N, Qt::ControlModifier);  // Add tier; its slug is being edited
        auto *editor = h.table->viewport()->findChild<QLineEdit *>(QStringLiteral("tierCellEditor"));
        QVERIFY(editor);
        QCOMPARE(editor->text(), QStringLiteral("new-tier"));
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("team"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(rowOf(h.model(), QStringLiteral("team")) >= 0);  // the delegate commits on the next turn
        QVERIFY(h.model().index(rowOf(h.model(), QStringLiteral("team")), TierTableModel::Rate).data(TierTableModel::ChangedRole).toBool());
        QVERIFY(h.save->isEnabled());
        QTest::keyClick(&h.view, Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY2_WITH_TIMEOUT(!h.model().hasChanges(), qPrintable(h.view.message()), 10000);
        QVERIFY(savedTier(f, QStringLiteral("enterprise")).isEmpty());
        QCOMPARE(savedTier(f, QStringLiteral("team"))[QLatin1String("name")].toString(), QStringLiteral("New tier"));
    }
};

QTEST_MAIN(TestTiersView)
#include "tst_tiersview.moc"
