#include "gui/keys/KeyFilterModel.h"

namespace tollgate::gui {

KeyFilterModel::KeyFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);  // filters again when a row's data changes; with sortColumn() -1 it never sorts
}

void KeyFilterModel::sort(int column, Qt::SortOrder order)
{
    if (auto *keys = qobject_cast<KeyListModel *>(sourceModel()))
        keys->sort(column, order);
}

void KeyFilterModel::setQuery(const KeyListModel::Query &query)
{
    if (query == m_query)
        return;
    m_query = query;
    invalidateRowsFilter();
}

bool KeyFilterModel::matches(const KeyRecord &key, const KeyListModel::Query &query)
{
    if (!query.tier.isEmpty() && key.tier != query.tier)
        return false;
    if (!query.status.isEmpty() && key.status != KeyRecord::statusFromName(query.status))
        return false;
    const QString q = query.q.trimmed();
    if (q.isEmpty())
        return true;
    // What the contract's q matches: name, id, user or the last 4 characters.
    return key.name.contains(q, Qt::CaseInsensitive) || key.id.contains(q, Qt::CaseInsensitive)
        || key.userId.contains(q, Qt::CaseInsensitive) || key.last4().compare(q, Qt::CaseInsensitive) == 0
        || (q.size() < 4 && key.last4().contains(q, Qt::CaseInsensitive));
}

bool KeyFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *keys = qobject_cast<const KeyListModel *>(sourceModel());
    if (!keys || sourceParent.isValid())
        return true;
    return matches(keys->at(sourceRow), m_query);
}

} // namespace tollgate::gui
