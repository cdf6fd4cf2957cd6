#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <functional>

namespace tollgate::sql {

enum class Dialect { Sqlite, Postgres };
Dialect dialectOf(const QSqlDatabase &db);

// Prepares, binds positionally and executes; throws StorageError without the SQL text on failure.
QSqlQuery exec(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});
// First column of the first row, or an invalid QVariant when there is no row.
QVariant scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

QVariant nullable(const QString &text);          // empty → NULL
QVariant nullableMs(const QDateTime &time);      // invalid → NULL, else ms since epoch

// Runs `transaction` (one whole sql::Transaction) again when the database rolled it back as a deadlock
// victim or serialization failure, up to `attempts` times; other errors pass through at once.
void retrying(const std::function<void()> &transaction, int attempts = 5);
// 40P01/40001 seen by this process so far (each retried or passed on).
qint64 retryableErrorCount();
// SQL for the database server's clock in ms since the epoch: lease expiry is judged by one clock for all instances.
QString nowMsExpression(Dialect dialect);

// Rolls back unless commit() was reached: a throwing job leaves nothing half-written.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase &db);
    ~Transaction();
    void commit();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

private:
    QSqlDatabase &m_db;
    bool m_done = false;
};

} // namespace tollgate::sql
