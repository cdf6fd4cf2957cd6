#include "core/storage/Sql.h"

#include "core/storage/StorageError.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <atomic>

Q_LOGGING_CATEGORY(lcSql, "tollgate.core.storage.sql")

namespace tollgate::sql {

namespace {

std::atomic<qint64> g_retryableErrors{0};

[[noreturn]] void fail(const QSqlError &error, const char *what)
{
    // The driver's text may quote values; keep it in the debug log, give callers a sanitized line.
    qCDebug(lcSql) << what << error.driverText() << error.databaseText();
    const bool connection = error.type() == QSqlError::ConnectionError
        || error.databaseText().contains(QLatin1String("connection"), Qt::CaseInsensitive)
        || error.databaseText().contains(QLatin1String("database is locked"), Qt::CaseInsensitive)
        || error.nativeErrorCode() == QLatin1String("5");  // SQLITE_BUSY
    const bool conflict = error.nativeErrorCode() == QLatin1String("23505")  // PostgreSQL unique_violation
        || error.nativeErrorCode() == QLatin1String("2067") || error.nativeErrorCode() == QLatin1String("1555")
        || error.databaseText().contains(QLatin1String("UNIQUE constraint"), Qt::CaseInsensitive);
    const bool retryable = error.nativeErrorCode() == QLatin1String("40P01")  // deadlock_detected
        || error.nativeErrorCode() == QLatin1String("40001");                // serialization_failure
    if (retryable)
        g_retryableErrors.fetch_add(1, std::memory_order_relaxed);
    QString reason = error.driverText().isEmpty() ? QStringLiteral("database error") : error.driverText();
    // Only an outage's own words are passed on ("database is locked", "server closed the connection"):
    // other database texts can quote SQL.
    if (connection && !error.databaseText().isEmpty())
        reason += QStringLiteral(" (%1)").arg(error.databaseText().section(QLatin1Char('\n'), 0, 0).trimmed());
    throw StorageError(connection ? StorageError::Kind::Unavailable
                                  : conflict ? StorageError::Kind::Conflict : StorageError::Kind::Failed,
                       QStringLiteral("%1: %2").arg(QLatin1String(what), reason), retryable);
}

} // namespace

Dialect dialectOf(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL") ? Dialect::Postgres : Dialect::Sqlite;
}

QSqlQuery exec(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // PostgreSQL cannot PREPARE DDL; statements without parameters run directly.
    if (values.isEmpty()) {
        if (!query.exec(statement))
            fail(query.lastError(), "query failed");
        return query;
    }
    if (!query.prepare(statement))
        fail(query.lastError(), "prepare failed");
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        fail(query.lastError(), "query failed");
    return query;
}

QVariant scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query = exec(db, statement, values);
    return query.next() ? query.value(0) : QVariant();
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableMs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qlonglong>());
}

Transaction::Transaction(QSqlDatabase &db) : m_db(db)
{
    if (m_db.driverName() == QLatin1String("QSQLITE")) {
        // QSQLITE begins deferred: a transaction that reads and then writes asks for the write lock midway and gets
        // SQLITE_BUSY at once when another process holds it (the busy timeout does not apply to that upgrade), so
        // two CLI commands at once failed with "database is locked". IMMEDIATE takes the write lock up front and
        // waits for it under the busy timeout; in WAL mode readers are not blocked by it.
        QSqlQuery begin(m_db);
        if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
            fail(begin.lastError(), "cannot begin transaction");
        return;
    }
    if (!m_db.transaction())
        fail(m_db.lastError(), "cannot begin transaction");
}

Transaction::~Transaction()
{
    if (!m_done)
        m_db.rollback();
}

void Transaction::commit()
{
    if (!m_db.commit())
        fail(m_db.lastError(), "commit failed");
    m_done = true;
}

qint64 retryableErrorCount()
{
    return g_retryableErrors.load(std::memory_order_relaxed);
}

void retrying(const std::function<void()> &transaction, int attempts)
{
    for (int attempt = 1;; ++attempt) {
        try {
            transaction();
            return;
        } catch (const StorageError &error) {
            if (!error.isRetryable() || attempt >= attempts)
                throw;
            qCInfo(lcSql) << "transaction rolled back by the database (" << error.message() << "), running it again";
            QThread::msleep(5 * attempt);
        }
    }
}

QString nowMsExpression(Dialect dialect)
{
    return dialect == Dialect::Postgres
        ? QStringLiteral("CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")
        : QStringLiteral("CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)");
}

} // namespace tollgate::sql
