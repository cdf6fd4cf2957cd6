// Another process (the CLI) changes keys, credits and tiers; a running core sees each within 2 s.
#include "CliRunner.h"
#include "TestDatabase.h"
#include "core/keys/SecretGenerator.h"
#include "core/service/GatewayCore.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

Settings settingsFor(const TestDatabase &db)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), db.url());
    QString error;
    return *Settings::load(nullptr, env, Settings::Profile::Daemon, &error);
}

template<typename T>
T await(QFuture<T> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 10000))
        qFatal("future did not finish");
    return future.result();
}

} // namespace

class TestChangeFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void otherProcessChangesArriveWithinTwoSeconds_data() { TestDatabase::addBackendRows(); }
    void otherProcessChangesArriveWithinTwoSeconds()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        GatewayCore core(settingsFor(db));
        core.start();
        QTRY_VERIFY_WITH_TIMEOUT(core.isReady(), 10000);
        const CliRunner cli(db.url());

        // A key created by the CLI works here.
        CliResult r = cli.run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), QStringLiteral("carol"),
                               QStringLiteral("--name"), QStringLiteral("k"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QString raw = r.json()[QLatin1String("key")].toString();
        const QString id = r.json()[QLatin1String("apiKey")][QLatin1String("id")].toString();
        const QString hash = SecretGenerator::hash(raw);
        ApiKeyPtr key = await(core.keyCache().lookup(hash));
        QVERIFY(key);
        QCOMPARE(key->id, id);
        QCOMPARE(key->statusAt(QDateTime::currentDateTimeUtc()), KeyStatus::Active);
        QCOMPARE(core.ledger().balance(id).remaining(), 100);

        // Unknown keys are remembered as unknown.
        QVERIFY(!await(core.keyCache().lookup(SecretGenerator::hash(QStringLiteral("sk_live_nope")))));
        bool known = false;
        QVERIFY(!core.keyCache().cached(SecretGenerator::hash(QStringLiteral("sk_live_nope")), &known));
        QVERIFY(known);

        // Revoked by the CLI: refused here within 2 s.
        QCOMPARE(cli.run({QStringLiteral("keys"), QStringLiteral("revoke"), id}).exitCode, 0);
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(core.keyCache().cached(hash, &known)
                                     && core.keyCache().cached(hash, &known)->statusAt(QDateTime::currentDateTimeUtc()) == KeyStatus::Revoked,
                                 2000);
        qInfo("revocation seen after %lld ms", clock.elapsed());

        // Credits granted by the CLI: spendable here within 2 s.
        QCOMPARE(cli.run({QStringLiteral("keys"), QStringLiteral("grant"), id, QStringLiteral("40")}).exitCode, 0);
        clock.restart();
        QTRY_COMPARE_WITH_TIMEOUT(core.ledger().balance(id).remaining(), 140, 2000);
        qInfo("grant seen after %lld ms", clock.elapsed());

        // A tier changed by the CLI: new limits and allowances here within 2 s.
        QCOMPARE(cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("free"), QStringLiteral("--rate"),
                          QStringLiteral("33"), QStringLiteral("--credits"), QStringLiteral("300")}).exitCode, 0);
        clock.restart();
        QTRY_COMPARE_WITH_TIMEOUT(core.tiers().find(QStringLiteral("free"))->rateLimit, 33, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(core.ledger().balance(id).remaining(), 340, 2000);
        qInfo("tier change seen after %lld ms", clock.elapsed());
        core.shutdown();
    }
};

QTEST_GUILESS_MAIN(TestChangeFeed)
#include "tst_changefeed.moc"
