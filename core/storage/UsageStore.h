#pragma once

#include "core/credits/CreditLedger.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// One row of usage_daily: what a key did on one UTC day at one endpoint.
struct UsageCounters
{
    qint64 requests = 0;
    qint64 credits = 0;
    qint64 errors = 0;
    qint64 latencyMsSum = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;

    UsageCounters &operator+=(const UsageCounters &other);
    bool operator==(const UsageCounters &) const = default;
};

struct UsageRow
{
    QString keyId;
    QString day;       // "2026-11-21", UTC
    QString endpoint;  // "search", "extract/bulk", …
    UsageCounters counters;
};

// What one write-behind flush carries: usage increments, credit deltas and last-use times.
struct UsageBatch
{
    QList<UsageRow> rows;
    QList<CreditDelta> credits;
    QHash<QString, qint64> lastUsedMs;  // key id → newest use
    bool isEmpty() const { return rows.isEmpty() && credits.isEmpty() && lastUsedMs.isEmpty(); }
};

class UsageStore
{
public:
    // One transaction: all or nothing, so a failed write can be retried whole without double counting.
    static void apply(QSqlDatabase &db, const UsageBatch &batch, qint64 nowMs);
    // Rows of one key from `fromDay` (inclusive), by day then endpoint.
    static QList<UsageRow> forKey(QSqlDatabase &db, const QString &keyId, const QString &fromDay);
    // Every key's rows from `fromDay`, summed per day and endpoint (keyId empty).
    static QList<UsageRow> system(QSqlDatabase &db, const QString &fromDay);
    // Users by credits spent from `fromDay`, most first: (userId, counters).
    static QList<QPair<QString, UsageCounters>> topUsers(QSqlDatabase &db, const QString &fromDay, int limit);
};

} // namespace tollgate
