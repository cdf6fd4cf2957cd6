#pragma once

#include <QAbstractTableModel>
#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace tollgate::gui {

// Usage per UTC day, as the Usage view shows it: one row per day of the range (days without usage are rows of
// zeros, never skipped), one column per series of the stacked chart (an outcome, or an endpoint), then the
// day's total requests, credits and average latency. Display text goes through QLocale; RawValueRole holds the
// plain value (QDate, qint64, double) for sorting, the charts and the CSV export.
class UsageModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Grouping { Outcome, Endpoint };
    enum Role { RawValueRole = Qt::UserRole, SeriesIdRole };

    // One row of GET /admin/usage/daily: one day and endpoint.
    struct Entry
    {
        QDate day;
        QString endpoint;
        qint64 requests = 0;
        qint64 credits = 0;
        qint64 errors = 0;
        double avgLatencyMs = 0;
        bool hasOutcomes = false;
        QHash<QString, qint64> outcomes;  // ok, upstreamError, …
    };

    // Reads the API's rows ("day", or "date" as /admin/usage/summary's byDay names it); skips rows without a day.
    static QList<Entry> parse(const QJsonArray &rows);
    // The outcomes the API counts, in the order of the stack (untranslated ids).
    static QStringList outcomeIds();
    // "other": requests the gateway reported without an outcome (an older gateway); shown only when present.
    static QString unclassifiedId() { return QStringLiteral("other"); }
    static QString outcomeName(const QString &id);

    explicit UsageModel(QObject *parent = nullptr);

    // The range ends with lastDay (today, UTC) and is `days` long. Entries outside it are ignored. When the
    // shape (days and series) stays the same, only dataChanged is emitted, so charts update in place.
    void setUsage(const QList<Entry> &entries, const QDate &lastDay, int days, Grouping grouping);
    void clear();

    Grouping grouping() const { return m_grouping; }
    int days() const { return int(m_days.size()); }
    QDate day(int row) const { return m_days.value(row); }
    int seriesCount() const { return int(m_series.size()); }
    QString seriesId(int series) const { return m_series.value(series); }
    QString seriesName(int series) const;
    qint64 requests(int row, int series) const;
    qint64 totalRequests(int row) const;
    qint64 credits(int row) const;
    double avgLatencyMs(int row) const;
    qint64 totalRequests() const;
    qint64 totalCredits() const;
    double avgLatencyMs() const;  // over the whole range, weighted by requests

    // Columns: 0 the day, 1…seriesCount() the series, then these three.
    int requestsColumn() const { return 1 + seriesCount(); }
    int creditsColumn() const { return 2 + seriesCount(); }
    int latencyColumn() const { return 3 + seriesCount(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // After a LanguageChange: headers and display texts anew.
    void retranslate();

    // The day as the console shows it in tables: 01.12.2026 in German, 12/1/2026 in English (four-digit years).
    static QString dayText(const QDate &day);
    // Day and month only, for axis labels: "01.12" / "12/1".
    static QString shortDayText(const QDate &day);

private:
    struct DayRow
    {
        QList<qint64> series;
        qint64 requests = 0;
        qint64 credits = 0;
        double latencySum = 0;  // avgLatencyMs × requests, summed over the day's endpoints
    };

    QVariant raw(int row, int column) const;

    Grouping m_grouping = Grouping::Outcome;
    QList<QDate> m_days;
    QStringList m_series;
    QList<DayRow> m_rows;
};

} // namespace tollgate::gui
