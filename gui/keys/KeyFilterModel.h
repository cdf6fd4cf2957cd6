#pragma once

#include "gui/keys/KeyListModel.h"

#include <QSortFilterProxyModel>

namespace tollgate::gui {

// Holds back rows that do not match the server-side query: a gateway that does not know `q` or `status` yet
// answers with every key, and the table must still show only what the search asked for. Sorting (a header click)
// is the source model's: sort() hands it to KeyListModel, which sorts on a worker thread; QSortFilterProxyModel's own
// sort runs on the GUI thread in one handler, 45–270 ms for 100,000 rows. So this proxy never sorts (sortColumn()
// stays -1) and shows the rows in the source's order.
class KeyFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit KeyFilterModel(QObject *parent = nullptr);

    void setQuery(const KeyListModel::Query &query);
    static bool matches(const KeyRecord &key, const KeyListModel::Query &query);
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    KeyListModel::Query m_query;
};

} // namespace tollgate::gui
