// The event outbox's SQL (EventOutbox) on SQLite and PostgreSQL: two connections claiming at once never get the same
// event, a failed attempt waits for its retry time, delivered events leave the pending count and are pruned later,
// and a credit threshold is written once per key and period.
#include "core/storage/EventOutbox.h"
#include "core/storage/Migrations.h"
#include "core/storage/Sql.h"
#include "core/storage/StorageWorker.h"
#include "TestDatabase.h"

#include <QSet>
#include <QTest>

using namespace tollgate;

namespace {

constexpr qint64 Now = 1'764'600'000'000;

} // namespace

class TestEventOutbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void concurrentClaimsNeverShareAnEvent_data() { test::TestDatabase::addBackendRows(); }
    void concurrentClaimsNeverShareAnEvent()
    {
        QFETCH(QString, backend);
        test::TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        StorageWorker a(db.databaseUrl());
        StorageWorker b(db.databaseUrl());
        constexpr int Events = 400;
        a.run<void>([](QSqlDatabase &c) {
            Migrations::migrate(c);
            sql::Transaction tx(c);
            for (int i = 0; i < Events; ++i)
                EventOutbox::append(c, EventOutbox::KeyCreated, {{QStringLiteral("n"), i}}, Now);
            tx.commit();
        }).waitForFinished();

        // Both connections claim in small batches at the same time until nothing is left.
        auto claimAll = [](StorageWorker &worker, const QString &who) {
            QList<QFuture<QList<OutboxEvent>>> claims;
            for (int i = 0; i < Events / 5; ++i) {
                claims.append(worker.run<QList<OutboxEvent>>([who, i](QSqlDatabase &c) {
                    return EventOutbox::claim(c, who + QString::number(i), Now, 60000, 5);
                }));
            }
            return claims;
        };
        const auto fromA = claimAll(a, QStringLiteral("a:"));
        const auto fromB = claimAll(b, QStringLiteral("b:"));
        QSet<qint64> seenA, seenB;
        for (auto f : fromA)
            for (const OutboxEvent &e : f.result())
                seenA.insert(e.seq);
        for (auto f : fromB)
            for (const OutboxEvent &e : f.result())
                seenB.insert(e.seq);
        QVERIFY2(!seenA.intersects(seenB), "an event was claimed by both connections");
        QCOMPARE(seenA.size() + seenB.size(), Events);
        QVERIFY(!seenA.isEmpty() && !seenB.isEmpty());
        // All held: nothing to claim until the claims expire, then everything again.
        QVERIFY(a.run<QList<OutboxEvent>>([](QSqlDatabase &c) { return EventOutbox::claim(c, QStringLiteral("c"), Now, 60000, 5); })
                    .result().isEmpty());
        QCOMPARE(a.run<QList<OutboxEvent>>([](QSqlDatabase &c) {
                     return EventOutbox::claim(c, QStringLiteral("d"), Now + 60001, 60000, 1000);
                 }).result().size(), Events);
    }

    void retriesWaitAndDeliveredLeave_data() { test::TestDatabase::addBackendRows(); }
    void retriesWaitAndDeliveredLeave()
    {
        QFETCH(QString, backend);
        test::TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        StorageWorker storage(db.databaseUrl());
        auto run = [&storage](auto fn) { return storage.run<QVariant>([fn](QSqlDatabase &c) { return QVariant(fn(c)); }).result(); };
        run([](QSqlDatabase &c) { return Migrations::migrate(c); });
        const QString first = run([](QSqlDatabase &c) { return EventOutbox::append(c, EventOutbox::KeyRevoked, {}, Now); }).toString();
        run([](QSqlDatabase &c) { return EventOutbox::append(c, EventOutbox::KeyCreated, {}, Now); });
        QVERIFY(first.startsWith(QLatin1String("evt_")));
        QCOMPARE(run([](QSqlDatabase &c) { return EventOutbox::pendingCount(c); }).toLongLong(), 2);

        const QList<OutboxEvent> claimed = storage.run<QList<OutboxEvent>>([](QSqlDatabase &c) {
            return EventOutbox::claim(c, QStringLiteral("x"), Now, 60000, 10);
        }).result();
        QCOMPARE(claimed.size(), 2);
        QCOMPARE(claimed[0].id, first);  // oldest first
        QVERIFY(claimed[0].body.contains(first.toUtf8()));
        // The first: webhook failed (retry in 5 s), stream done. The second: delivered.
        const QList<DeliveryOutcome> outcomes{{claimed[0].seq, false, true, Now + 5000, QStringLiteral("HTTP 500")},
                                              {claimed[1].seq, true, true, 0, {}}};
        storage.run<void>([outcomes](QSqlDatabase &c) { EventOutbox::settle(c, outcomes, Now); }).waitForFinished();
        QCOMPARE(run([](QSqlDatabase &c) { return EventOutbox::pendingCount(c); }).toLongLong(), 1);
        auto claimAt = [&storage](qint64 at) {
            return storage.run<QList<OutboxEvent>>([at](QSqlDatabase &c) { return EventOutbox::claim(c, QStringLiteral("y%1").arg(at), at, 60000, 10); })
                .result();
        };
        QVERIFY(claimAt(Now + 4999).isEmpty());
        const QList<OutboxEvent> retry = claimAt(Now + 5000);
        QCOMPARE(retry.size(), 1);
        QCOMPARE(retry[0].id, first);
        QCOMPARE(retry[0].attempts, 1);
        QVERIFY(retry[0].streamDone);  // only the webhook is still to do
        QVERIFY(!retry[0].webhookDone);
        QCOMPARE(retry[0].body, claimed[0].body);  // the same bytes on every attempt

        // Delivered events go once older than the retention; undelivered ones stay (a sink is configured).
        QCOMPARE(run([](QSqlDatabase &c) { return EventOutbox::prune(c, Now + 1, false); }).toLongLong(), 1);
        QCOMPARE(run([](QSqlDatabase &c) { return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM event_outbox")); }).toLongLong(), 1);
    }

    void thresholdOncePerKeyAndPeriod_data() { test::TestDatabase::addBackendRows(); }
    void thresholdOncePerKeyAndPeriod()
    {
        QFETCH(QString, backend);
        test::TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        StorageWorker storage(db.databaseUrl());
        const QList<bool> written = storage.run<QList<bool>>([](QSqlDatabase &c) {
            Migrations::migrate(c);
            sql::exec(c, QStringLiteral("INSERT INTO api_keys (id, key_hash, prefix, last4, user_id, name, tier, created_at, updated_at)"
                                        " VALUES ('key_1', 'h', 'sk_live_', 'abcd', 'u', 'k', 'free', 0, 0)"));
            QList<bool> out;
            for (const auto &[period, threshold] : QList<QPair<QString, int>>{{QStringLiteral("2026-12"), 80}, {QStringLiteral("2026-12"), 80},
                                                                              {QStringLiteral("2026-12"), 100}, {QStringLiteral("2027-01"), 80}})
                out << EventOutbox::appendThresholdOnce(c, QStringLiteral("key_1"), period, threshold, {}, Now);
            return out;
        }).result();
        QCOMPARE(written, (QList<bool>{true, false, true, true}));
        QCOMPARE(storage.run<qint64>([](QSqlDatabase &c) {
                     return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM event_outbox WHERE type = 'credits.threshold'")).toLongLong();
                 }).result(), 3);
    }
};

QTEST_GUILESS_MAIN(TestEventOutbox)
#include "tst_eventoutbox.moc"
