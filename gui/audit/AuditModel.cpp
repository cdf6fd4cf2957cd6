#include "gui/audit/AuditModel.h"

#include "gui/client/AdminClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace tollgate::gui {

namespace {

QString firstString(const QJsonObject &object, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isString())
            return value.toString();
        if (value.isDouble())
            return QString::number(qint64(value.toDouble()));
    }
    return {};
}

} // namespace

QStringList AuditModel::Entry::changedFields() const
{
    const QJsonObject b = before.toObject();
    const QJsonObject a = after.toObject();
    if (b.isEmpty() || a.isEmpty())
        return {};
    QStringList fields;
    QStringList keys = b.keys() + a.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        if (b.value(key) != a.value(key))
            fields.append(key);
    }
    return fields;
}

AuditModel::AuditModel(AdminClient *client, QObject *parent) : QAbstractTableModel(parent), m_client(client)
{
}

const QStringList &AuditModel::knownActions()
{
    static const QStringList actions{
        QStringLiteral("key.create"),   QStringLiteral("key.update"),         QStringLiteral("key.revoke"),
        QStringLiteral("key.regenerate"), QStringLiteral("key.grant"),        QStringLiteral("tier.create"),
        QStringLiteral("tier.update"),  QStringLiteral("tier.delete"),        QStringLiteral("admin_token.create"),
        QStringLiteral("admin_token.revoke"),
    };
    return actions;
}

QString AuditModel::describeAction(const QString &action)
{
    static const QHash<QString, const char *> descriptions{
        {QStringLiteral("key.create"), QT_TR_NOOP("Key created")},
        {QStringLiteral("key.update"), QT_TR_NOOP("Key changed")},
        {QStringLiteral("key.revoke"), QT_TR_NOOP("Key revoked")},
        {QStringLiteral("key.regenerate"), QT_TR_NOOP("Key regenerated")},
        {QStringLiteral("key.grant"), QT_TR_NOOP("Credits granted")},
        {QStringLiteral("tier.create"), QT_TR_NOOP("Tier created")},
        {QStringLiteral("tier.update"), QT_TR_NOOP("Tier changed")},
        {QStringLiteral("tier.delete"), QT_TR_NOOP("Tier removed")},
        {QStringLiteral("admin_token.create"), QT_TR_NOOP("Admin token created")},
        {QStringLiteral("admin_token.revoke"), QT_TR_NOOP("Admin token revoked")},
    };
    const char *text = descriptions.value(action);
    return text ? tr(text) : action;
}

QString AuditModel::describeTarget(const QString &type, const QString &id)
{
    // Key ids name their kind already ("key_…"): "key key_…" says it twice.
    if (type == QLatin1String("key"))
        return id.startsWith(QLatin1String("key_")) ? id : tr("key %1").arg(id);
    if (type == QLatin1String("tier"))
        return tr("tier %1").arg(id);
    if (type == QLatin1String("admin_token"))
        return tr("admin token %1").arg(id);
    return type.isEmpty() ? id : type + QLatin1Char(' ') + id;
}

AuditModel::Entry AuditModel::entryFromJson(const QJsonObject &object)
{
    Entry entry;
    entry.id = firstString(object, {"id"});
    const QString at = firstString(object, {"at", "createdAt"});
    entry.at = QDateTime::fromString(at, Qt::ISODateWithMs);
    if (!entry.at.isValid())
        entry.at = QDateTime::fromString(at, Qt::ISODate);
    entry.actor = firstString(object, {"actor"});
    entry.action = firstString(object, {"action"});
    entry.targetType = firstString(object, {"targetType"});
    entry.targetId = firstString(object, {"targetId", "keyId", "target"});
    if (entry.targetType.isEmpty() && object.value(QStringLiteral("keyId")).isString())
        entry.targetType = QStringLiteral("key");
    entry.before = object.value(QStringLiteral("before"));
    entry.after = object.value(QStringLiteral("after"));
    return entry;
}

void AuditModel::setFilter(const Filter &filter)
{
    if (filter == m_filter && m_loaded)
        return;
    m_filter = filter;
    reload();
}

void AuditModel::reload()
{
    ++m_generation;
    if (m_inFlight)
        m_inFlight->abort();
    beginResetModel();
    m_entries.clear();
    m_nextCursor.clear();
    m_atEnd = false;
    m_pages = 0;
    endResetModel();
    request({});
}

bool AuditModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_nextCursor.isEmpty() && !m_inFlight;
}

void AuditModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    request(m_nextCursor);
}

void AuditModel::request(const QString &cursor)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(m_pageSize));
    if (!cursor.isEmpty())
        query.addQueryItem(QStringLiteral("cursor"), cursor);
    if (!m_filter.actor.isEmpty())
        query.addQueryItem(QStringLiteral("actor"), m_filter.actor);
    if (!m_filter.action.isEmpty())
        query.addQueryItem(QStringLiteral("action"), m_filter.action);
    if (!m_filter.keyId.isEmpty())
        query.addQueryItem(QStringLiteral("keyId"), m_filter.keyId);
    ApiCall *call = m_client->get(QStringLiteral("/admin/audit"), query);
    m_inFlight = call;
    const quint64 generation = m_generation;
    connect(call, &ApiCall::succeeded, this, [this, generation](const QJsonValue &data, const QJsonObject &meta) {
        onPage(generation, data, meta);
    });
    connect(call, &ApiCall::failed, this, [this, generation](const ApiError &error) {
        if (generation != m_generation || error.isAborted())
            return;
        m_inFlight = nullptr;
        Q_EMIT fetchingChanged(false);
        Q_EMIT failed(error);
    });
    Q_EMIT fetchingChanged(true);
}

void AuditModel::onPage(quint64 generation, const QJsonValue &data, const QJsonObject &meta)
{
    if (generation != m_generation)
        return;
    m_inFlight = nullptr;
    ++m_pages;
    m_loaded = true;
    // The gateway filtered (and paged over the filtered entries): every row it sent is shown.
    QList<Entry> page;
    for (const QJsonValue &value : data.toArray())
        page.append(entryFromJson(value.toObject()));
    m_nextCursor = meta.value(QStringLiteral("next_cursor")).toString();
    m_atEnd = m_nextCursor.isEmpty();
    if (!page.isEmpty()) {
        const int first = int(m_entries.size());
        beginInsertRows({}, first, first + int(page.size()) - 1);
        m_entries.append(page);
        endInsertRows();
    }
    Q_EMIT fetchingChanged(false);
    Q_EMIT pageLoaded();
}

const AuditModel::Entry *AuditModel::entry(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

void AuditModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_entries.size()) - 1, ColumnCount - 1));
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_entries.size() || index.column() >= ColumnCount)
        return {};
    const Entry &entry = m_entries.at(index.row());
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case Time: {
            // In UTC, as the header says; the tooltip has the local time.
            const QDateTime utc = entry.at.toUTC();
            return locale.toString(utc.date(), QLocale::ShortFormat) + QLatin1Char(' ')
                + locale.toString(utc.time(), QStringLiteral("HH:mm:ss"));
        }
        case Actor:
            return entry.actor;
        case Action:
            return describeAction(entry.action);
        case Target:
            return describeTarget(entry.targetType, entry.targetId);
        case Changes: {
            const QStringList fields = entry.changedFields();
            if (!fields.isEmpty())
                return fields.join(QStringLiteral(", "));
            if (entry.before.isObject() && !entry.after.isObject())
                return tr("removed");
            if (!entry.before.isObject() && entry.after.isObject())
                return tr("created");
            return {};
        }
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Time:
            return tr("%1 (local time)").arg(locale.toString(entry.at.toLocalTime(), QLocale::LongFormat));
        case Action:
            return entry.action;
        default:
            return data(index, Qt::DisplayRole);
        }
    case RawRole:
        switch (index.column()) {
        case Time:
            return entry.at;
        case Actor:
            return entry.actor;
        case Action:
            return entry.action;
        case Target:
            return entry.targetId;
        case Changes:
            return entry.changedFields();
        }
        return {};
    }
    return {};
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case Actor:
        return tr("Actor");
    case Action:
        return tr("Action");
    case Target:
        return tr("Target");
    case Changes:
        return tr("Changed fields");
    }
    return {};
}

} // namespace tollgate::gui
