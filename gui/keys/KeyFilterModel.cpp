#include "gui/keys/KeyFilterModel.h"

namespace tollgate::gui {

KeyFilterModel::KeyFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(KeyListModel::SortRole);
    setSortLocaleAware(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
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

bool KeyFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() == KeyListModel::Credits) {
        const auto *keys = qobject_cast<const KeyListModel *>(sourceModel());
        const KeyRecord &a = keys->at(left.row());
        const KeyRecord &b = keys->at(right.row());
        const double shareA = a.creditsShareUsed();
        const double shareB = b.creditsShareUsed();
        if (shareA != shareB)
            return shareA < shareB;
        return a.creditsUsed < b.creditsUsed;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace tollgate::gui
