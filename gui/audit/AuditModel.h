#pragma once

#include "gui/client/ApiError.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QPointer>

namespace tollgate::gui {

class AdminClient;
class ApiCall;

// The audit log, newest first, one page at a time over GET /admin/audit's cursors: canFetchMore() while the
// last page named a next_cursor, fetchMore() asks for it (asynchronously; the rows arrive later). The filters
// (actor, action, keyId; each exact) are the gateway's: it filters in SQL and pages over the filtered entries,
// so a rare action deep in a long log comes in one page, not after hundreds of pages read and thrown away here.
class AuditModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Actor, Action, Target, Changes, ColumnCount };
    static constexpr int RawRole = Qt::UserRole;  // QDateTime, the strings as the gateway wrote them

    struct Filter
    {
        QString actor;
        QString action;
        QString keyId;
        bool operator==(const Filter &) const = default;
    };

    struct Entry
    {
        QString id;
        QDateTime at;
        QString actor;
        QString action;
        QString targetType;
        QString targetId;
        QJsonValue before;
        QJsonValue after;
        QStringList changedFields() const;
    };

    explicit AuditModel(AdminClient *client, QObject *parent = nullptr);

    void setFilter(const Filter &filter);
    Filter filter() const { return m_filter; }
    void setPageSize(int pageSize) { m_pageSize = pageSize; }
    int pageSize() const { return m_pageSize; }
    // Drop what is shown and load the first page again.
    void reload();
    bool hasLoaded() const { return m_loaded; }
    bool isFetching() const { return bool(m_inFlight); }
    int pagesLoaded() const { return m_pages; }
    const Entry *entry(int row) const;
    void retranslate();

    // The actions the gateway writes (core/service/KeyService.cpp), for the filter.
    static const QStringList &knownActions();
    static QString describeAction(const QString &action);
    static QString describeTarget(const QString &type, const QString &id);
    static Entry entryFromJson(const QJsonObject &object);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void fetchingChanged(bool fetching);
    // A page arrived (also an empty one).
    void pageLoaded();
    void failed(const tollgate::gui::ApiError &error);

private:
    void request(const QString &cursor);
    void onPage(quint64 generation, const QJsonValue &data, const QJsonObject &meta);

    AdminClient *m_client;
    Filter m_filter;
    QList<Entry> m_entries;
    QString m_nextCursor;
    QPointer<ApiCall> m_inFlight;
    quint64 m_generation = 0;
    int m_pageSize = 50;
    int m_pages = 0;
    bool m_loaded = false;
    bool m_atEnd = false;
};

} // namespace tollgate::gui
