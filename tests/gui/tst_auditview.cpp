// The Audit view over a real tollgated: after CLI actions (keys made and one revoked) the entries appear; the
// action filter narrows them to the revoke, the key filter to one key's story; the log is paged over cursors
// (canFetchMore/fetchMore, and by scrolling); the revoke's before and after show the status change.
#include "ConsoleFixture.h"
#include "gui/audit/AuditDiffModel.h"
#include "gui/audit/AuditModel.h"
#include "gui/audit/AuditView.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;
using gui::AuditDiffModel;
using gui::AuditModel;

namespace {

constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

QStringList actions(const AuditModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.index(row, AuditModel::Action).data(AuditModel::RawRole).toString());
    return out;
}

struct Story
{
    QStringList keyIds;
    QString revoked;
};

// Four keys through the CLI, the second revoked: with the fixture's admin token, 6 entries.
Story makeStory(const ConsoleFixture &f)
{
    Story story;
    for (int i = 0; i < 4; ++i) {
        const QJsonObject created = f.createKey(QStringLiteral("alice"), QStringLiteral("bot %1").arg(i));
        story.keyIds.append(created[QLatin1String("apiKey")][QLatin1String("id")].toString());
    }
    story.revoked = story.keyIds.value(1);
    f.cli().run({QStringLiteral("keys"), QStringLiteral("revoke"), story.revoked});
    return story;
}

} // namespace

class TestAuditView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entriesFiltersAndBeforeAfter()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        const Story story = makeStory(f);
        QCOMPARE(story.keyIds.size(), 4);
        QVERIFY(!story.revoked.isEmpty());

        gui::AuditView view(f.context);
        QAbstractItemModelTester tester(view.model(), Fatal);
        QAbstractItemModelTester diffTester(view.diffModel(), Fatal);
        view.resize(1100, 700);
        view.show();
        view.setActive(true);  // first shown: loads
        QTRY_VERIFY_WITH_TIMEOUT(view.hasLoaded(), 10000);
        AuditModel &model = *view.model();
        QTRY_COMPARE(model.rowCount(), 6);
        // Newest first.
        QCOMPARE(actions(model).first(), QStringLiteral("key.revoke"));
        QCOMPARE(actions(model).count(QStringLiteral("key.create")), 4);
        QCOMPARE(actions(model).last(), QStringLiteral("admin_token.create"));
        QCOMPARE(model.index(0, AuditModel::Actor).data().toString(), QStringLiteral("cli"));
        QVERIFY(model.headerData(AuditModel::Time, Qt::Horizontal).toString().contains(QStringLiteral("UTC")));
        QVERIFY(model.index(0, AuditModel::Time).data(AuditModel::RawRole).toDateTime().isValid());
        QVERIFY(model.index(0, AuditModel::Target).data().toString().contains(story.revoked));

        // Filter by action: only the revoke.
        auto *action = view.findChild<QComboBox *>(QStringLiteral("auditActionFilter"));
        action->setCurrentIndex(action->findData(QStringLiteral("key.revoke")));
        QTRY_COMPARE(actions(model), QStringList{QStringLiteral("key.revoke")});
        QTRY_VERIFY(!model.isFetching());

        // Its before and after, field by field: the status changed from active to revoked.
        auto *table = view.findChild<QTableView *>(QStringLiteral("auditTable"));
        table->setCurrentIndex(model.index(0, 0));
        const AuditDiffModel &diff = *view.diffModel();
        const int status = diff.rowOf(QStringLiteral("status"));
        QVERIFY(status >= 0);
        QCOMPARE(diff.index(status, AuditDiffModel::Before).data().toString(), QStringLiteral("active"));
        QCOMPARE(diff.index(status, AuditDiffModel::After).data().toString(), QStringLiteral("revoked"));
        QVERIFY(diff.index(status, AuditDiffModel::After).data(AuditDiffModel::ChangedRole).toBool());
        QVERIFY(diff.index(status, AuditDiffModel::After).data(Qt::FontRole).value<QFont>().bold());
        const int name = diff.rowOf(QStringLiteral("name"));
        QVERIFY(name >= 0);
        QVERIFY(!diff.index(name, AuditDiffModel::After).data(AuditDiffModel::ChangedRole).toBool());
        QVERIFY2(status < name, "what changed comes first");
        QVERIFY(model.index(0, AuditModel::Changes).data().toString().contains(QStringLiteral("status")));
        auto *detail = view.findChild<QLabel *>(QStringLiteral("auditDetail"));
        QVERIFY2(detail->text().contains(QStringLiteral("UTC")), qPrintable(detail->text()));
        // Changed fields only: the unchanged name goes.
        view.diffModel()->setChangedOnly(true);
        QCOMPARE(diff.rowOf(QStringLiteral("name")), -1);
        QVERIFY(diff.rowOf(QStringLiteral("status")) >= 0);
        view.diffModel()->setChangedOnly(false);

        // Filter by key: that key's creation and its revoke.
        action->setCurrentIndex(0);
        auto *key = view.findChild<QLineEdit *>(QStringLiteral("auditKeyFilter"));
        key->setText(story.revoked);
        Q_EMIT key->returnPressed();
        QTRY_COMPARE(actions(model), (QStringList{QStringLiteral("key.revoke"), QStringLiteral("key.create")}));

        // An actor nobody is: an empty list that says so.
        key->clear();
        auto *actor = view.findChild<QLineEdit *>(QStringLiteral("auditActorFilter"));
        actor->setText(QStringLiteral("nobody-at-all"));
        Q_EMIT actor->returnPressed();
        auto *state = view.findChild<QLabel *>(QStringLiteral("auditState"));
        QTRY_VERIFY2(state->text().contains(QStringLiteral("No entries match")), qPrintable(state->text()));
        QCOMPARE(model.rowCount(), 0);

        // A value the gateway refuses: its message, naming the parameter, where the list is.
        actor->clear();
        key->setText(QStringLiteral("no such key!"));
        Q_EMIT key->returnPressed();
        QTRY_VERIFY2(state->text().contains(QStringLiteral("keyId:")), qPrintable(state->text()));
        key->clear();

        // Stale: greyed, the rows kept.
        actor->clear();
        Q_EMIT actor->returnPressed();
        QTRY_COMPARE(model.rowCount(), 6);
        view.setStale(true);
        QVERIFY(!view.isEnabled());
        QCOMPARE(model.rowCount(), 6);
        view.setStale(false);
        QVERIFY(!QApplication::activeModalWidget());
    }

    void pagesOverCursors()
    {
        ConsoleFixture f;
        QVERIFY(f.start());
        makeStory(f);

        // Pages of 2 under the model tester, which asks for more whenever it has checked what came.
        {
            AuditModel tested(f.client.get());
            QAbstractItemModelTester tester(&tested, Fatal);
            tested.setPageSize(2);
            tested.reload();
            QTRY_COMPARE_WITH_TIMEOUT(tested.rowCount(), 6, 10000);
            QTRY_VERIFY(!tested.isFetching());
            QCOMPARE(tested.pagesLoaded(), 3);
            QVERIFY(!tested.canFetchMore({}));
        }

        // Step by step: one page of 2, then fetchMore for each further page.
        AuditModel model(f.client.get());
        model.setPageSize(2);
        model.reload();
        QTRY_VERIFY_WITH_TIMEOUT(model.hasLoaded() && !model.isFetching(), 10000);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(!model.canFetchMore({}));  // one page at a time
        QTRY_COMPARE(model.rowCount(), 4);
        QTRY_VERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 6);
        QTRY_VERIFY(!model.isFetching());
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.pagesLoaded(), 3);
        // No entry twice, newest first.
        QStringList ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids.append(model.entry(row)->id);
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 6);
        QVERIFY(model.index(0, AuditModel::Time).data(AuditModel::RawRole).toDateTime()
                >= model.index(5, AuditModel::Time).data(AuditModel::RawRole).toDateTime());

        // Filtered and paged by the gateway: the 4 creations in exactly 2 pages of 2 (filtering here, over the
        // unfiltered log, would take 3 pages: 6 entries), the next cursor naming a row of the filtered set.
        model.setFilter({{}, QStringLiteral("key.create"), {}});
        QTRY_VERIFY(model.hasLoaded() && !model.isFetching());
        QCOMPARE(model.rowCount(), 2);
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QTRY_VERIFY(!model.isFetching());
        }
        QCOMPARE(actions(model), QStringList(4, QStringLiteral("key.create")));
        QCOMPARE(model.pagesLoaded(), 2);

        // The actor is matched exactly, by the gateway: "cli" wrote all 6 entries, "cl" none.
        model.setFilter({QStringLiteral("cli"), {}, {}});
        QTRY_VERIFY(model.hasLoaded() && !model.isFetching());
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QTRY_VERIFY(!model.isFetching());
        }
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.pagesLoaded(), 3);
        model.setFilter({QStringLiteral("cl"), {}, {}});
        QTRY_VERIFY(model.hasLoaded() && !model.isFetching());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.pagesLoaded(), 1);

        // In the view, scrolling to the end fetches the rest.
        gui::AuditView view(f.context);
        view.model()->setPageSize(2);
        QAbstractItemModelTester viewTester(view.model(), Fatal);
        view.resize(900, 600);
        view.show();
        view.setActive(true);
        auto *table = view.findChild<QTableView *>(QStringLiteral("auditTable"));
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowCount() >= 2, 10000);
        for (int i = 0; i < 20 && view.model()->canFetchMore({}) + view.model()->isFetching(); ++i) {
            table->scrollToBottom();
            QTest::qWait(100);
        }
        QTRY_COMPARE(view.model()->rowCount(), 6);
        QVERIFY(view.model()->pagesLoaded() >= 3);
    }
};

QTEST_MAIN(TestAuditView)
#include "tst_auditview.moc"
