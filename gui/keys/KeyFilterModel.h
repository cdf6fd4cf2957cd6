#pragma once

#include "gui/keys/KeyListModel.h"

#include <QSortFilterProxyModel>

namespace tollgate::gui {

// Sorts the loaded keys by their raw values (KeyListModel::SortRole, locale-aware for text) and holds back rows
// that do not match the server-side query: a gateway that does not know `q` or `status` yet answers with every
// key, and the table must still show only what the search asked for.
class KeyFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit KeyFilterModel(QObject *parent = nullptr);

    void setQuery(const KeyListModel::Query &query);
    static bool matches(const KeyRecord &key, const KeyListModel::Query &query);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    KeyListModel::Query m_query;
};

} // namespace tollgate::gui
