#include "gui/usage/UsageModel.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace tollgate::gui {

namespace {

qint64 integer(const QJsonObject &object, const char *key)
{
    return qint64(object.value(QLatin1String(key)).toDouble());
}

// The locale's short date with a four-digit year ("dd.MM.yy" → "dd.MM.yyyy"), as dates read in German.
QString dateFormatWithLongYear(const QLocale &locale)
{
    QString format = locale.dateFormat(QLocale::ShortFormat);
    if (!format.contains(QLatin1String("yyyy")))
        format.replace(QRegularExpression(QStringLiteral("y+")), QStringLiteral("yyyy"));
    return format;
}

// The locale's short date without its year: "dd.MM.yy" → "dd.MM", "M/d/yy" → "M/d", "yyyy-MM-dd" → "MM-dd".
QString dateFormatWithoutYear(const QLocale &locale)
{
    QString format = locale.dateFormat(QLocale::ShortFormat);
    static const QRegularExpression trailing(QStringLiteral("[^dMy]*y+[^dMy]*$"));
    static const QRegularExpression leading(QStringLiteral("^[^dMy]*y+[^dMy]*"));
    static const QRegularExpression middle(QStringLiteral("y+[^dMy]*"));
    if (format.contains(trailing))
        format.remove(trailing);
    else if (format.contains(leading))
        format.remove(leading);
    else
        format.remove(middle);
    return format.isEmpty() ? QStringLiteral("dd.MM") : format;
}

} // namespace

QList<UsageModel::Entry> UsageModel::parse(const QJsonArray &rows)
{
    QList<Entry> entries;
    entries.reserve(rows.size());
    for (const QJsonValue &value : rows) {
        const QJsonObject row = value.toObject();
        QString day = row.value(QStringLiteral("day")).toString();
        if (day.isEmpty())
            day = row.value(QStringLiteral("date")).toString();
        Entry entry;
        entry.day = QDate::fromString(day.left(10), Qt::ISODate);
        if (!entry.day.isValid())
            continue;
        entry.endpoint = row.value(QStringLiteral("endpoint")).toString();
        entry.requests = integer(row, "requests");
        entry.credits = integer(row, "credits");
        entry.errors = integer(row, "errors");
        entry.avgLatencyMs = row.value(QStringLiteral("avgLatencyMs")).toDouble();
        const QJsonValue outcomes = row.value(QStringLiteral("outcomes"));
        entry.hasOutcomes = outcomes.isObject();
        const QJsonObject object = outcomes.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            entry.outcomes.insert(it.key(), qint64(it.value().toDouble()));
        entries.append(entry);
    }
    return entries;
}

QStringList UsageModel::outcomeIds()
{
    return {QStringLiteral("ok"),          QStringLiteral("upstreamError"), QStringLiteral("rateLimited"),
            QStringLiteral("insufficientCredits"), QStringLiteral("forbidden"), QStringLiteral("clientError")};
}

QString UsageModel::outcomeName(const QString &id)
{
    if (id == QLatin1String("ok"))
        return tr("OK (charged)");
    if (id == QLatin1String("upstreamError"))
        return tr("Upstream error");
    if (id == QLatin1String("rateLimited"))
        return tr("Rate limited");
    if (id == QLatin1String("insufficientCredits"))
        return tr("Insufficient credits");
    if (id == QLatin1String("forbidden"))
        return tr("Forbidden");
    if (id == QLatin1String("clientError"))
        return tr("Client error");
    if (id == unclassifiedId())
        return tr("Other");
    return id;
}

UsageModel::UsageModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void UsageModel::setUsage(const QList<Entry> &entries, const QDate &lastDay, int days, Grouping grouping)
{
    QList<QDate> dayList;
    for (int i = days - 1; i >= 0; --i)
        dayList.append(lastDay.addDays(-i));
    const QDate first = dayList.value(0);
    auto inRange = [&](const Entry &entry) { return entry.day >= first && entry.day <= lastDay; };

    QStringList series;
    if (grouping == Grouping::Outcome) {
        series = outcomeIds();
        const bool unclassified = std::any_of(entries.begin(), entries.end(), [&](const Entry &entry) {
            qint64 classified = 0;
            for (const qint64 count : entry.outcomes)
                classified += count;
            return inRange(entry) && entry.requests > classified;
        });
        if (unclassified)
            series.append(unclassifiedId());
    } else {
        // Endpoints, busiest first; ties by name so the order (and the colours) stay put between reloads.
        QHash<QString, qint64> byEndpoint;
        for (const Entry &entry : entries) {
            if (inRange(entry))
                byEndpoint[entry.endpoint] += entry.requests;
        }
        series = byEndpoint.keys();
        std::sort(series.begin(), series.end(), [&](const QString &a, const QString &b) {
            const qint64 x = byEndpoint.value(a), y = byEndpoint.value(b);
            return x != y ? x > y : a < b;
        });
    }

    QList<DayRow> rows(dayList.size());
    for (DayRow &row : rows)
        row.series.fill(0, series.size());
    for (const Entry &entry : entries) {
        if (!inRange(entry))
            continue;
        DayRow &row = rows[first.daysTo(entry.day)];
        row.requests += entry.requests;
        row.credits += entry.credits;
        row.latencySum += entry.avgLatencyMs * double(entry.requests);
        if (grouping == Grouping::Outcome) {
            qint64 classified = 0;
            for (auto it = entry.outcomes.constBegin(); it != entry.outcomes.constEnd(); ++it) {
                const qsizetype column = series.indexOf(it.key());
                if (column >= 0) {
                    row.series[column] += it.value();
                    classified += it.value();
                }
            }
            const qsizetype other = series.indexOf(unclassifiedId());
            if (other >= 0 && entry.requests > classified)
                row.series[other] += entry.requests - classified;
        } else {
            row.series[series.indexOf(entry.endpoint)] += entry.requests;
        }
    }

    if (grouping == m_grouping && dayList == m_days && series == m_series) {
        m_rows = rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    m_grouping = grouping;
    m_days = dayList;
    m_series = series;
    m_rows = rows;
    endResetModel();
}

void UsageModel::clear()
{
    beginResetModel();
    m_days.clear();
    m_series.clear();
    m_rows.clear();
    endResetModel();
}

QString UsageModel::seriesName(int series) const
{
    const QString id = seriesId(series);
    if (m_grouping == Grouping::Outcome)
        return outcomeName(id);
    return id.isEmpty() ? tr("(no endpoint)") : id;
}

qint64 UsageModel::requests(int row, int series) const
{
    return m_rows.value(row).series.value(series);
}

qint64 UsageModel::totalRequests(int row) const
{
    return m_rows.value(row).requests;
}

qint64 UsageModel::credits(int row) const
{
    return m_rows.value(row).credits;
}

double UsageModel::avgLatencyMs(int row) const
{
    const DayRow day = m_rows.value(row);
    return day.requests > 0 ? day.latencySum / double(day.requests) : 0.0;
}

qint64 UsageModel::totalRequests() const
{
    qint64 sum = 0;
    for (const DayRow &row : m_rows)
        sum += row.requests;
    return sum;
}

qint64 UsageModel::totalCredits() const
{
    qint64 sum = 0;
    for (const DayRow &row : m_rows)
        sum += row.credits;
    return sum;
}

double UsageModel::avgLatencyMs() const
{
    double latency = 0;
    qint64 requests = 0;
    for (const DayRow &row : m_rows) {
        latency += row.latencySum;
        requests += row.requests;
    }
    return requests > 0 ? latency / double(requests) : 0.0;
}

int UsageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UsageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 4 + seriesCount();
}

QVariant UsageModel::raw(int row, int column) const
{
    if (column == 0)
        return m_days.value(row);
    if (column <= seriesCount())
        return requests(row, column - 1);
    if (column == requestsColumn())
        return totalRequests(row);
    if (column == creditsColumn())
        return credits(row);
    return avgLatencyMs(row);
}

QVariant UsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int row = index.row(), column = index.column();
    switch (role) {
    case RawValueRole:
        return raw(row, column);
    case Qt::DisplayRole: {
        const QLocale locale;
        if (column == 0)
            return dayText(day(row));
        if (column == latencyColumn())
            return locale.toString(avgLatencyMs(row), 'f', 1);
        return locale.toString(raw(row, column).toLongLong());
    }
    case Qt::TextAlignmentRole:
        return column == 0 ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case SeriesIdRole:
        return column >= 1 && column <= seriesCount() ? QVariant(seriesId(column - 1)) : QVariant();
    default:
        return {};
    }
}

QVariant UsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == SeriesIdRole)
        return section >= 1 && section <= seriesCount() ? QVariant(seriesId(section - 1)) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    if (section == 0)
        return tr("Day (UTC)");
    if (section <= seriesCount())
        return seriesName(section - 1);
    if (section == requestsColumn())
        return tr("Requests");
    if (section == creditsColumn())
        return tr("Credits");
    return tr("Avg latency (ms)");
}

void UsageModel::retranslate()
{
    if (columnCount() > 0)
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::DisplayRole});
}

QString UsageModel::dayText(const QDate &day)
{
    const QLocale locale;
    return locale.toString(day, dateFormatWithLongYear(locale));
}

QString UsageModel::shortDayText(const QDate &day)
{
    const QLocale locale;
    return locale.toString(day, dateFormatWithoutYear(locale));
}

} // namespace tollgate::gui
