#include "core/storage/AuditStore.h"

#include "core/keys/ApiKey.h"
#include "core/storage/Sql.h"

#include <QJsonDocument>
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

AuditPage AuditStore::list(QSqlDatabase &db, const QString &cursor, int limit, const QString &targetId)
{
    QStringList where;
    QVariantList values;
    if (!cursor.isEmpty()) {
        where << QStringLiteral("id < ?");
        values << cursor.toLongLong();
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
        page.nextCursor = QString::number(page.entries.constLast().id);
    }
    return page;
}

} // namespace tollgate
