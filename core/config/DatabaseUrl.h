#pragma once

#include <QString>

#include <optional>

namespace tollgate {

// DATABASE_URL: "postgresql://user:pass@host:port/db" (also "postgres://") or "sqlite:/path/file.db".
// Query options: sqlite ?busy_timeout_ms=N, postgresql ?connect_timeout=N (seconds).
struct DatabaseUrl
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString path;       // sqlite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    int busyTimeoutMs = 5000;
    int connectTimeoutSeconds = 5;

    static std::optional<DatabaseUrl> parse(const QString &text, QString *error = nullptr);
    static QString defaultSqliteUrl();  // sqlite: + a file in the user's app-data dir
    QString driverName() const { return kind == Kind::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"); }
    // For logs and the console: never the password.
    QString redacted() const;
};

} // namespace tollgate
