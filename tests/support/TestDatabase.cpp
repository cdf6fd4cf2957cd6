#include "TestDatabase.h"

#include "core/storage/DatabaseConnection.h"
#include "core/keys/SecretGenerator.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

namespace tollgate::test {

namespace {

QString adminConnection() { return QStringLiteral("tollgate-test-admin"); }

bool runAdmin(const QString &adminUrl, const QString &statement, QString *error)
{
    QSqlDatabase db;
    QString name = adminConnection();
    if (!DatabaseConnection::open(*DatabaseUrl::parse(adminUrl), name, &db, error))
        return false;
    QSqlQuery query(db);
    const bool ok = query.exec(statement);
    if (!ok)
        *error = query.lastError().text();
    query.finish();
    db.close();
    return ok;
}

} // namespace

TestDatabase::TestDatabase(const QString &backend) : m_backend(backend)
{
    if (backend == QLatin1String("sqlite")) {
        m_dir = std::make_unique<QTemporaryDir>();
        m_url = QStringLiteral("sqlite:") + m_dir->filePath(QStringLiteral("tollgate.db"));
        m_available = m_dir->isValid();
        m_reason = QStringLiteral("cannot create a temporary directory");
        return;
    }
    m_pgAdminUrl = qEnvironmentVariable("TOLLGATE_TEST_PG_URL");
    if (m_pgAdminUrl.isEmpty()) {
        m_reason = QStringLiteral("TOLLGATE_TEST_PG_URL is not set: run scripts/test.sh, which starts PostgreSQL");
        return;
    }
    m_pgDatabase = QStringLiteral("tg_") + SecretGenerator::randomBase62(12).toLower();
    QString error;
    if (!runAdmin(m_pgAdminUrl, QStringLiteral("CREATE DATABASE %1").arg(m_pgDatabase), &error)) {
        m_reason = QStringLiteral("cannot create a PostgreSQL test database: ") + error;
        m_pgDatabase.clear();
        return;
    }
    DatabaseUrl url = *DatabaseUrl::parse(m_pgAdminUrl);
    m_url = QStringLiteral("postgresql://%1@%2:%3/%4").arg(url.user, url.host).arg(url.port).arg(m_pgDatabase);
    m_available = true;
}

TestDatabase::~TestDatabase()
{
    if (m_pgDatabase.isEmpty())
        return;
    QString error;
    if (!runAdmin(m_pgAdminUrl, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_pgDatabase), &error))
        qWarning("could not drop test database %s: %s", qPrintable(m_pgDatabase), qPrintable(error));
}

void TestDatabase::addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

bool TestDatabase::postgresRequired()
{
    return qEnvironmentVariableIntValue("TOLLGATE_TEST_REQUIRE_PG") == 1;
}

QString TestDatabase::sqlitePath() const
{
    return m_backend == QLatin1String("sqlite") ? databaseUrl().path : QString();
}

QSqlDatabase TestDatabase::open(const QString &connectionName) const
{
    QSqlDatabase db;
    QString error;
    if (!DatabaseConnection::open(databaseUrl(), connectionName, &db, &error))
        qWarning("cannot open %s: %s", qPrintable(m_url), qPrintable(error));
    return db;
}

QString TestDatabase::postgresControl()
{
    return qEnvironmentVariable("TOLLGATE_TEST_PG_CTL");
}

} // namespace tollgate::test
