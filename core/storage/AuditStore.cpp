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

// The entry id a cursor names; a 400 unless it is one of ours and names an entry of the listed target.
qint64 decodeCursor(QSqlDatabase &db, const QString &text, const QString &targetId)
{
    static const QRegularExpression idPattern(QRegularExpression::anchoredPattern(QStringLiteral("[1-9][0-9]{0,17}")));
    const auto fields = cursor::decode(CursorKind, text, 1);
    if (!fields || !idPattern.match(fields->at(0)).hasMatch())
        throw StorageError(StorageError::Kind::Invalid, cursor::invalidMessage());
    const qint64 id = fields->at(0).toLongLong();
    QSqlQuery q = sql::exec(db, QStringLiteral("SELECT target_id FROM audit_log WHERE id = ?"), {id});
    if (!q.next() || (!targetId.isEmpty() && q.value(0).toString() != targetId))
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

AuditPage AuditStore::list(QSqlDatabase &db, const QString &cursorText, int limit, const QString &targetId)
{
    QStringList where;
    QVariantList values;
    if (!cursorText.isEmpty()) {
        where << QStringLiteral("id < ?");
        values << decodeCursor(db, cursorText, targetId);
    }
    if (!targetId.isEmpty()) {
        where << QStringLiteral("target_id = ?");
        values << targetId;
    }
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
