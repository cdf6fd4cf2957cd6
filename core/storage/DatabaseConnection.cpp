#include "core/storage/DatabaseConnection.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace tollgate {

bool DatabaseConnection::open(const DatabaseUrl &url, const QString &connectionName, QSqlDatabase *db, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(url.driverName())) {
        *error = QStringLiteral("Qt SQL driver %1 is not installed").arg(url.driverName());
        return false;
    }
    if (QSqlDatabase::contains(connectionName)
        && QSqlDatabase::database(connectionName, false).driverName() != url.driverName())
        QSqlDatabase::removeDatabase(connectionName);
    if (!QSqlDatabase::contains(connectionName))
        QSqlDatabase::addDatabase(url.driverName(), connectionName);
    *db = QSqlDatabase::database(connectionName, false);

    if (url.kind == DatabaseUrl::Kind::Sqlite) {
        const QString dir = QFileInfo(url.path).absolutePath();
        if (!QDir().mkpath(dir)) {
            *error = QStringLiteral("cannot create directory %1").arg(dir);
            return false;
        }
        db->setDatabaseName(url.path);
        db->setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(url.busyTimeoutMs));
    } else {
        db->setHostName(url.host);
        db->setPort(url.port);
        db->setUserName(url.user);
        db->setPassword(url.password);
        db->setDatabaseName(url.database);
        // client_min_messages: no "NOTICE: relation … already exists" on stderr from every CLI command.
        db->setConnectOptions(QStringLiteral("connect_timeout=%1;application_name=tollgate;options=-cclient_min_messages=warning")
                                  .arg(url.connectTimeoutSeconds));
    }
    if (!db->open()) {
        const QSqlError e = db->lastError();
        *error = e.driverText().isEmpty() ? e.text() : e.driverText() + QStringLiteral(" (") + e.databaseText().trimmed() + QLatin1Char(')');
        return false;
    }
    QSqlQuery query(*db);
    const QStringList setup = url.kind == DatabaseUrl::Kind::Sqlite
        ? QStringList{QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=NORMAL"),
                      QStringLiteral("PRAGMA foreign_keys=ON")}
        : QStringList{QStringLiteral("SET TIME ZONE 'UTC'")};
    for (const QString &statement : setup) {
        if (!query.exec(statement)) {
            *error = query.lastError().text();
            db->close();
            return false;
        }
    }
    return true;
}

bool DatabaseConnection::stillAlive(QSqlDatabase &db)
{
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    return query.exec(QStringLiteral("SELECT 1")) && query.next();
}

} // namespace tollgate
