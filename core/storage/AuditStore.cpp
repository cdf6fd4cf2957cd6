#include "core/storage/AuditStore.h"

#include "core/keys/ApiKey.h"
#include "core/storage/Cursor.h"
#include "core/storage/Sql.h"
#include "core/storage/StorageError.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>

namespace tollgate {

namespace {

QVariant jsonOrNull(const QJsonObject &object)
{
    if (object.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject objectOf(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

const QString CursorKind = QStringLiteral("audit1");

// The filter as SQL conditions, each on an indexed column (migration 3: by actor, by action, by target; each
// index ends in id, so "newest first" walks it backwards and stops after a page).
void addFilter(const AuditFilter &filter, QStringList &where, QVariantList &values)
{
    if (!filter.actor.isEmpty()) {
        where << QStringLiteral("actor = ?");
        values << filter.actor;
    }
    if (!filter.action.isEmpty()) {
        where << QStringLiteral("action = ?");
        values << filter.action;
    }
    if (!filter.keyId.isEmpty()) {
        where << QStringLiteral("target_type = 'key' AND target_id = ?");
        values << filter.keyId;
    }
    if (!filter.targetId.isEmpty()) {
        where << QStringLiteral("target_id = ?");
        values << filter.targetId;
    }
}

// The entry id a cursor names; a 400 unless it is one of ours and names an entry the same filter lets through
// (a cursor of another filter's pages would skip or repeat entries of this one).
qint64 decodeCursor(QSqlDatabase &db, const QString &text, const AuditFilter &filter)
{
    static const QRegularExpression idPattern(QRegularExpression::anchoredPattern(QStringLiteral("[1-9][0-9]{0,17}")));
    const auto fields = cursor::decode(CursorKind, text, 1);
    if (!fields || !idPattern.match(fields->at(0)).hasMatch())
        throw StorageError(StorageError::Kind::Invalid, cursor::invalidMessage());
    const qint64 id = fields->at(0).toLongLong();
    QStringList where{QStringLiteral("id = ?")};
    QVariantList values{id};
    addFilter(filter, where, values);
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT 1 FROM audit_log WHERE %1").arg(where.join(QStringLiteral(" AND "))), values);
    if (!q.next())
        throw StorageError(StorageError::Kind::Invalid, cursor::invalidMessage());
    return id;
}

} // namespace

QJsonObject AuditEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), QString::number(id)},
        {QStringLiteral("at"), toIsoUtc(at)},
        {QStringLiteral("actor"), actor},
        {QStringLiteral("action"), action},
        {QStringLiteral("targetType"), targetType},
        {QStringLiteral("targetId"), targetId},
        {QStringLiteral("before"), before.isEmpty() ? QJsonValue() : QJsonValue(before)},
        {QStringLiteral("after"), after.isEmpty() ? QJsonValue() : QJsonValue(after)},
    };
}

void AuditStore::append(QSqlDatabase &db, const AuditEntry &entry)
{
    sql::exec(db, QStringLiteral("INSERT INTO audit_log (at, actor, action, target_type, target_id, before_json, after_json)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?)"),
              {entry.at.toMSecsSinceEpoch(), entry.actor, entry.action, entry.targetType, entry.targetId,
               jsonOrNull(entry.before), jsonOrNull(entry.after)});
}

AuditPage AuditStore::list(QSqlDatabase &db, const QString &cursorText, int limit, const AuditFilter &filter)
{
    QStringList where;
    QVariantList values;
    if (!cursorText.isEmpty()) {
        where << QStringLiteral("id < ?");
        values << decodeCursor(db, cursorText, filter);
    }
    addFilter(filter, where, values);
    limit = qBound(1, limit, 500);
    values << limit + 1;
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT id, at, actor, action, target_type, target_id, before_json, after_json"
                                               " FROM audit_log %1 ORDER BY id DESC LIMIT ?")
                                    .arg(where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "))),
                            values);
    AuditPage page;
    while (q.next()) {
        page.entries.append({q.value(0).toLongLong(), fromMsUtc(q.value(1)), q.value(2).toString(), q.value(3).toString(),
                             q.value(4).toString(), q.value(5).toString(), objectOf(q.value(6)), objectOf(q.value(7))});
    }
    if (page.entries.size() > limit) {
        page.entries.removeLast();
        page.nextCursor = cursor::encode(CursorKind, {QString::number(page.entries.constLast().id)});
    }
    return page;
}

} // namespace tollgate
