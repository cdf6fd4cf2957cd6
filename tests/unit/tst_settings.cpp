#include "core/config/DatabaseUrl.h"
#include "core/config/Settings.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QtTest>

#include <memory>
#include <vector>

using namespace tollgate;

Q_DECLARE_METATYPE(tollgate::Settings::Profile)
Q_DECLARE_METATYPE(tollgate::DatabaseUrl::Kind)

namespace {

// Renders any setting's typed value as text, so one column can compare them all.
QString render(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QList<QUrl>>()) {
        QStringList urls;
        for (const QUrl &url : value.value<QList<QUrl>>())
            urls.append(url.toString());
        return urls.join(u',');
    }
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList().join(u',');
    return value.toString();
}

// A NAME=VALUE list ("PORT=1", "LOG_LEVEL=debug") as an environment.
QProcessEnvironment environment(const QStringList &assignments)
{
    QProcessEnvironment env;
    for (const QString &assignment : assignments)
        env.insert(assignment.section(u'=', 0, 0), assignment.section(u'=', 1));
    return env;
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    // Events are signed: a webhook URL without its secret stops start-up, naming both.
    void webhookUrlNeedsSecret()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("WEBHOOK_URL"), QStringLiteral("https://hooks.example.com/tollgate"));
        QString error;
        QVERIFY(!Settings::load(nullptr, env, Settings::Profile::Daemon, &error));
        QCOMPARE(error, QStringLiteral("WEBHOOK_URL: set, but WEBHOOK_SECRET is not; events are signed with it"));
        env.insert(QStringLiteral("WEBHOOK_SECRET"), QStringLiteral("s3cret"));
        QVERIFY2(Settings::load(nullptr, env, Settings::Profile::Daemon, &error), qPrintable(error));
    }

    void initTestCase();

    void precedence_data();
    void precedence();
    void logLevelSpellings_data();
    void logLevelSpellings();
    void defaultsMatchTheContract_data();
    void defaultsMatchTheContract();
    void listenAddressDependsOnProfile_data();
    void listenAddressDependsOnProfile();
    void defaultDatabaseIsSqliteInAppData();
    void badValueStopsWithOneLineNamingTheVariable_data();
    void badValueStopsWithOneLineNamingTheVariable();
    void badFlagIsNamed();
    void redisFromUrlOrParts_data();
    void redisFromUrlOrParts();
    void badRedisUrlHidesItsPassword();
    void badFileValueIsNamed();
    void unknownIniNamesStopStartUp_data();
    void unknownIniNamesStopStartUp();
    void stateDirectoryHoldsTheDefaultDatabase();
    void missingConfigFile();
    void badDatabaseUrlErrorDoesNotLeakPassword();
    void upstreamLists_data();
    void upstreamLists();
    void stringLists_data();
    void stringLists();
    void jwksUrl_data();
    void jwksUrl();
    void iniStringValues_data();
    void iniStringValues();

    void databaseUrlParse_data();
    void databaseUrlParse();
    void databaseUrlInvalid_data();
    void databaseUrlInvalid();
    void databaseUrlRedactedHidesPassword_data();
    void databaseUrlRedactedHidesPassword();

private:
    // Writes an INI file that lives as long as the test object; returns its path.
    QString writeIni(const QByteArray &content);
    std::optional<Settings> load(const QStringList &flags, const QProcessEnvironment &env, QString *error,
                                 Settings::Profile profile = Settings::Profile::Daemon);

    std::vector<std::unique_ptr<QTemporaryFile>> m_files;
};

void TestSettings::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

QString TestSettings::writeIni(const QByteArray &content)
{
    auto file = std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/tst_settings_XXXXXX.ini"));
    if (!file->open())
        return {};
    file->write(content);
    file->close();
    const QString path = file->fileName();
    m_files.push_back(std::move(file));
    return path;
}

std::optional<Settings> TestSettings::load(const QStringList &flags, const QProcessEnvironment &env,
                                           QString *error, Settings::Profile profile)
{
    QCommandLineParser parser;
    Settings::addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("tollgated")} + flags)) {
        *error = QStringLiteral("parser: ") + parser.errorText();
        return std::nullopt;
    }
    return Settings::load(&parser, env, profile, error);
}

void TestSettings::precedence_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("flag");   // value of --<name>, empty: not given
    QTest::addColumn<QString>("env");    // empty: not set
    QTest::addColumn<QString>("file");   // empty: not in the INI file
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("source"); // flag, env, file or default

    struct Case { const char *name; const char *flag; const char *env; const char *file; const char *deflt; };
    const Case cases[] = {
        {"PORT", "4001", "4002", "4003", "3030"},
        {"LOG_LEVEL", "debug", "warning", "error", "info"},
        {"REDIS_HOST", "flag.example", "env.example", "file.example", "localhost"},
        {"RATE_LIMIT_BACKEND", "redis", "local", "redis", "local"},
        {"USAGE_FLUSH_INTERVAL_MS", "250", "500", "750", "1000"},
        {"LISTEN_ADDRESS", "::1", "10.0.0.1", "192.168.0.1", "0.0.0.0"},
        {"SEARCH_SERVICE_URL", "http://flag:1", "http://env:2", "http://file:3", "http://localhost:3021"},
    };
    for (const Case &c : cases) {
        const QString n = QString::fromLatin1(c.name);
        QTest::addRow("%s: flag beats env and file", c.name) << n << c.flag << c.env << c.file << c.flag << "flag";
        QTest::addRow("%s: flag beats file", c.name) << n << c.flag << "" << c.file << c.flag << "flag";
        QTest::addRow("%s: env beats file", c.name) << n << "" << c.env << c.file << c.env << "env";
        QTest::addRow("%s: env alone", c.name) << n << "" << c.env << "" << c.env << "env";
        QTest::addRow("%s: file beats default", c.name) << n << "" << "" << c.file << c.file << "file";
        QTest::addRow("%s: default", c.name) << n << "" << "" << "" << c.deflt << "default";
    }
}

void TestSettings::precedence()
{
    QFETCH(QString, name);
    QFETCH(QString, flag);
    QFETCH(QString, env);
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QFETCH(QString, source);

    const QString flagName = name.toLower().replace(u'_', u'-');
    QStringList flags;
    if (!flag.isEmpty())
        flags << QStringLiteral("--") + flagName << flag;

    // The INI file is always given; it holds the setting only when the row says so, plus an
    // unrelated setting so that an empty file is never the reason a value is missing.
    QByteArray ini = "REDIS_PREFIX=fromfile:\n";
    if (!file.isEmpty())
        ini += name.toLatin1() + '=' + file.toLatin1() + '\n';
    const QString iniPath = writeIni(ini);
    QVERIFY(!iniPath.isEmpty());
    flags << QStringLiteral("--config") << iniPath;

    QProcessEnvironment environment;
    if (!env.isEmpty())
        environment.insert(name, env);

    QString error;
    const auto settings = load(flags, environment, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QCOMPARE(render(settings->value(name)), expected);
    QCOMPARE(settings->redisPrefix(), QStringLiteral("fromfile:"));
    QCOMPARE(settings->configFile(), iniPath);

    const QString actualSource = settings->source(name);
    if (source == QLatin1String("flag"))
        QCOMPARE(actualSource, QStringLiteral("--") + flagName);
    else if (source == QLatin1String("env"))
        QCOMPARE(actualSource, name);
    else if (source == QLatin1String("file"))
        QVERIFY2(actualSource.startsWith(name) && actualSource.contains(iniPath), qPrintable(actualSource));
    else
        QCOMPARE(actualSource, QStringLiteral("default"));
}

void TestSettings::defaultsMatchTheContract_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("PORT") << "PORT" << "3030";
    QTest::newRow("LISTEN_ADDRESS") << "LISTEN_ADDRESS" << "0.0.0.0";
    QTest::newRow("RATE_LIMIT_BACKEND") << "RATE_LIMIT_BACKEND" << "local";
    QTest::newRow("REDIS_HOST") << "REDIS_HOST" << "localhost";
    QTest::newRow("REDIS_PORT") << "REDIS_PORT" << "6379";
    QTest::newRow("REDIS_PASSWORD") << "REDIS_PASSWORD" << "";
    QTest::newRow("REDIS_PREFIX") << "REDIS_PREFIX" << "tollgate:";
    QTest::newRow("REDIS_URL") << "REDIS_URL" << "";
    QTest::newRow("REDIS_FAILURE_MODE") << "REDIS_FAILURE_MODE" << "local";
    QTest::newRow("SEARCH_SERVICE_URL") << "SEARCH_SERVICE_URL" << "http://localhost:3021";
    QTest::newRow("STT_SERVICE_URL") << "STT_SERVICE_URL" << "http://localhost:3020";
    QTest::newRow("TTS_SERVICE_URL") << "TTS_SERVICE_URL" << "http://localhost:3022";
    QTest::newRow("ADMIN_USER_IDS") << "ADMIN_USER_IDS" << "";
    QTest::newRow("CORS_ORIGINS") << "CORS_ORIGINS" << "";
    QTest::newRow("API_KEY_PREFIX_LIVE") << "API_KEY_PREFIX_LIVE" << "sk_live_";
    QTest::newRow("API_KEY_PREFIX_TEST") << "API_KEY_PREFIX_TEST" << "sk_test_";
    QTest::newRow("LOG_FORMAT") << "LOG_FORMAT" << "json";
    QTest::newRow("LOG_LEVEL") << "LOG_LEVEL" << "info";
    QTest::newRow("UPSTREAM_HEALTH_PATH") << "UPSTREAM_HEALTH_PATH" << "/health";
    QTest::newRow("UPSTREAM_HEALTH_INTERVAL_MS") << "UPSTREAM_HEALTH_INTERVAL_MS" << "5000";
    QTest::newRow("UPSTREAM_FAILURES_TO_OPEN") << "UPSTREAM_FAILURES_TO_OPEN" << "5";
    QTest::newRow("UPSTREAM_OPEN_MS") << "UPSTREAM_OPEN_MS" << "10000";
}

void TestSettings::defaultsMatchTheContract()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);

    QString error;
    const auto loaded = Settings::load(nullptr, QProcessEnvironment(), Settings::Profile::Daemon, &error);
    QVERIFY2(loaded.has_value(), qPrintable(error));
    QCOMPARE(render(loaded->value(name)), expected);
    QCOMPARE(loaded->source(name), QStringLiteral("default"));
    QCOMPARE(render(Settings::defaults().value(name)), expected);
}

void TestSettings::listenAddressDependsOnProfile_data()
{
    QTest::addColumn<Settings::Profile>("profile");
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("expected");
    QTest::newRow("daemon default") << Settings::Profile::Daemon << "" << "0.0.0.0";
    QTest::newRow("console default") << Settings::Profile::Console << "" << "127.0.0.1";
    QTest::newRow("console, env wins") << Settings::Profile::Console << "0.0.0.0" << "0.0.0.0";
    QTest::newRow("daemon, env wins") << Settings::Profile::Daemon << "127.0.0.1" << "127.0.0.1";
}

void TestSettings::listenAddressDependsOnProfile()
{
    QFETCH(Settings::Profile, profile);
    QFETCH(QString, env);
    QFETCH(QString, expected);

    QProcessEnvironment environment;
    if (!env.isEmpty())
        environment.insert(QStringLiteral("LISTEN_ADDRESS"), env);
    QString error;
    const auto settings = Settings::load(nullptr, environment, profile, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QCOMPARE(settings->listenAddress(), QHostAddress(expected));
    if (env.isEmpty())
        QCOMPARE(Settings::defaults(profile).listenAddress(), QHostAddress(expected));
}

void TestSettings::defaultDatabaseIsSqliteInAppData()
{
    QString error;
    const auto settings = Settings::load(nullptr, QProcessEnvironment(), Settings::Profile::Daemon, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));

    const QString url = settings->value(QStringLiteral("DATABASE_URL")).toString();
    QVERIFY2(url.startsWith(QLatin1String("sqlite:")), qPrintable(url));
    QVERIFY2(url.endsWith(QLatin1String("tollgate.db")), qPrintable(url));
    QCOMPARE(url, DatabaseUrl::defaultSqliteUrl());
    QCOMPARE(settings->source(QStringLiteral("DATABASE_URL")), QStringLiteral("default"));

    const DatabaseUrl db = settings->database();
    QCOMPARE(db.kind, DatabaseUrl::Kind::Sqlite);
    QCOMPARE(db.driverName(), QStringLiteral("QSQLITE"));
    QVERIFY2(db.path.endsWith(QLatin1String("/tollgate.db")), qPrintable(db.path));
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QVERIFY(!appData.isEmpty());
    QVERIFY2(db.path.startsWith(appData), qPrintable(db.path + QStringLiteral(" vs ") + appData));
}

void TestSettings::badValueStopsWithOneLineNamingTheVariable_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::newRow("PORT=0") << "PORT" << "0";
    QTest::newRow("PORT=70000") << "PORT" << "70000";
    QTest::newRow("PORT=abc") << "PORT" << "abc";
    QTest::newRow("PORT=-1") << "PORT" << "-1";
    QTest::newRow("PORT empty") << "PORT" << "";
    QTest::newRow("REDIS_PORT=65536") << "REDIS_PORT" << "65536";
    QTest::newRow("RATE_LIMIT_BACKEND=memcached") << "RATE_LIMIT_BACKEND" << "memcached";
    QTest::newRow("REDIS_URL=http://x") << "REDIS_URL" << "http://x:6379";
    QTest::newRow("REDIS_URL without host") << "REDIS_URL" << "redis://:6379";
    QTest::newRow("REDIS_URL port 70000") << "REDIS_URL" << "redis://h:70000";
    QTest::newRow("REDIS_URL db not a number") << "REDIS_URL" << "redis://h:6379/zero";
    QTest::newRow("REDIS_FAILURE_MODE=ignore") << "REDIS_FAILURE_MODE" << "ignore";
    QTest::newRow("REDIS_TIMEOUT_MS=0") << "REDIS_TIMEOUT_MS" << "0";
    QTest::newRow("DATABASE_URL=mysql://x") << "DATABASE_URL" << "mysql://x";
    QTest::newRow("DATABASE_URL without db") << "DATABASE_URL" << "postgresql://host-without-db";
    QTest::newRow("DATABASE_URL=sqlite:") << "DATABASE_URL" << "sqlite:";
    QTest::newRow("DATABASE_URL bad busy timeout") << "DATABASE_URL" << "sqlite:/x.db?busy_timeout_ms=soon";
    QTest::newRow("SEARCH_SERVICE_URL=ftp://x") << "SEARCH_SERVICE_URL" << "ftp://x";
    QTest::newRow("STT_SERVICE_URL second entry bad") << "STT_SERVICE_URL" << "http://a:1,ftp://b";
    QTest::newRow("TTS_SERVICE_URL only commas") << "TTS_SERVICE_URL" << ", ,";
    QTest::newRow("MANA_CORE_AUTH_URL=ftp://auth") << "MANA_CORE_AUTH_URL" << "ftp://auth";
    QTest::newRow("JWKS_URL=file:///etc/passwd") << "JWKS_URL" << "file:///etc/passwd";
    QTest::newRow("LISTEN_ADDRESS=not-an-ip") << "LISTEN_ADDRESS" << "not-an-ip";
    QTest::newRow("LISTEN_ADDRESS=1.2.3") << "LISTEN_ADDRESS" << "1.2.3";
    QTest::newRow("LOG_LEVEL=loud") << "LOG_LEVEL" << "loud";
    QTest::newRow("LOG_FORMAT=xml") << "LOG_FORMAT" << "xml";
    QTest::newRow("USAGE_FLUSH_INTERVAL_MS below minimum") << "USAGE_FLUSH_INTERVAL_MS" << "49";
    QTest::newRow("AUTH_FAILURE_LIMIT=0") << "AUTH_FAILURE_LIMIT" << "0";
    QTest::newRow("UPSTREAM_HEALTH_PATH without /") << "UPSTREAM_HEALTH_PATH" << "health";
    QTest::newRow("UPSTREAM_HEALTH_PATH a URL") << "UPSTREAM_HEALTH_PATH" << "http://x/health";
    QTest::newRow("UPSTREAM_HEALTH_PATH //host") << "UPSTREAM_HEALTH_PATH" << "//evil/health";
    QTest::newRow("UPSTREAM_HEALTH_INTERVAL_MS=0") << "UPSTREAM_HEALTH_INTERVAL_MS" << "0";
    QTest::newRow("UPSTREAM_FAILURES_TO_OPEN=0") << "UPSTREAM_FAILURES_TO_OPEN" << "0";
    QTest::newRow("UPSTREAM_OPEN_MS=soon") << "UPSTREAM_OPEN_MS" << "soon";
    QTest::newRow("BILLING_PLAN_TIERS without a tier") << "BILLING_PLAN_TIERS" << "price_1Pro";
    QTest::newRow("BILLING_PLAN_TIERS tier not a slug") << "BILLING_PLAN_TIERS" << "price_1Pro:Pro Plan";
    QTest::newRow("BILLING_PLAN_TIERS id mapped twice") << "BILLING_PLAN_TIERS" << "price_1:pro,price_1:enterprise";
    QTest::newRow("BILLING_PLAN_TIERS empty id") << "BILLING_PLAN_TIERS" << ":pro";
}

void TestSettings::badValueStopsWithOneLineNamingTheVariable()
{
    QFETCH(QString, name);
    QFETCH(QString, value);

    QString error;
    const auto settings = Settings::load(nullptr, environment({name + u'=' + value}), Settings::Profile::Daemon, &error);
    // Bug: Settings.cpp convert() checks Type::Address with QHostAddress::setAddress(), which takes
    // the inet_aton short form: "1.2.3" is accepted as 1.2.0.3.
    QVERIFY(!settings.has_value());
    QVERIFY2(error.startsWith(name + u':'), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("\"%1\"").arg(value)), qPrintable(error));
}

void TestSettings::redisFromUrlOrParts_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("db");
    QTest::newRow("defaults") << QStringList() << "localhost" << 6379 << "" << 0;
    QTest::newRow("parts") << QStringList{"REDIS_HOST=r.example", "REDIS_PORT=6380", "REDIS_PASSWORD=pw"} << "r.example" << 6380 << "pw" << 0;
    QTest::newRow("url") << QStringList{"REDIS_URL=redis://:s%40cret@10.0.0.5:7000/4"} << "10.0.0.5" << 7000 << "s@cret" << 4;
    QTest::newRow("url wins over parts") << QStringList{"REDIS_URL=redis://u.example", "REDIS_HOST=p.example", "REDIS_PORT=1"}
                                         << "u.example" << 6379 << "" << 0;
    QTest::newRow("url with ACL user") << QStringList{"REDIS_URL=redis://gate:pw@h:1/0"} << "h" << 1 << "pw" << 0;
}

void TestSettings::redisFromUrlOrParts()
{
    QFETCH(QStringList, env);
    QString error;
    const auto settings = Settings::load(nullptr, environment(env), Settings::Profile::Daemon, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    const RedisUrl redis = settings->redis();
    QTEST(redis.host, "host");
    QTEST(redis.port, "port");
    QTEST(redis.password, "password");
    QTEST(redis.db, "db");
    QVERIFY(!redis.redacted().contains(QLatin1String("pw")) || redis.password.isEmpty());
}

void TestSettings::badRedisUrlHidesItsPassword()
{
    QString error;
    const auto settings = Settings::load(nullptr, environment({QStringLiteral("REDIS_URL=redis://:topsecret@h:99999")}),
                                         Settings::Profile::Daemon, &error);
    QVERIFY(!settings.has_value());
    QVERIFY2(error.startsWith(QLatin1String("REDIS_URL:")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("topsecret")), qPrintable(error));
}

void TestSettings::badFlagIsNamed()
{
    QString error;
    const auto settings = load({QStringLiteral("--port"), QStringLiteral("70000")},
                               environment({QStringLiteral("PORT=4000")}), &error);
    QVERIFY(!settings.has_value());
    QVERIFY2(error.startsWith(QLatin1String("--port:")), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestSettings::badFileValueIsNamed()
{
    const QString ini = writeIni("LOG_LEVEL=loud\n");
    QString error;
    const auto settings = load({QStringLiteral("--config"), ini}, QProcessEnvironment(), &error);
    QVERIFY(!settings.has_value());
    QVERIFY2(error.startsWith(QLatin1String("LOG_LEVEL")), qPrintable(error));
    QVERIFY2(error.contains(ini), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));

    // An environment value hides the bad one in the file.
    const auto fixed = load({QStringLiteral("--config"), ini}, environment({QStringLiteral("LOG_LEVEL=debug")}), &error);
    QVERIFY2(fixed.has_value(), qPrintable(error));
    QCOMPARE(fixed->logLevel(), QStringLiteral("debug"));
}

void TestSettings::unknownIniNamesStopStartUp_data()
{
    QTest::addColumn<QString>("ini");
    QTest::addColumn<QString>("expected");
    QTest::newRow("misspelled key") << QStringLiteral("PORT=1\nPROT=3031\n") << QStringLiteral(":2: unknown setting \"PROT\" (did you mean PORT?)");
    QTest::newRow("lower case") << QStringLiteral("log_level=debug\n") << QStringLiteral(":1: unknown setting \"log_level\" (did you mean LOG_LEVEL?)");
    QTest::newRow("nothing like it") << QStringLiteral("# ok\nFROBNICATE=1\n") << QStringLiteral(":2: unknown setting \"FROBNICATE\"");
    QTest::newRow("unknown section") << QStringLiteral("[route]\nsearch.timeoutMs=5\n") << QStringLiteral(":1: unknown section [route] (known: [routes])");
    QTest::newRow("not a line") << QStringLiteral("PORT=1\njust words\n") << QStringLiteral(":2: expected KEY=VALUE, [section] or a comment");
}

void TestSettings::unknownIniNamesStopStartUp()
{
    QFETCH(QString, ini);
    QFETCH(QString, expected);
    const QString file = writeIni(ini.toUtf8());
    QString error;
    const auto settings = load({QStringLiteral("--config"), file}, QProcessEnvironment(), &error);
    QVERIFY(!settings.has_value());
    QCOMPARE(error, file + expected);
    // [General] is the top level, and [routes] is known.
    QVERIFY2(load({QStringLiteral("--config"), writeIni("[General]\nPORT=4000\n[routes]\nsearch.timeoutMs=5\n")},
                  QProcessEnvironment(), &error)
                 .has_value(),
             qPrintable(error));
}

void TestSettings::stateDirectoryHoldsTheDefaultDatabase()
{
    // systemd's StateDirectory=tollgate: a DynamicUser has no writable home, the unit's directory is the place.
    qputenv("STATE_DIRECTORY", "/var/lib/tollgate:/var/lib/other");
    const QString url = DatabaseUrl::defaultSqliteUrl();
    qunsetenv("STATE_DIRECTORY");
    QCOMPARE(url, QStringLiteral("sqlite:/var/lib/tollgate/tollgate.db"));
    QVERIFY(DatabaseUrl::defaultSqliteUrl() != url);
}

void TestSettings::missingConfigFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("does-not-exist.ini"));

    QString error;
    const auto settings = load({QStringLiteral("--config"), missing}, QProcessEnvironment(), &error);
    QVERIFY(!settings.has_value());
    QVERIFY2(error.startsWith(QLatin1String("--config")), qPrintable(error));
    QVERIFY2(error.contains(missing), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestSettings::badDatabaseUrlErrorDoesNotLeakPassword()
{
    // The start-up error is printed to the console and logs; DatabaseUrl::redacted() exists so
    // that the password never reaches them.
    QString error;
    const auto settings = Settings::load(
        nullptr, environment({QStringLiteral("DATABASE_URL=postgresql://tollgate:S3cretPw@db.internal")}),
        Settings::Profile::Daemon, &error);
    QVERIFY(!settings.has_value());
    QVERIFY2(error.startsWith(QLatin1String("DATABASE_URL:")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("S3cretPw")), qPrintable(error));
}

void TestSettings::upstreamLists_data()
{
    QTest::addColumn<QString>("flag");   // empty: not given
    QTest::addColumn<QString>("env");    // empty: not set
    QTest::addColumn<QByteArray>("ini"); // empty: no --config
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("bare host:port gets http://")
        << "" << "localhost:3021" << QByteArray() << QStringList{"http://localhost:3021"};
    QTest::newRow("https kept") << "" << "https://search.example.com" << QByteArray()
                                << QStringList{"https://search.example.com"};
    QTest::newRow("comma-separated env")
        << "" << "http://a:1,http://b:2,c:3" << QByteArray()
        << QStringList{"http://a:1", "http://b:2", "http://c:3"};
    QTest::newRow("spaces and empty parts ignored")
        << "" << " http://a:1 , ,b:2, " << QByteArray() << QStringList{"http://a:1", "http://b:2"};
    QTest::newRow("IPv6 literal") << "" << "[::1]:3021" << QByteArray() << QStringList{"http://[::1]:3021"};
    QTest::newRow("comma-separated flag")
        << "a:1,b:2" << "" << QByteArray() << QStringList{"http://a:1", "http://b:2"};
    QTest::newRow("INI value with commas")
        << "" << "" << QByteArray("SEARCH_SERVICE_URL=http://a:1,http://b:2, c:3\n")
        << QStringList{"http://a:1", "http://b:2", "http://c:3"};
    QTest::newRow("INI value quoted")
        << "" << "" << QByteArray("SEARCH_SERVICE_URL=\"http://a:1,b:2\"\n")
        << QStringList{"http://a:1", "http://b:2"};
    QTest::newRow("INI single value")
        << "" << "" << QByteArray("SEARCH_SERVICE_URL=search:8080\n") << QStringList{"http://search:8080"};
}

void TestSettings::upstreamLists()
{
    QFETCH(QString, flag);
    QFETCH(QString, env);
    QFETCH(QByteArray, ini);
    QFETCH(QStringList, expected);

    QStringList flags;
    if (!flag.isEmpty())
        flags << QStringLiteral("--search-service-url") << flag;
    if (!ini.isEmpty())
        flags << QStringLiteral("--config") << writeIni(ini);
    QProcessEnvironment environment;
    if (!env.isEmpty())
        environment.insert(QStringLiteral("SEARCH_SERVICE_URL"), env);

    QString error;
    const auto settings = load(flags, environment, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QList<QUrl> expectedUrls;
    for (const QString &url : expected)
        expectedUrls.append(QUrl(url));
    QCOMPARE(settings->upstreamUrls(QStringLiteral("SEARCH_SERVICE_URL")), expectedUrls);
}

void TestSettings::stringLists_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("env");
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("ADMIN_USER_IDS env") << "ADMIN_USER_IDS" << "u1, u2,,u3" << QByteArray()
                                        << QStringList{"u1", "u2", "u3"};
    QTest::newRow("ADMIN_USER_IDS single") << "ADMIN_USER_IDS" << "u1" << QByteArray() << QStringList{"u1"};
    QTest::newRow("CORS_ORIGINS env") << "CORS_ORIGINS" << "https://a.example,https://b.example" << QByteArray()
                                      << QStringList{"https://a.example", "https://b.example"};
    QTest::newRow("CORS_ORIGINS INI with commas")
        << "CORS_ORIGINS" << "" << QByteArray("CORS_ORIGINS=https://a.example, https://b.example\n")
        << QStringList{"https://a.example", "https://b.example"};
}

void TestSettings::stringLists()
{
    QFETCH(QString, name);
    QFETCH(QString, env);
    QFETCH(QByteArray, ini);
    QFETCH(QStringList, expected);

    QStringList flags;
    if (!ini.isEmpty())
        flags << QStringLiteral("--config") << writeIni(ini);
    QProcessEnvironment environment;
    if (!env.isEmpty())
        environment.insert(name, env);
    QString error;
    const auto settings = load(flags, environment, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QCOMPARE(settings->value(name).toStringList(), expected);
    if (name == QLatin1String("ADMIN_USER_IDS"))
        QCOMPARE(settings->adminUserIds(), expected);
    else
        QCOMPARE(settings->corsOrigins(), expected);
}

void TestSettings::jwksUrl_data()
{
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("expected");
    QTest::newRow("neither") << QStringList{} << "";
    QTest::newRow("auth URL") << QStringList{"MANA_CORE_AUTH_URL=https://auth.example.com"}
                              << "https://auth.example.com/api/v1/auth/jwks";
    QTest::newRow("auth URL with trailing slash") << QStringList{"MANA_CORE_AUTH_URL=https://auth.example.com/"}
                                                  << "https://auth.example.com/api/v1/auth/jwks";
    QTest::newRow("auth URL with path and slashes")
        << QStringList{"MANA_CORE_AUTH_URL=http://auth:3001/core//"} << "http://auth:3001/core/api/v1/auth/jwks";
    QTest::newRow("auth URL without scheme") << QStringList{"MANA_CORE_AUTH_URL=localhost:3001"}
                                             << "http://localhost:3001/api/v1/auth/jwks";
    QTest::newRow("JWKS_URL alone") << QStringList{"JWKS_URL=https://keys.example.com/jwks.json"}
                                    << "https://keys.example.com/jwks.json";
    QTest::newRow("JWKS_URL wins")
        << QStringList{"MANA_CORE_AUTH_URL=https://auth.example.com", "JWKS_URL=https://keys.example.com/jwks.json"}
        << "https://keys.example.com/jwks.json";
}

void TestSettings::jwksUrl()
{
    QFETCH(QStringList, env);
    QFETCH(QString, expected);

    QString error;
    const auto settings = Settings::load(nullptr, environment(env), Settings::Profile::Daemon, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QCOMPARE(settings->jwksUrl(), expected.isEmpty() ? QUrl() : QUrl(expected));
}

void TestSettings::iniStringValues_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QByteArray("REDIS_PASSWORD=hunter2") << "hunter2";
    QTest::newRow("quoted with comma and space") << QByteArray("REDIS_PASSWORD=\"ab, cd\"") << "ab, cd";
    QTest::newRow("comma without space") << QByteArray("REDIS_PASSWORD=ab,cd") << "ab,cd";
    QTest::newRow("comma and space") << QByteArray("REDIS_PASSWORD=ab, cd") << "ab, cd";
}

void TestSettings::iniStringValues()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);

    QString error;
    const auto settings = load({QStringLiteral("--config"), writeIni(line + '\n')}, QProcessEnvironment(), &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    // Bug: Settings.cpp load() rejoins the QStringList that QSettings makes of an unquoted value
    // with ',' for every setting, so a plain string loses the spaces after its commas.
    QCOMPARE(settings->redisPassword(), expected);
}

void TestSettings::databaseUrlParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<DatabaseUrl::Kind>("kind");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<int>("busyTimeoutMs");
    QTest::addColumn<int>("connectTimeoutSeconds");

    const auto pg = DatabaseUrl::Kind::Postgres;
    const auto lite = DatabaseUrl::Kind::Sqlite;
    QTest::newRow("postgresql full") << "postgresql://alice:pw@db.example:6543/tollgate" << pg << ""
                                     << "db.example" << 6543 << "alice" << "pw" << "tollgate" << 5000 << 5;
    QTest::newRow("postgres scheme, default port") << "postgres://alice:pw@db.example/tollgate" << pg << ""
                                                   << "db.example" << 5432 << "alice" << "pw" << "tollgate"
                                                   << 5000 << 5;
    QTest::newRow("postgresql no credentials") << "postgresql://localhost/tg" << pg << "" << "localhost" << 5432
                                               << "" << "" << "tg" << 5000 << 5;
    QTest::newRow("postgresql user only") << "postgresql://bob@localhost:5433/tg" << pg << "" << "localhost"
                                          << 5433 << "bob" << "" << "tg" << 5000 << 5;
    QTest::newRow("postgresql percent-encoded password")
        << "postgresql://bob:p%40ss%3Aword@h/tg" << pg << "" << "h" << 5432 << "bob" << "p@ss:word" << "tg"
        << 5000 << 5;
    QTest::newRow("postgresql connect_timeout") << "postgresql://h/tg?connect_timeout=12" << pg << "" << "h"
                                                << 5432 << "" << "" << "tg" << 5000 << 12;
    QTest::newRow("sqlite:/abs/path") << "sqlite:/var/lib/tollgate/tollgate.db" << lite
                                      << "/var/lib/tollgate/tollgate.db" << "" << 5432 << "" << "" << ""
                                      << 5000 << 5;
    QTest::newRow("sqlite:///abs/path") << "sqlite:///var/lib/tollgate/tollgate.db" << lite
                                        << "/var/lib/tollgate/tollgate.db" << "" << 5432 << "" << "" << ""
                                        << 5000 << 5;
    QTest::newRow("sqlite relative") << "sqlite:data/tollgate.db" << lite << "data/tollgate.db" << "" << 5432
                                     << "" << "" << "" << 5000 << 5;
    QTest::newRow("sqlite busy_timeout_ms") << "sqlite:/tmp/t.db?busy_timeout_ms=250" << lite << "/tmp/t.db"
                                            << "" << 5432 << "" << "" << "" << 250 << 5;
    QTest::newRow("sqlite busy_timeout_ms=0") << "sqlite:///tmp/t.db?busy_timeout_ms=0" << lite << "/tmp/t.db"
                                              << "" << 5432 << "" << "" << "" << 0 << 5;
}

void TestSettings::databaseUrlParse()
{
    QFETCH(QString, text);
    QFETCH(DatabaseUrl::Kind, kind);
    QFETCH(QString, path);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);
    QFETCH(int, busyTimeoutMs);
    QFETCH(int, connectTimeoutSeconds);

    QString error;
    const auto db = DatabaseUrl::parse(text, &error);
    QVERIFY2(db.has_value(), qPrintable(error));
    QCOMPARE(db->kind, kind);
    QCOMPARE(db->driverName(), kind == DatabaseUrl::Kind::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"));
    QCOMPARE(db->path, path);
    QCOMPARE(db->host, host);
    QCOMPARE(db->port, port);
    QCOMPARE(db->user, user);
    QCOMPARE(db->password, password);
    QCOMPARE(db->database, database);
    QCOMPARE(db->busyTimeoutMs, busyTimeoutMs);
    QCOMPARE(db->connectTimeoutSeconds, connectTimeoutSeconds);

    // The same text through Settings ends up as settings.database().
    const auto settings = Settings::load(nullptr, environment({QStringLiteral("DATABASE_URL=") + text}),
                                         Settings::Profile::Daemon, &error);
    QVERIFY2(settings.has_value(), qPrintable(error));
    QCOMPARE(settings->database().kind, kind);
    QCOMPARE(settings->database().path, path);
    QCOMPARE(settings->database().database, database);
}

void TestSettings::databaseUrlInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("mysql") << "mysql://x";
    QTest::newRow("no scheme") << "localhost/tollgate";
    QTest::newRow("no database") << "postgresql://host-without-db";
    QTest::newRow("no database, trailing slash") << "postgresql://u:p@host/";
    QTest::newRow("no host") << "postgresql:///tollgate";
    QTest::newRow("port out of range") << "postgresql://h:70000/tg";
    QTest::newRow("bad connect_timeout") << "postgresql://h/tg?connect_timeout=-1";
    QTest::newRow("sqlite without path") << "sqlite:";
    QTest::newRow("sqlite only slashes") << "sqlite://";
    QTest::newRow("sqlite only query") << "sqlite:?busy_timeout_ms=5";
    QTest::newRow("sqlite bad busy_timeout_ms") << "sqlite:/x.db?busy_timeout_ms=abc";
    QTest::newRow("sqlite negative busy_timeout_ms") << "sqlite:/x.db?busy_timeout_ms=-5";
}

void TestSettings::databaseUrlInvalid()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!DatabaseUrl::parse(text, &error).has_value());
    QVERIFY(!error.isEmpty());
    QVERIFY(!DatabaseUrl::parse(text).has_value());  // no error pointer: no crash
}

void TestSettings::databaseUrlRedactedHidesPassword_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("redacted");
    QTest::newRow("postgresql") << "postgresql://alice:Hunter2Secret@db.example:6543/tollgate"
                                << "postgresql://alice@db.example:6543/tollgate";
    QTest::newRow("postgres, default port") << "postgres://alice:Hunter2Secret@db.example/tollgate"
                                            << "postgresql://alice@db.example:5432/tollgate";
    QTest::newRow("encoded password") << "postgresql://alice:Hunter2Secret%21@db/tg"
                                      << "postgresql://alice@db:5432/tg";
    QTest::newRow("sqlite") << "sqlite:///var/lib/tollgate.db?busy_timeout_ms=10" << "sqlite:/var/lib/tollgate.db";
}

void TestSettings::databaseUrlRedactedHidesPassword()
{
    QFETCH(QString, text);
    QFETCH(QString, redacted);
    const auto db = DatabaseUrl::parse(text);
    QVERIFY(db.has_value());
    QCOMPARE(db->redacted(), redacted);
    QVERIFY(!db->redacted().contains(QLatin1String("Hunter2Secret")));
}

// The spellings the predecessor's env files and other tools use: trace/debug, warn/warning, any case.
void TestSettings::logLevelSpellings_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("level");
    for (const auto &[given, level] : std::initializer_list<std::pair<const char *, const char *>>{
             {"trace", "debug"}, {"TRACE", "debug"}, {"debug", "debug"}, {"Info", "info"}, {"warn", "warning"},
             {"WARN", "warning"}, {"warning", "warning"}, {"Warning", "warning"}, {"error", "error"}, {" ERROR ", "error"}})
        QTest::newRow(given) << QString::fromLatin1(given) << QString::fromLatin1(level);
}

void TestSettings::logLevelSpellings()
{
    QFETCH(QString, given);
    QFETCH(QString, level);
    QString error;
    const auto settings = load({}, environment({QStringLiteral("LOG_LEVEL=") + given}), &error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(settings->logLevel(), level);
    // A wrong one still names the variable and every accepted spelling.
    QVERIFY(!load({}, environment({QStringLiteral("LOG_LEVEL=warnings")}), &error));
    QCOMPARE(error, QStringLiteral("LOG_LEVEL: invalid value \"warnings\": must be one of debug (or trace), info, warning (or warn), error"));
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
