#pragma once

#include "gui/client/ApiError.h"
#include "gui/keys/KeyRecord.h"

#include <QAbstractTableModel>
#include <QFont>
#include <optional>
#include <QPointer>
#include "gui/client/ApiCall.h"

namespace tollgate::gui {

class AdminClient;
class ApiCall;

// Every key of the gateway, a page (100) at a time from GET /admin/api-keys, in the order the API gives them.
// canFetchMore/fetchMore follow the API's cursors, so a view asks for the next page when it scrolls to the end.
// Search and filters are the server's (q, tier, status): changing them loads the first page again; the old rows
// stay until the new ones arrive, so nothing flickers and a failed load keeps what was shown.
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

    explicit KeyListModel(AdminClient *client, QObject *parent = nullptr);
    ~KeyListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    Query query() const { return m_query; }
    // A different query loads its first page; the same one does nothing (reload() does).
    void setQuery(const Query &query);
    // The first page again (F5); the rows shown stay until it arrives.
    void reload();

    bool hasLoaded() const { return m_loaded; }
    bool isLoading() const { return m_call != nullptr; }
    bool hasMore() const { return !m_nextCursor.isEmpty(); }
    int pagesLoaded() const { return m_pages; }

    KeyRecord key(int row) const { return m_keys.value(row); }
    const KeyRecord &at(int row) const { return m_keys.at(row); }
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

private:
    void load(bool firstPage);
    QVariant display(const KeyRecord &key, int column) const;
    QVariant sortValue(const KeyRecord &key, int column) const;
    QString toolTip(const KeyRecord &key, int column) const;
    QFont monospaceFont() const;

    AdminClient *m_client;
    Query m_query;
    QList<KeyRecord> m_keys;
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
