#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// Versioned schema migrations, one list for SQLite and PostgreSQL (dialect differences are
// placeholders). Each runs in its own transaction and is recorded in schema_migrations.
class Migrations
{
public:
    struct Migration
    {
        int version;
        QString name;
        QStringList statements;
    };

    static const QList<Migration> &all();
    static int latestVersion();
    static int currentVersion(QSqlDatabase &db);
    // Applies what is missing; returns how many migrations ran. Throws StorageError.
    static int migrate(QSqlDatabase &db);
};

} // namespace tollgate
