#include "core/storage/KeyStore.h"

#include "core/storage/Cursor.h"
#include "core/storage/Sql.h"
#include "core/storage/StorageError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>

namespace tollgate {

namespace {

const QString Columns = QStringLiteral(
    "id, key_hash, prefix, last4, user_id, name, description, tier, is_test, rate_limit, rate_window_seconds,"
    " monthly_credits, allowed_endpoints, allowed_ips, expires_at, status, revoked_at, last_used_at,"
    " previous_hash, previous_hash_until, created_at, updated_at");

QString toJsonText(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList fromJsonText(const QVariant &text)
{
    QStringList out;
    for (const QJsonValue &value : QJsonDocument::fromJson(text.toString().toUtf8()).array())
        out.append(value.toString());
    return out;
}

template<typename T>
std::optional<T> optionalOf(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.value<T>();
}

QVariant nullableNumber(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qlonglong>());
}

ApiKey fromRow(const QSqlQuery &q)
{
    ApiKey key;
    key.id = q.value(0).toString();
    key.keyHash = q.value(1).toString();
    key.prefix = q.value(2).toString();
    key.last4 = q.value(3).toString();
    key.userId = q.value(4).toString();
    key.name = q.value(5).toString();
    key.description = q.value(6).toString();
    key.tier = q.value(7).toString();
    key.isTest = q.value(8).toInt() != 0;
    key.rateLimit = optionalOf<int>(q.value(9));
    key.rateWindowSeconds = optionalOf<int>(q.value(10));
    key.monthlyCredits = optionalOf<qint64>(q.value(11));
    key.allowedEndpoints = fromJsonText(q.value(12));
    key.allowedIps = fromJsonText(q.value(13));
    key.ipAllowList = IpAllowList::parse(key.allowedIps).value_or(IpAllowList::denyAll());
    key.expiresAt = fromMsUtc(q.value(14));
    key.revoked = q.value(15).toString() == QLatin1String("revoked");
    key.revokedAt = fromMsUtc(q.value(16));
    key.lastUsedAt = fromMsUtc(q.value(17));
    key.previousHash = q.value(18).toString();
    key.previousHashUntil = fromMsUtc(q.value(19));
    key.createdAt = fromMsUtc(q.value(20));
    key.updatedAt = fromMsUtc(q.value(21));
    return key;
}

// QSql binds a null QString as NULL; NOT NULL text columns want ''.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

QVariantList mutableValues(const ApiKey &key)
{
    return {key.keyHash, key.prefix, key.last4, key.userId, key.name, text(key.description), key.tier, key.isTest ? 1 : 0,
            nullableNumber(key.rateLimit ? std::optional<qint64>(*key.rateLimit) : std::nullopt),
            nullableNumber(key.rateWindowSeconds ? std::optional<qint64>(*key.rateWindowSeconds) : std::nullopt),
            nullableNumber(key.monthlyCredits), toJsonText(key.allowedEndpoints), toJsonText(key.allowedIps),
            sql::nullableMs(key.expiresAt), key.revoked ? QStringLiteral("revoked") : QStringLiteral("active"),
            sql::nullableMs(key.revokedAt), sql::nullableMs(key.lastUsedAt), sql::nullable(key.previousHash),
            sql::nullableMs(key.previousHashUntil), sql::nullableMs(key.createdAt), sql::nullableMs(key.updatedAt)};
}

std::optional<ApiKey> first(QSqlQuery query)
{
    if (!query.next())
        return std::nullopt;
    return fromRow(query);
}

const QString CursorKind = QStringLiteral("keys1");

QString encodeCursor(const ApiKey &key)
{
    return cursor::encode(CursorKind, {QString::number(key.createdAt.toMSecsSinceEpoch()), key.id});
}

// The position (created_at, id) a cursor names; a 400 unless it is one of ours and names a key that exists,
// was created when the cursor says, and belongs to the listed user (so another user's cursor, or a forged one,
// tells nothing about which key ids exist).
std::pair<qint64, QString> decodeCursor(QSqlDatabase &db, const KeyFilter &filter)
{
    auto refuse = [] { return StorageError(StorageError::Kind::Invalid, cursor::invalidMessage()); };
    static const QRegularExpression msPattern(QRegularExpression::anchoredPattern(QStringLiteral("[0-9]{1,16}")));
    static const QRegularExpression idPattern(QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_]{1,64}")));
    const auto fields = cursor::decode(CursorKind, filter.cursor, 2);
    if (!fields || !msPattern.match(fields->at(0)).hasMatch() || !idPattern.match(fields->at(1)).hasMatch())
        throw refuse();
    const qint64 createdAt = fields->at(0).toLongLong();
    const QString id = fields->at(1);
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT created_at, user_id FROM api_keys WHERE id = ?"), {id});
    if (!q.next() || q.value(0).toLongLong() != createdAt || (!filter.userId.isEmpty() && q.value(1).toString() != filter.userId))
        throw refuse();
    return {createdAt, id};
}

} // namespace

void KeyStore::insert(QSqlDatabase &db, const ApiKey &key)
{
    QVariantList values{key.id};
    values.append(mutableValues(key));
    sql::exec(db, QStringLiteral("INSERT INTO api_keys (%1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)").arg(Columns),
              values);
}

void KeyStore::update(QSqlDatabase &db, const ApiKey &key)
{
    QVariantList values = mutableValues(key);
    values.append(key.id);
    sql::exec(db, QStringLiteral(
        "UPDATE api_keys SET key_hash = ?, prefix = ?, last4 = ?, user_id = ?, name = ?, description = ?, tier = ?,"
        " is_test = ?, rate_limit = ?, rate_window_seconds = ?, monthly_credits = ?, allowed_endpoints = ?,"
        " allowed_ips = ?, expires_at = ?, status = ?, revoked_at = ?, last_used_at = ?, previous_hash = ?,"
        " previous_hash_until = ?, created_at = ?, updated_at = ? WHERE id = ?"), values);
}

std::optional<ApiKey> KeyStore::findById(QSqlDatabase &db, const QString &id)
{
    return first(sql::exec(db, QStringLiteral("SELECT %1 FROM api_keys WHERE id = ?").arg(Columns), {id}));
}

std::optional<ApiKey> KeyStore::findByHash(QSqlDatabase &db, const QString &hash, qint64 nowMs)
{
    if (auto key = first(sql::exec(db, QStringLiteral("SELECT %1 FROM api_keys WHERE key_hash = ?").arg(Columns), {hash})))
        return key;
    return first(sql::exec(db, QStringLiteral("SELECT %1 FROM api_keys WHERE previous_hash = ? AND previous_hash_until > ?").arg(Columns),
                           {hash, nowMs}));
}

KeyPage KeyStore::list(QSqlDatabase &db, const KeyFilter &filter, qint64 nowMs)
{
    QStringList where;
    QVariantList values;
    if (!filter.userId.isEmpty()) {
        where << QStringLiteral("user_id = ?");
        values << filter.userId;
    }
    if (!filter.tier.isEmpty()) {
        where << QStringLiteral("tier = ?");
        values << filter.tier;
    }
    if (filter.active.has_value()) {
        where << (*filter.active ? QStringLiteral("(status = 'active' AND (expires_at IS NULL OR expires_at > ?))")
                                 : QStringLiteral("(status <> 'active' OR (expires_at IS NOT NULL AND expires_at <= ?))"));
        values << nowMs;
    }
    if (filter.status == QLatin1String("active")) {
        where << QStringLiteral("status = 'active' AND (expires_at IS NULL OR expires_at > ?)");
        values << nowMs;
    } else if (filter.status == QLatin1String("revoked")) {
        where << QStringLiteral("status = 'revoked'");
    } else if (filter.status == QLatin1String("expired")) {
        where << QStringLiteral("status = 'active' AND expires_at IS NOT NULL AND expires_at <= ?");
        values << nowMs;
    } else if (!filter.status.isEmpty()) {
        throw StorageError(StorageError::Kind::Invalid, QStringLiteral("status: must be active, revoked or expired"));
    }
    if (!filter.query.isEmpty()) {
        // A substring of the name cannot seek a b-tree: the scan walks api_keys_search newest first and stops at a
        // full page, so a common word is quick and a rare one reads that index once, never the table (bench_keysearch).
        // SQLite's LIKE and PostgreSQL's ILIKE both ignore the case of ASCII letters (PostgreSQL: of what LC_CTYPE knows).
        QString pattern = filter.query;
        pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        const bool pg = sql::dialectOf(db) == sql::Dialect::Postgres;
        where << QStringLiteral("(name %1 ? ESCAPE '\\' OR id = ? OR user_id = ? OR last4 = ?)").arg(pg ? QStringLiteral("ILIKE") : QStringLiteral("LIKE"));
        values << QLatin1Char('%') + pattern + QLatin1Char('%') << filter.query << filter.query << filter.query;
    }
    if (!filter.cursor.isEmpty()) {
        const auto [createdAt, id] = decodeCursor(db, filter);
        // A row value, so both databases seek the (created_at, id) indexes instead of filtering from the top.
        where << QStringLiteral("(created_at, id) < (?, ?)");
        values << createdAt << id;
    }
    const int limit = qBound(1, filter.limit, 500);
    values << limit + 1;
    // Two steps: the page's ids from the indexes alone, then those rows by primary key.
    QSqlQuery ids = sql::exec(db, QStringLiteral("SELECT id FROM api_keys %1 ORDER BY created_at DESC, id DESC LIMIT ?")
                                      .arg(where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "))),
                              values);
    QStringList order;
    while (ids.next())
        order.append(ids.value(0).toString());
    KeyPage page;
    if (order.isEmpty())
        return page;
    QStringList marks;
    QVariantList idValues;
    for (const QString &id : std::as_const(order)) {
        marks << QStringLiteral("?");
        idValues << id;
    }
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT %1 FROM api_keys WHERE id IN (%2)").arg(Columns, marks.join(QLatin1Char(','))), idValues);
    QHash<QString, ApiKey> byId;
    while (q.next()) {
        ApiKey key = fromRow(q);
        byId.insert(key.id, std::move(key));
    }
    for (const QString &id : std::as_const(order)) {
        if (const auto it = byId.constFind(id); it != byId.constEnd())
            page.keys.append(*it);
    }
    if (page.keys.size() > limit) {
        page.keys.removeLast();
        page.nextCursor = encodeCursor(page.keys.constLast());
    }
    return page;
}

qint64 KeyStore::countSelfCreatedActive(QSqlDatabase &db, const QString &userId, qint64 nowMs)
{
    // api_keys_by_user finds the user's keys, audit_log_by_target the one create entry of each.
    return sql::scalar(db, QStringLiteral(
        "SELECT COUNT(*) FROM api_keys k WHERE k.user_id = ? AND k.status = 'active'"
        " AND (k.expires_at IS NULL OR k.expires_at > ?)"
        " AND EXISTS (SELECT 1 FROM audit_log a WHERE a.target_type = 'key' AND a.target_id = k.id"
        " AND a.action = 'key.create' AND a.actor = ?)"), {userId, nowMs, userId}).toLongLong();
}

CreditPeriodRow KeyStore::creditPeriod(QSqlDatabase &db, const QString &keyId, const QString &period)
{
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT credits_used, credits_granted, leased FROM credit_periods WHERE key_id = ? AND period = ?"),
                            {keyId, period});
    CreditPeriodRow row;
    if (q.next()) {
        row.used = q.value(0).toLongLong();
        row.granted = q.value(1).toLongLong();
        row.leased = q.value(2).toLongLong();
    }
    return row;
}

QHash<QString, CreditPeriodRow> KeyStore::creditPeriods(QSqlDatabase &db, const QStringList &keyIds, const QString &period)
{
    QHash<QString, CreditPeriodRow> rows;
    if (keyIds.isEmpty())
        return rows;
    QVariantList values{period};
    QStringList marks;
    for (const QString &id : keyIds) {
        values << id;
        marks << QStringLiteral("?");
    }
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT key_id, credits_used, credits_granted FROM credit_periods WHERE period = ? AND key_id IN (%1)")
                                    .arg(marks.join(QLatin1Char(','))), values);
    while (q.next())
        rows.insert(q.value(0).toString(), CreditPeriodRow{q.value(1).toLongLong(), q.value(2).toLongLong()});
    return rows;
}

void KeyStore::addGrant(QSqlDatabase &db, const QString &keyId, const QString &period, qint64 credits,
                        const QString &actor, qint64 nowMs)
{
    sql::exec(db, QStringLiteral("INSERT INTO credit_grants (key_id, period, credits, actor, created_at) VALUES (?, ?, ?, ?, ?)"),
              {keyId, period, credits, actor, nowMs});
    sql::exec(db, QStringLiteral("INSERT INTO credit_periods (key_id, period, credits_used, credits_granted, updated_at) VALUES (?, ?, 0, ?, ?)"
                                 " ON CONFLICT (key_id, period) DO UPDATE SET credits_granted = credit_periods.credits_granted + excluded.credits_granted,"
                                 " updated_at = excluded.updated_at"),
              {keyId, period, credits, nowMs});
}

} // namespace tollgate
