#pragma once

#include "core/config/DatabaseUrl.h"

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace tollgate::test {

// A fresh, empty database for one test: a temporary SQLite file, or a new database on the PostgreSQL
// server that scripts/test.sh starts on loopback (TOLLGATE_TEST_PG_URL). Dropped again at the end.
// Where PostgreSQL is missing the test is skipped, unless TOLLGATE_TEST_REQUIRE_PG=1 (as in CI) makes that a failure.
class TestDatabase
{
public:
    explicit TestDatabase(const QString &backend);
    ~TestDatabase();

    // Adds the "backend" column with one row per backend; call from a _data() function.
    static void addBackendRows();

    bool isAvailable() const { return m_available; }
    QString unavailableReason() const { return m_reason; }
    static bool postgresRequired();

    QString backend() const { return m_backend; }
    QString url() const { return m_url; }
    DatabaseUrl databaseUrl() const { return *DatabaseUrl::parse(m_url); }
    QString sqlitePath() const;  // empty for PostgreSQL
    // A separate connection for the test to look at (or block) the database directly.
    QSqlDatabase open(const QString &connectionName) const;
    // The server-control command (pg_ctl wrapped in runuser) that scripts/test.sh exports, or empty.
    static QString postgresControl();

private:
    QString m_backend;
    QString m_url;
    QString m_pgDatabase;
    QString m_pgAdminUrl;
    bool m_available = false;
    QString m_reason;
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace tollgate::test

// Skips or fails (in CI) when the backend of this row cannot be had.
#define TOLLGATE_REQUIRE_DATABASE(db)                                                                  \
    do {                                                                                               \
        if (!(db).isAvailable()) {                                                                     \
            if (tollgate::test::TestDatabase::postgresRequired())                                      \
                QFAIL(qPrintable((db).unavailableReason()));                                           \
            QSKIP(qPrintable((db).unavailableReason()));                                               \
        }                                                                                              \
    } while (false)
