// Migrations from an empty database and re-run, on SQLite and PostgreSQL.
#include "core/storage/Migrations.h"
#include "core/storage/StorageWorker.h"
#include "core/storage/TierStore.h"
#include "TestDatabase.h"

#include <QSqlQuery>
#include <QTest>

using namespace tollgate;

class TestMigrations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromEmptyAndRerun_data() { test::TestDatabase::addBackendRows(); }
    void fromEmptyAndRerun()
    {
        QFETCH(QString, backend);
        test::TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        StorageWorker storage(db.databaseUrl());

        const int applied = storage.run<int>([](QSqlDatabase &c) { return Migrations::migrate(c); }).result();
        QCOMPARE(applied, Migrations::all().size());
        QCOMPARE(storage.run<int>([](QSqlDatabase &c) { return Migrations::currentVersion(c); }).result(),
                 Migrations::latestVersion());
        // Running again changes nothing and fails nothing.
        QCOMPARE(storage.run<int>([](QSqlDatabase &c) { return Migrations::migrate(c); }).result(), 0);

        const QStringList tables = storage.run<QStringList>([](QSqlDatabase &c) { return c.tables(); }).result();
        for (const char *table : {"tiers", "api_keys", "credit_periods", "credit_grants", "usage_daily", "admin_tokens",
                                  "audit_log", "change_feed", "schema_migrations"})
            QVERIFY2(tables.contains(QLatin1String(table)), table);

        const QList<Tier> tiers = storage.run<QList<Tier>>([](QSqlDatabase &c) { return TierStore::list(c); }).result();
        QCOMPARE(tiers.size(), 3);
        const Tier free{QStringLiteral("free"), QStringLiteral("Free"), 10, 60, 100, {QStringLiteral("search")}, 0};
        const QStringList all{QStringLiteral("search"), QStringLiteral("extract"), QStringLiteral("stt"), QStringLiteral("tts")};
        const Tier pro{QStringLiteral("pro"), QStringLiteral("Pro"), 100, 60, 5000, all, 1900};
        const Tier enterprise{QStringLiteral("enterprise"), QStringLiteral("Enterprise"), 1000, 60, 50000, all, 9900};
        QCOMPARE(tiers.at(0), free);
        QCOMPARE(tiers.at(1), pro);
        QCOMPARE(tiers.at(2), enterprise);
    }

    void refusesNewerSchema_data() { test::TestDatabase::addBackendRows(); }
    void refusesNewerSchema()
    {
        QFETCH(QString, backend);
        test::TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        StorageWorker storage(db.databaseUrl());
        storage.run<int>([](QSqlDatabase &c) { return Migrations::migrate(c); }).waitForFinished();
        storage.run<void>([](QSqlDatabase &c) {
            QSqlQuery(c).exec(QStringLiteral("INSERT INTO schema_migrations VALUES (999, 'future', 0)"));
        }).waitForFinished();
        QVERIFY_THROWS_EXCEPTION(StorageError, storage.run<int>([](QSqlDatabase &c) { return Migrations::migrate(c); }).result());
    }

    void unreachableDatabaseFailsTheFuture()
    {
        // Nothing listens on port 1: the job fails with Unavailable instead of blocking or crashing.
        StorageWorker storage(*DatabaseUrl::parse(QStringLiteral("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")));
        try {
            storage.run<int>([](QSqlDatabase &c) { return Migrations::migrate(c); }).result();
            QFAIL("expected StorageError");
        } catch (const StorageError &error) {
            QCOMPARE(error.kind(), StorageError::Kind::Unavailable);
            QVERIFY(!storage.isAvailable());
        }
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
