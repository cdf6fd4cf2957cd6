#pragma once

#include "core/config/DatabaseUrl.h"

#include <QSqlDatabase>

namespace tollgate {

// Opens a QSql connection for a DATABASE_URL with the settings Tollgate relies on
// (SQLite: WAL, busy timeout, foreign keys; PostgreSQL: connect timeout, UTC).
class DatabaseConnection
{
public:
    static bool open(const DatabaseUrl &url, const QString &connectionName, QSqlDatabase *db, QString *error);
    static bool stillAlive(QSqlDatabase &db);
};

} // namespace tollgate
