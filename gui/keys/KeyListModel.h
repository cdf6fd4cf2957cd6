#pragma once

#include "gui/client/ApiError.h"
#include "gui/keys/KeyRecord.h"

#include <QAbstractTableModel>
#include <QFont>
#include <optional>
#include <vector>
#include <QPointer>
#include "gui/client/ApiCall.h"

namespace tollgate::gui {

class AdminClient;
class ApiCall;

// Every key of the gateway, a page (100) at a time from GET /admin/api-keys, in the order the API gives them.
// canFetchMore/fetchMore follow the API's cursors, so a view asks for the next page when it scrolls to the end.
// Search and filters are the server's (q, tier, status): changing them loads the first page again; the old rows
// stay until the new ones arrive, so nothing flickers and a failed load keeps what was shown.
//
// Sorting is the model's own (sort(), which KeyFilterModel forwards to): the proxy sorted 100,000 rows on the GUI
// thread in one handler (45–270 ms). Here the raw values are copied, a permutation is sorted on a worker, and the
// GUI thread applies it as one layout change (persistent indexes, so selection and current row, follow their keys).
// While a sort runs the rows do not move: pages that arrive are appended and merged in when the result is applied;
// a newer sort or a reset makes the older result stale, and it is dropped. Once sorted, each later page's rows are
// inserted at their sorted places. m_keys stays in the API's order; m_order maps a shown row to it.
class KeyListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, User, Tier, Key, Status, Credits, LastUsed, Created, Expires, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,  // the raw value: numbers, ms since the epoch, status order
        IdRole,
        ProgressRole,                 // Credits: the share used, 0…1, for the bar
        RecordRole,                   // the whole KeyRecord
    };

    struct Query
    {
        QString q;
        QString tier;    // slug, empty = all
        QString status;  // active | revoked | expired, empty = all
        bool operator==(const Query &) const = default;
    };

    static constexpr int PageSize = 100;
    // A sorted page whose rows land in more gaps than this is placed by one layout change, not an insertion a gap.
    static constexpr int MaxInsertionsPerPage = 4;

    explicit KeyListModel(AdminClient *client, QObject *parent = nullptr);
    ~KeyListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // Asynchronous (see above); column -1 is the API's order again.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    bool isSorting() const { return m_sortPendingRows >= 0; }

    Query query() const { return m_query; }
    // A different query loads its first page; the same one does nothing (reload() does).
    void setQuery(const Query &query);
    // The first page again (F5); the rows shown stay until it arrives.
    void reload();

    bool hasLoaded() const { return m_loaded; }
    bool isLoading() const { return m_call != nullptr; }
    bool hasMore() const { return !m_nextCursor.isEmpty(); }
    int pagesLoaded() const { return m_pages; }

    KeyRecord key(int row) const { return row >= 0 && row < m_order.size() ? at(row) : KeyRecord(); }
    const KeyRecord &at(int row) const { return m_keys.at(m_order.at(row)); }
    int rowOf(const QString &id) const;
    // An answer of PATCH/DELETE/GET for one key: its row is updated in place.
    void updateKey(const KeyRecord &key);
    // Relative times ("2 min ago") are re-rendered against this clock.
    void setNow(const QDateTime &now);

Q_SIGNALS:
    void loadingChanged(bool loading);
    // rows: how many the page added (the first page: how many the model now has).
    void pageLoaded(int page, int rows);
    void loadFailed(const tollgate::gui::ApiError &error);
    // A sort was asked for (true) and its order applied or dropped for a newer one (false).
    void sortingChanged(bool sorting);

private:
    void load(bool firstPage);
    void insertSorted(int first, int count);
    void applySort(const std::vector<int> &permutation, int snapshotRows);
    void setOrder(QList<int> order);
    void placeRow(int row);
    QVariant display(const KeyRecord &key, int column) const;
    QVariant sortValue(const KeyRecord &key, int column) const;
    QString toolTip(const KeyRecord &key, int column) const;
    QFont monospaceFont() const;

    AdminClient *m_client;
    Query m_query;
    QList<KeyRecord> m_keys;  // the API's order
    QList<int> m_order;       // shown row → index in m_keys
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    quint64 m_sortRequest = 0;   // a result for an older request is stale
    quint64 m_resets = 0;        // as is one for rows a reset replaced
    int m_sortPendingRows = -1;  // m_keys [0, this) are being sorted; -1: no sort is running
    QString m_nextCursor;
    QPointer<ApiCall> m_call;
    quint64 m_generation = 0;
    int m_pages = 0;
    bool m_loaded = false;
    QDateTime m_now;
    mutable std::optional<QFont> m_monospace;
    mutable QFont m_monospaceBase;
};

} // namespace tollgate::gui
