#include "gui/overview/TopKeysModel.h"

#include <QJsonObject>
#include <QLocale>

namespace tollgate::gui {

TopKeysModel::TopKeysModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void TopKeysModel::setKeys(const QJsonArray &keys)
{
    QList<Entry> entries;
    for (const QJsonValue &value : keys) {
        const QJsonObject key = value.toObject();
        Entry entry;
        entry.keyId = key.value(QStringLiteral("keyId")).toString();
        entry.name = key.value(QStringLiteral("name")).toString();
        entry.userId = key.value(QStringLiteral("userId")).toString();
        entry.tier = key.value(QStringLiteral("tier")).toString();
        entry.requests = qint64(key.value(QStringLiteral("requests")).toDouble());
        entry.credits = qint64(key.value(QStringLiteral("credits")).toDouble());
        entries.append(entry);
    }
    beginResetModel();
    m_keys = entries;
    endResetModel();
}

void TopKeysModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_keys.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::DisplayRole});
}

int TopKeysModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int TopKeysModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopKeysModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &key = m_keys[index.row()];
    const int column = index.column();
    if (role == KeyIdRole)
        return key.keyId;
    if (role == RawValueRole || role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (column) {
        case Name:
            return key.name.isEmpty() && role == Qt::DisplayRole ? key.keyId : key.name;
        case User:
            return key.userId;
        case Tier:
            return key.tier;
        case Requests:
            return role == RawValueRole ? QVariant(key.requests) : QVariant(QLocale().toString(key.requests));
        case Credits:
            return role == RawValueRole ? QVariant(key.credits) : QVariant(QLocale().toString(key.credits));
        }
    }
    if (role == Qt::TextAlignmentRole)
        return column >= Requests ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    return {};
}

QVariant TopKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case User:
        return tr("User");
    case Tier:
        return tr("Tier");
    case Requests:
        return tr("Requests");
    case Credits:
        return tr("Credits");
    }
    return {};
}

} // namespace tollgate::gui
