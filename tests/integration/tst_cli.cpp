// Every tollgated command of the contract, run as a process against SQLite and PostgreSQL.
#include "CliRunner.h"
#include "TestDatabase.h"
#include "core/storage/Migrations.h"

#include <QDir>
#include <QProcess>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace tollgate;
using namespace tollgate::test;

namespace {

const QStringList KeyFields{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("userId"),
                            QStringLiteral("tier"), QStringLiteral("maskedKey"), QStringLiteral("isTest"), QStringLiteral("status"),
                            QStringLiteral("rateLimit"), QStringLiteral("rateWindowSeconds"), QStringLiteral("monthlyCredits"),
                            QStringLiteral("creditsUsed"), QStringLiteral("creditsRemaining"), QStringLiteral("allowedEndpoints"),
                            QStringLiteral("allowedIps"), QStringLiteral("expiresAt"), QStringLiteral("lastUsedAt"), QStringLiteral("createdAt")};

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

// Every text stored anywhere in the database, as one string to search.
QString everythingStored(const TestDatabase &db)
{
    QString all;
    {
        QSqlDatabase c = db.open(QStringLiteral("inspect"));
        for (const QString &table : c.tables()) {
            QSqlQuery q(c);
            q.exec(QStringLiteral("SELECT * FROM %1").arg(table));
            while (q.next()) {
                for (int i = 0; i < q.record().count(); ++i)
                    all += q.value(i).toString() + QLatin1Char('\n');
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inspect"));
    return all;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysLifecycle_data() { TestDatabase::addBackendRows(); }
    void keysLifecycle()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        const CliRunner cli(db.url());

        CliResult r = cli.run({QStringLiteral("migrate")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("version %1").arg(Migrations::latestVersion())));

        // Plain create prints the raw key once, with a warning.
        r = cli.run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), QStringLiteral("alice"),
                     QStringLiteral("--name"), QStringLiteral("Search bot")});
        QCOMPARE(r.exitCode, 0);
        const QRegularExpression keyPattern(QStringLiteral("sk_live_[0-9A-Za-z]{43}"));
        const QString plainKey = keyPattern.match(r.out).captured();
        QVERIFY2(!plainKey.isEmpty(), qPrintable(r.out));

        // JSON create: the contract's whole document {"key", "apiKey"}.
        r = cli.run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), QStringLiteral("bob"),
                     QStringLiteral("--name"), QStringLiteral("TTS"), QStringLiteral("--tier"), QStringLiteral("pro"),
                     QStringLiteral("--test"), QStringLiteral("--expires"), QStringLiteral("2099-01-31T12:00:00Z"),
                     QStringLiteral("--endpoints"), QStringLiteral("search,tts"), QStringLiteral("--ips"),
                     QStringLiteral("10.1.2.3/8,2001:db8::/32"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject created = r.json().object();
        QCOMPARE(sortedKeys(created), (QStringList{QStringLiteral("apiKey"), QStringLiteral("key")}));
        const QString rawKey = created[QLatin1String("key")].toString();
        QVERIFY(QRegularExpression(QStringLiteral("^sk_test_[0-9A-Za-z]{43}$")).match(rawKey).hasMatch());
        const QJsonObject apiKey = created[QLatin1String("apiKey")].toObject();
        QStringList expectedFields = KeyFields;
        expectedFields.sort();
        QCOMPARE(sortedKeys(apiKey), expectedFields);
        QCOMPARE(apiKey[QLatin1String("userId")].toString(), QStringLiteral("bob"));
        QCOMPARE(apiKey[QLatin1String("tier")].toString(), QStringLiteral("pro"));
        QCOMPARE(apiKey[QLatin1String("isTest")].toBool(), true);
        QCOMPARE(apiKey[QLatin1String("status")].toString(), QStringLiteral("active"));
        QCOMPARE(apiKey[QLatin1String("rateLimit")].toInt(), 100);
        QCOMPARE(apiKey[QLatin1String("monthlyCredits")].toInt(), 5000);
        QCOMPARE(apiKey[QLatin1String("creditsRemaining")].toInt(), 5000);
        QCOMPARE(apiKey[QLatin1String("expiresAt")].toString(), QStringLiteral("2099-01-31T12:00:00Z"));
        QCOMPARE(apiKey[QLatin1String("allowedEndpoints")].toArray(), (QJsonArray{QStringLiteral("search"), QStringLiteral("tts")}));
        QCOMPARE(apiKey[QLatin1String("allowedIps")].toArray(), (QJsonArray{QStringLiteral("10.0.0.0/8"), QStringLiteral("2001:db8::/32")}));
        QCOMPARE(apiKey[QLatin1String("maskedKey")].toString(), QStringLiteral("sk_test_…") + rawKey.right(4));
        const QString id = apiKey[QLatin1String("id")].toString();

        // list: newest first, both users; --user filters.
        r = cli.run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QJsonArray list = r.json().array();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).toObject()[QLatin1String("id")].toString(), id);
        r = cli.run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--user"), QStringLiteral("alice"), QStringLiteral("--json")});
        list = r.json().array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).toObject()[QLatin1String("userId")].toString(), QStringLiteral("alice"));
        const QString plainList = cli.run({QStringLiteral("keys"), QStringLiteral("list")}).out;
        QVERIFY(plainList.startsWith(QLatin1String("ID ")));
        QVERIFY(plainList.contains(id));

        // grant, then revoke; show reflects both.
        r = cli.run({QStringLiteral("keys"), QStringLiteral("grant"), id, QStringLiteral("250"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object()[QLatin1String("creditsRemaining")].toInt(), 5250);
        r = cli.run({QStringLiteral("keys"), QStringLiteral("revoke"), id});
        QCOMPARE(r.exitCode, 0);
        r = cli.run({QStringLiteral("keys"), QStringLiteral("show"), id, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object()[QLatin1String("status")].toString(), QStringLiteral("revoked"));
        QCOMPARE(r.json().object()[QLatin1String("creditsRemaining")].toInt(), 5250);
        QVERIFY(cli.run({QStringLiteral("keys"), QStringLiteral("show"), id}).out.contains(QLatin1String("revoked")));

        // The raw keys are nowhere: not in list or show output, not in any table, not in the SQLite files.
        const QString outputs = plainList + cli.run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")}).out
            + cli.run({QStringLiteral("keys"), QStringLiteral("show"), id}).out;
        for (const QString &secret : {plainKey, rawKey}) {
            QVERIFY(!outputs.contains(secret));
            QVERIFY(!outputs.contains(secret.mid(8, 20)));  // not even a fragment of the secret part
            QVERIFY(!everythingStored(db).contains(secret.mid(8)));
            if (!db.sqlitePath().isEmpty()) {
                const QDir dir = QFileInfo(db.sqlitePath()).dir();
                for (const QString &file : dir.entryList(QDir::Files)) {
                    QFile f(dir.filePath(file));
                    QVERIFY(f.open(QIODevice::ReadOnly));
                    QVERIFY2(!f.readAll().contains(secret.mid(8).toUtf8()), qPrintable(file));
                }
            }
        }

        // Every mutation is in the audit log with actor "cli".
        QSqlDatabase c = db.open(QStringLiteral("audit"));
        auto removeConnection = qScopeGuard([&c] {
            c = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("audit"));
        });
        QSqlQuery q(c);
        QVERIFY2(q.exec(QStringLiteral("SELECT action, actor, target_id FROM audit_log ORDER BY id")), qPrintable(q.lastError().text() + c.lastError().text()));
        QStringList actions;
        while (q.next()) {
            QCOMPARE(q.value(1).toString(), QStringLiteral("cli"));
            actions << q.value(0).toString();
        }
        QCOMPARE(actions, (QStringList{QStringLiteral("key.create"), QStringLiteral("key.create"), QStringLiteral("key.grant"),
                                       QStringLiteral("key.revoke")}));
        q.finish();
        c.close();
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        for (const QString &backend : {QStringLiteral("sqlite"), QStringLiteral("postgresql")}) {
            auto row = [&](const char *name, QStringList args, int code, const char *message) {
                QTest::addRow("%s/%s", qPrintable(backend), name) << backend << args << code << QString::fromUtf8(message);
            };
            row("no user", {"keys", "create", "--name", "x"}, 2, "--user is required");
            row("unknown tier", {"keys", "create", "--user", "u", "--name", "x", "--tier", "gold"}, 2, "tier: unknown tier \"gold\"");
            row("endpoint outside tier", {"keys", "create", "--user", "u", "--name", "x", "--endpoints", "stt"}, 2, "allowedEndpoints");
            row("bad cidr", {"keys", "create", "--user", "u", "--name", "x", "--ips", "10.0.0.0/33"}, 2, "allowedIps");
            row("bad expiry", {"keys", "create", "--user", "u", "--name", "x", "--expires", "tomorrow"}, 2, "--expires");
            row("past expiry", {"keys", "create", "--user", "u", "--name", "x", "--expires", "2001-01-01T00:00:00Z"}, 2, "expiresAt");
            row("unknown key", {"keys", "show", "key_doesnotexist"}, 1, "not found");
            row("revoke unknown", {"keys", "revoke", "key_doesnotexist"}, 1, "not found");
            row("grant zero", {"keys", "grant", "key_x", "0"}, 2, "CREDITS");
            row("grant text", {"keys", "grant", "key_x", "lots"}, 2, "CREDITS");
            row("grant negative", {"keys", "grant", "key_x", "-5"}, 2, "\"-5\" is negative");
            row("key unknown group", {"keys", "create", "--user", "u", "--name", "x", "--endpoints", "foo"}, 2,
                "unknown endpoint group \"foo\" (known: search, extract, stt, tts)");
            row("tier no rate", {"tiers", "set", "gold", "--credits", "5"}, 2, "--rate is required");
            row("tier zero rate", {"tiers", "set", "gold", "--rate", "0", "--credits", "5"}, 2, "--rate");
            row("tier bad group", {"tiers", "set", "gold", "--rate", "5", "--credits", "5", "--endpoints", "video"}, 2, "unknown endpoint group");
            row("endpoint limit syntax", {"tiers", "set", "gold", "--rate", "5", "--credits", "5", "--endpoint-limit", "stt=5per3600"}, 2,
                "--endpoint-limit: \"stt=5per3600\" is not GROUP=RATE/SECONDS");
            row("endpoint limit group", {"tiers", "set", "gold", "--rate", "5", "--credits", "5", "--endpoint-limit", "video=5/60"}, 2,
                "--endpoint-limit: unknown endpoint group \"video\"");
            row("endpoint limit zero", {"tiers", "set", "gold", "--rate", "5", "--credits", "5", "--endpoint-limit", "stt=0/60"}, 2,
                "--endpoint-limit");
            row("endpoint limit twice", {"tiers", "set", "gold", "--rate", "5", "--credits", "5", "--endpoint-limit", "stt=1/60",
                                         "--endpoint-limit", "stt=2/60"}, 2, "stt is given twice");
            row("endpoint limit elsewhere", {"keys", "list", "--endpoint-limit", "stt=1/60"}, 2, "--endpoint-limit does not apply");
            row("unknown command", {"frobnicate"}, 2, "unknown command");
            row("option of another command", {"keys", "list", "--rate", "5"}, 2, "--rate does not apply");
            row("token without name", {"admin-token", "create"}, 2, "--name is required");
            row("bad port", {"keys", "list", "--port", "0"}, 2, "--port");
        }
    }
    void badInput()
    {
        QFETCH(QString, backend);
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        const CliResult r = CliRunner(db.url()).run(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);  // one line
    }

    // PostgreSQL's NOTICEs ("relation schema_migrations already exists") never reach the terminal.
    void quietOnSuccess_data() { TestDatabase::addBackendRows(); }
    void quietOnSuccess()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        for (int i = 0; i < 2; ++i) {
            const CliResult r = CliRunner(db.url()).run({QStringLiteral("keys"), QStringLiteral("list")});
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.err, QString());
        }
    }

    // Each command has its own --help: its usage lines and the options it takes, not the daemon's 60 settings.
    void commandHelp()
    {
        const CliRunner cli(QStringLiteral("sqlite:/nonexistent/never-opened.db"));
        const CliResult keys = cli.run({QStringLiteral("keys"), QStringLiteral("--help")});
        QCOMPARE(keys.exitCode, 0);
        QVERIFY2(keys.out.contains(QLatin1String("keys create --user ID")) && keys.out.contains(QLatin1String("keys grant ID CREDITS")),
                 qPrintable(keys.out));
        QVERIFY2(!keys.out.contains(QLatin1String("tiers set")) && !keys.out.contains(QLatin1String("--http-body-min-rate")),
                 qPrintable(keys.out));
        const CliResult tiersSet = cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("--help")});
        QCOMPARE(tiersSet.exitCode, 0);
        QVERIFY(tiersSet.out.contains(QLatin1String("--endpoint-limit GROUP=RATE/SECONDS")));
        QVERIFY(!tiersSet.out.contains(QLatin1String("--user ID")));
        QVERIFY(tiersSet.out.count(QLatin1Char('\n')) < 25);
        const CliResult all = cli.run({QStringLiteral("--help")});
        QVERIFY(all.out.contains(QLatin1String("--http-body-min-rate")));
        const CliResult unknown = cli.run({QStringLiteral("frobnicate"), QStringLiteral("--help")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QLatin1String("unknown command \"frobnicate\"")));
    }

    void badEnvironmentStopsWithOneLine_data()
    {
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::newRow("port") << "PORT" << "99999";
        QTest::newRow("backend") << "RATE_LIMIT_BACKEND" << "memcached";
        QTest::newRow("database") << "DATABASE_URL" << "mysql://db/x";
        QTest::newRow("upstream") << "SEARCH_SERVICE_URL" << "ftp://search";
    }
    void badEnvironmentStopsWithOneLine()
    {
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QTemporaryDir dir;
        const CliResult r = CliRunner(QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("t.db")))
                                .run({QStringLiteral("keys"), QStringLiteral("list")}, {variable + QLatin1Char('=') + value});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("tollgated: ") + variable), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    }

    void tiers_data() { TestDatabase::addBackendRows(); }
    void tiers()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        const CliRunner cli(db.url());
        CliResult r = cli.run({QStringLiteral("tiers"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().array().size(), 3);

        r = cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("gold"), QStringLiteral("--rate"), QStringLiteral("500"),
                     QStringLiteral("--window"), QStringLiteral("30"), QStringLiteral("--credits"), QStringLiteral("20000"),
                     QStringLiteral("--endpoints"), QStringLiteral("search,stt"), QStringLiteral("--price-cents"), QStringLiteral("4900")});
        QCOMPARE(r.exitCode, 0);
        r = cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("free"), QStringLiteral("--rate"), QStringLiteral("20"),
                     QStringLiteral("--credits"), QStringLiteral("200")});
        QCOMPARE(r.exitCode, 0);
        r = cli.run({QStringLiteral("tiers"), QStringLiteral("list"), QStringLiteral("--json")});
        const QJsonArray tiers = r.json().array();
        QCOMPARE(tiers.size(), 4);
        QJsonObject gold, free;
        for (const QJsonValue &tier : tiers) {
            if (tier[QLatin1String("slug")] == QLatin1String("gold"))
                gold = tier.toObject();
            if (tier[QLatin1String("slug")] == QLatin1String("free"))
                free = tier.toObject();
        }
        QCOMPARE(gold, (QJsonObject{{"slug", "gold"}, {"name", "Gold"}, {"rateLimit", 500}, {"rateWindowSeconds", 30},
                                    {"monthlyCredits", 20000}, {"endpoints", QJsonArray{"search", "stt"}}, {"priceCents", 4900},
                                    {"endpointLimits", QJsonObject{}}}));
        // Only what was given changes: free keeps its window, endpoints and price.
        QCOMPARE(free, (QJsonObject{{"slug", "free"}, {"name", "Free"}, {"rateLimit", 20}, {"rateWindowSeconds", 60},
                                    {"monthlyCredits", 200}, {"endpoints", QJsonArray{"search"}}, {"priceCents", 0},
                                    {"endpointLimits", QJsonObject{}}}));
        // Endpoint limits: repeatable, stored, listed; given again they replace the set, and "none" clears it.
        r = cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("gold"), QStringLiteral("--rate"), QStringLiteral("500"),
                     QStringLiteral("--credits"), QStringLiteral("20000"), QStringLiteral("--endpoint-limit"), QStringLiteral("stt=5/3600"),
                     QStringLiteral("--endpoint-limit"), QStringLiteral("search=50/60"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject both{{"search", QJsonObject{{"rate", 50}, {"windowSeconds", 60}}},
                               {"stt", QJsonObject{{"rate", 5}, {"windowSeconds", 3600}}}};
        QCOMPARE(r.json()[QLatin1String("endpointLimits")].toObject(), both);
        r = cli.run({QStringLiteral("tiers"), QStringLiteral("list")});
        QVERIFY2(r.out.contains(QLatin1String("search=50/60,stt=5/3600")), qPrintable(r.out));
        r = cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("gold"), QStringLiteral("--rate"), QStringLiteral("500"),
                     QStringLiteral("--credits"), QStringLiteral("20000"), QStringLiteral("--json")});
        QCOMPARE(r.json()[QLatin1String("endpointLimits")].toObject(), both);  // not given: kept
        r = cli.run({QStringLiteral("tiers"), QStringLiteral("set"), QStringLiteral("gold"), QStringLiteral("--rate"), QStringLiteral("500"),
                     QStringLiteral("--credits"), QStringLiteral("20000"), QStringLiteral("--endpoint-limit"), QStringLiteral("none"),
                     QStringLiteral("--json")});
        QCOMPARE(r.json()[QLatin1String("endpointLimits")].toObject(), QJsonObject());
        // A key on the new tier gets its limits.
        r = cli.run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), QStringLiteral("u"),
                     QStringLiteral("--name"), QStringLiteral("g"), QStringLiteral("--tier"), QStringLiteral("gold"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json()[QLatin1String("apiKey")][QLatin1String("rateLimit")].toInt(), 500);
        QVERIFY(cli.run({QStringLiteral("tiers"), QStringLiteral("list")}).out.contains(QLatin1String("gold")));
    }

    // Admins script the CLI: several commands against one database at once must all succeed (SQLite used to answer
    // "database is locked" to a deferred transaction that needed the write lock midway).
    void concurrentCommands_data() { TestDatabase::addBackendRows(); }
    void concurrentCommands()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        QVERIFY(CliRunner(db.url()).run({QStringLiteral("migrate")}).exitCode == 0);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DATABASE_URL"), db.url());
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < 8; ++i) {
            auto process = std::make_unique<QProcess>();
            process->setProcessEnvironment(env);
            process->start(QStringLiteral(TOLLGATED_PATH), {QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"),
                                                            QStringLiteral("u%1").arg(i), QStringLiteral("--name"), QStringLiteral("k%1").arg(i)});
            processes.push_back(std::move(process));
        }
        for (auto &process : processes) {
            QVERIFY(process->waitForFinished(60000));
            QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
        }
        const CliResult list = CliRunner(db.url()).run({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.json().array().size(), 8);
    }

    void adminTokens_data() { TestDatabase::addBackendRows(); }
    void adminTokens()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        TOLLGATE_REQUIRE_DATABASE(db);
        const CliRunner cli(db.url());
        CliResult r = cli.run({QStringLiteral("admin-token"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("ops")});
        QCOMPARE(r.exitCode, 0);
        const QString token = QRegularExpression(QStringLiteral("tga_[0-9A-Za-z]{43}")).match(r.out).captured();
        QVERIFY2(!token.isEmpty(), qPrintable(r.out));

        r = cli.run({QStringLiteral("admin-token"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray tokens = r.json().array();
        QCOMPARE(tokens.size(), 1);
        const QString id = tokens.at(0)[QLatin1String("id")].toString();
        QCOMPARE(tokens.at(0)[QLatin1String("maskedToken")].toString(), QStringLiteral("tga_…") + token.right(4));
        QCOMPARE(tokens.at(0)[QLatin1String("status")].toString(), QStringLiteral("active"));
        QVERIFY(!r.out.contains(token.mid(4)));
        QVERIFY(!cli.run({QStringLiteral("admin-token"), QStringLiteral("list")}).out.contains(token.mid(4)));
        QVERIFY(!everythingStored(db).contains(token.mid(4)));

        r = cli.run({QStringLiteral("admin-token"), QStringLiteral("revoke"), id});
        QCOMPARE(r.exitCode, 0);
        r = cli.run({QStringLiteral("admin-token"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.json().array().at(0)[QLatin1String("status")].toString(), QStringLiteral("revoked"));
        QCOMPARE(cli.run({QStringLiteral("admin-token"), QStringLiteral("revoke"), QStringLiteral("tok_missing")}).exitCode, 1);
        QVERIFY(everythingStored(db).contains(QLatin1String("admin_token.revoke")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
