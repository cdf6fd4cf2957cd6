#pragma once

#include "gui/health/StatusDot.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>

#include <functional>

namespace tollgate::gui {

// What GET /admin/status says about the gateway's dependencies, one row each: every instance of every upstream
// (name order, then the order the gateway lists them), then the database, then Redis. Refreshed in place: when
// the same rows come back only their cells change, so the selection and scroll position survive the 2-s poll.
class HealthModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Status, Service, Url, Latency, LastCheck, Breaker, ColumnCount };
    enum class Kind { Upstream, Database, Redis };
    // The raw value under a cell (state as text "up"/"down"/…, latency in ms, check time as a QDateTime), for
    // sorting and for tests.
    static constexpr int RawRole = Qt::UserRole;
    static constexpr int KindRole = Qt::UserRole + 1;

    struct Row
    {
        Kind kind = Kind::Upstream;
        QString name;      // upstream name; empty for the database and Redis
        QString url;
        Light state = Light::Unknown;
        QString stateText; // as the gateway said it ("up", "down", "disabled"), for RawRole
        qint64 latencyMs = -1;
        QDateTime checkedAt;
        QString breaker;   // "closed", "open", "half-open"; empty when not reported
        QString note;      // why the state is what it is, for the tooltip
        bool operator==(const Row &) const = default;
    };

    explicit HealthModel(QObject *parent = nullptr);

    void setStatus(const QJsonObject &status);
    bool hasStatus() const { return m_hasStatus; }
    const QList<Row> &rows() const { return m_rows; }
    bool hasBreakerInfo() const;
    // For relative times ("5 s ago"); tests fix it.
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }
    // Header and cell texts are translated when asked for: after a language change, tell the views.
    void retranslate();

    static QString stateWord(Light light);
    static QString relativeTime(const QDateTime &at, const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static QList<Row> rowsOf(const QJsonObject &status);
    QString display(const Row &row, int column) const;
    QString tooltip(const Row &row, int column) const;

    QList<Row> m_rows;
    bool m_hasStatus = false;
    std::function<QDateTime()> m_now;
};

} // namespace tollgate::gui
