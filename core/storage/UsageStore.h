#pragma once

#include "core/credits/CreditLedger.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// What one /v1 call of an identified (valid, active) key came to; each such call counts in exactly one.
enum class UsageOutcome {
    None,                 // not classified (usage recorded outside the /v1 pipeline)
    Ok,                   // the upstream answered 2xx (charged what it cost)
    UpstreamError,        // the upstream failed: 5xx or another non-2xx/4xx status, unreachable, timed out; or the gateway's own 5xx
    RateLimited,          // 429 from the key's rate limit
    InsufficientCredits,  // 402
    Forbidden,            // 403: endpoint group or client address not allowed for the key
    ClientError,          // 4xx from the upstream, or a request the gateway refused as invalid (400)
    ClientClosed,         // the client left before the answer was complete
};

// One row of usage_daily: what a key did on one UTC day at one endpoint.
struct UsageCounters
{
    qint64 requests = 0;
    qint64 credits = 0;
    qint64 errors = 0;
    qint64 latencyMsSum = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    // Outcome counts (UsageOutcome); they add up to `requests` for rows written by the /v1 pipeline.
    qint64 ok = 0;
    qint64 upstreamError = 0;
    qint64 rateLimited = 0;
    qint64 insufficientCredits = 0;
    qint64 forbidden = 0;
    qint64 clientError = 0;
    qint64 clientClosed = 0;

    void count(UsageOutcome outcome);

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
    QString instanceId;                 // whose credit leases CreditDelta::fromLease came out of
    bool isEmpty() const { return rows.isEmpty() && credits.isEmpty() && lastUsedMs.isEmpty(); }
};

// One key's usage totals, for GET /admin/usage/top-keys.
struct KeyUsage
{
    QString keyId;
    QString name;
    QString userId;
    QString tier;
    UsageCounters counters;
};

class UsageStore
{
public:
    // One transaction: all or nothing, so a failed write can be retried whole without double counting. Rows are
    // written in one order — usage_daily by (key, day, endpoint), then credit_periods and credit_leases by
    // (key, period), then api_keys by id — the order every other writer takes them in, so instances sharing a
    // database never deadlock; a transaction PostgreSQL rolls back anyway (40P01/40001) runs again.
    static void apply(QSqlDatabase &db, const UsageBatch &batch, qint64 nowMs);
    static void applySorted(QSqlDatabase &db, const QList<UsageRow> &rows, const QList<CreditDelta> &credits,
                            const QList<QPair<QString, qint64>> &lastUsed, const QString &instanceId, qint64 nowMs);
    // Rows of one key from `fromDay` (inclusive), by day then endpoint.
    static QList<UsageRow> forKey(QSqlDatabase &db, const QString &keyId, const QString &fromDay);
    // Every key's rows from `fromDay`, summed per day and endpoint (keyId empty).
    static QList<UsageRow> system(QSqlDatabase &db, const QString &fromDay);
    // Rows from `fromDay`, summed per day and endpoint over every key, or of one key and/or one endpoint when given.
    static QList<UsageRow> daily(QSqlDatabase &db, const QString &fromDay, const QString &keyId, const QString &endpoint);
    // Users by credits spent from `fromDay`, most first: (userId, counters).
    static QList<QPair<QString, UsageCounters>> topUsers(QSqlDatabase &db, const QString &fromDay, int limit);
    // Keys by credits spent from `fromDay`, then by requests, most first.
    static QList<KeyUsage> topKeys(QSqlDatabase &db, const QString &fromDay, int limit);
};

} // namespace tollgate
