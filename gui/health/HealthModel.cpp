#include "gui/health/HealthModel.h"

#include <QJsonArray>
#include <QLocale>

namespace tollgate::gui {

namespace {

bool isHalfOpen(const QString &state)
{
    const QString s = state.toLower();
    return s == QLatin1String("half-open") || s == QLatin1String("half_open") || s == QLatin1String("halfopen");
}

// The gateway's words for a state: status up/down/disabled, and the per-instance state up/down/open/half-open/
// unknown (unknown: not probed yet).
Light lightOf(const QString &state)
{
    const QString s = state.toLower();
    if (s == QLatin1String("up") || s == QLatin1String("ok") || s == QLatin1String("closed"))
        return Light::Up;
    if (s == QLatin1String("down") || s == QLatin1String("open"))
        return Light::Down;
    if (isHalfOpen(s) || s == QLatin1String("degraded"))
        return Light::Degraded;
    if (s == QLatin1String("disabled"))
        return Light::Disabled;
    if (s == QLatin1String("unknown") || s == QLatin1String("unchecked") || s == QLatin1String("pending"))
        return Light::NotChecked;
    return Light::Unknown;
}

// An upstream's or instance's state: the newer `state` string when the gateway sends one, else `status`. An open
// or half-open state is its breaker's too, when no breaker field says otherwise.
void readState(const QJsonObject &object, QString &stateText, Light &light, QString &breaker)
{
    const QJsonValue state = object.value(QStringLiteral("state"));
    stateText = state.isString() ? state.toString() : object.value(QStringLiteral("status")).toString();
    light = lightOf(stateText);
    const QString s = stateText.toLower();
    if (breaker.isEmpty() && (s == QLatin1String("open") || isHalfOpen(s)))
        breaker = isHalfOpen(s) ? QStringLiteral("half-open") : QStringLiteral("open");
}

QDateTime timeOf(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QDateTime at = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!at.isValid())
        at = QDateTime::fromString(value.toString(), Qt::ISODate);
    return at;
}

qint64 latencyOf(const QJsonValue &value)
{
    return value.isDouble() ? qint64(value.toDouble()) : -1;
}

// The breaker is being added to the status answer; take the names a gateway may use for it.
QString breakerOf(const QJsonObject &object)
{
    for (const char *name : {"breaker", "breakerState", "circuit"}) {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isString())
            return value.toString();
        if (value.isObject())
            return value.toObject().value(QStringLiteral("state")).toString();
    }
    return {};
}

} // namespace

HealthModel::HealthModel(QObject *parent) : QAbstractTableModel(parent), m_now([] { return QDateTime::currentDateTimeUtc(); })
{
}

QList<HealthModel::Row> HealthModel::rowsOf(const QJsonObject &status)
{
    QList<Row> rows;
    const QJsonObject upstreams = status.value(QStringLiteral("upstreams")).toObject();
    // QJsonObject keeps its keys sorted: search, stt, tts.
    for (auto it = upstreams.constBegin(); it != upstreams.constEnd(); ++it) {
        const QJsonObject upstream = it.value().toObject();
        const QJsonArray instances = upstream.value(QStringLiteral("instances")).toArray();
        Row whole;
        whole.kind = Kind::Upstream;
        whole.name = it.key();
        whole.breaker = breakerOf(upstream);
        readState(upstream, whole.stateText, whole.state, whole.breaker);
        whole.latencyMs = latencyOf(upstream.value(QStringLiteral("latencyMs")));
        whole.checkedAt = timeOf(upstream.value(QStringLiteral("checkedAt")));
        if (whole.state == Light::NotChecked)
            whole.note = QStringLiteral("not-checked");
        if (instances.isEmpty()) {
            rows.append(whole);
            continue;
        }
        for (const QJsonValue &value : instances) {
            Row row = whole;
            if (value.isObject()) {
                const QJsonObject instance = value.toObject();
                row.url = instance.value(QStringLiteral("url")).toString();
                const QString breaker = breakerOf(instance);
                if (!breaker.isEmpty())
                    row.breaker = breaker;
                else if (instance.contains(QStringLiteral("state")))
                    row.breaker.clear();  // the instance's own state says it; the upstream's breaker is not this one's
                readState(instance, row.stateText, row.state, row.breaker);
                row.latencyMs = latencyOf(instance.value(QStringLiteral("latencyMs")));
                row.checkedAt = timeOf(instance.value(QStringLiteral("checkedAt")));
                row.note.clear();
                // Reported, but never probed yet: an older gateway's "down" there means "no answer so far".
                const bool neverChecked = !instance.value(QStringLiteral("checkedAt")).isString();
                if (neverChecked && row.state == Light::Down && row.breaker.isEmpty())
                    row.state = Light::NotChecked;
                if (row.state == Light::NotChecked)
                    row.note = QStringLiteral("not-checked");
            } else {
                // An older gateway lists bare URLs and one state for the whole upstream: that is the instance's
                // own only when it is the only one.
                row.url = value.toString();
                if (instances.size() > 1) {
                    row.state = Light::Unknown;
                    row.stateText.clear();
                    row.latencyMs = -1;
                    row.note = QStringLiteral("upstream-only");
                }
            }
            rows.append(row);
        }
    }
    const QJsonObject database = status.value(QStringLiteral("database")).toObject();
    Row db;
    db.kind = Kind::Database;
    db.url = database.value(QStringLiteral("url")).toString();
    db.stateText = database.value(QStringLiteral("status")).toString();
    db.state = lightOf(db.stateText);
    db.latencyMs = latencyOf(database.value(QStringLiteral("latencyMs")));
    db.checkedAt = timeOf(database.value(QStringLiteral("checkedAt")));
    rows.append(db);

    Row redis;
    redis.kind = Kind::Redis;
    const QJsonValue redisValue = status.value(QStringLiteral("redis"));
    if (redisValue.isObject()) {
        const QJsonObject object = redisValue.toObject();
        redis.stateText = object.value(QStringLiteral("status")).toString();
        redis.url = object.value(QStringLiteral("url")).toString();
        redis.latencyMs = latencyOf(object.value(QStringLiteral("latencyMs")));
        redis.checkedAt = timeOf(object.value(QStringLiteral("checkedAt")));
    } else if (redisValue.isString()) {
        redis.stateText = redisValue.toString();
    } else {
        redis.note = QStringLiteral("not-reported");
    }
    redis.state = lightOf(redis.stateText);
    rows.append(redis);
    return rows;
}

void HealthModel::setStatus(const QJsonObject &status)
{
    QList<Row> rows = rowsOf(status);
    m_hasStatus = true;
    auto sameShape = [&] {
        if (rows.size() != m_rows.size())
            return false;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (rows[i].kind != m_rows[i].kind || rows[i].name != m_rows[i].name || rows[i].url != m_rows[i].url)
                return false;
        }
        return true;
    };
    if (!sameShape()) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    // Relative times move on even when nothing else changed.
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

bool HealthModel::hasBreakerInfo() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row &row) { return !row.breaker.isEmpty(); });
}

void HealthModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QString HealthModel::stateWord(Light light)
{
    switch (light) {
    case Light::Up:
        return tr("Up");
    case Light::Down:
        return tr("Down");
    case Light::Degraded:
        return tr("Degraded");
    case Light::Disabled:
        return tr("Disabled");
    case Light::NotChecked:
        return tr("Not checked yet");
    case Light::Unknown:
        break;
    }
    return tr("Unknown");
}

QString HealthModel::relativeTime(const QDateTime &at, const QDateTime &now)
{
    if (!at.isValid())
        return {};
    const qint64 seconds = qMax<qint64>(0, at.secsTo(now));
    if (seconds < 2)
        return tr("just now");
    if (seconds < 60)
        return tr("%n s ago", nullptr, int(seconds));
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    if (seconds < 86400)
        return tr("%n h ago", nullptr, int(seconds / 3600));
    return QLocale().toString(at.toLocalTime(), QLocale::ShortFormat);
}

int HealthModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HealthModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HealthModel::display(const Row &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case Status:
        // A breaker's state is the reason: say it, not only "down".
        if (row.breaker == QLatin1String("open") && row.state == Light::Down)
            return tr("Down (breaker open)");
        if (isHalfOpen(row.breaker) && row.state == Light::Degraded)
            return tr("Probing (breaker half-open)");
        return stateWord(row.state);
    case Service:
        switch (row.kind) {
        case Kind::Upstream:
            return row.name;
        case Kind::Database:
            return tr("Database");
        case Kind::Redis:
            return tr("Redis");
        }
        return {};
    case Url:
        return row.url;
    case Latency:
        return row.latencyMs >= 0 ? tr("%1 ms").arg(locale.toString(row.latencyMs)) : QString();
    case LastCheck:
        return relativeTime(row.checkedAt, m_now());
    case Breaker:
        if (row.breaker.isEmpty())
            return {};
        if (row.breaker == QLatin1String("closed"))
            return tr("Closed");
        if (row.breaker == QLatin1String("open"))
            return tr("Open");
        if (isHalfOpen(row.breaker))
            return tr("Half-open");
        return row.breaker;
    }
    return {};
}

QString HealthModel::tooltip(const Row &row, int column) const
{
    switch (column) {
    case Status:
        if (row.note == QLatin1String("upstream-only"))
            return tr("This gateway reports one state for the whole upstream, not for each of its instances.");
        if (row.note == QLatin1String("not-checked"))
            return tr("Not checked yet: the gateway's first probe has not answered.");
        if (row.note == QLatin1String("not-reported"))
            return tr("This gateway does not report Redis.");
        if (row.kind == Kind::Redis && row.state == Light::Disabled)
            return tr("Rate limits are kept in the gateway's memory (RATE_LIMIT_BACKEND=local).");
        return {};
    case LastCheck:
        return row.checkedAt.isValid() ? QLocale().toString(row.checkedAt.toLocalTime(), QLocale::LongFormat) : QString();
    case Breaker:
        if (row.breaker == QLatin1String("open"))
            return tr("Calls skip this instance until a half-open probe succeeds.");
        if (isHalfOpen(row.breaker))
            return tr("A few calls go to this instance to see whether it answers again.");
        return {};
    default:
        return display(row, column);
    }
}

QVariant HealthModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole: {
        const QString text = tooltip(row, index.column());
        return text.isEmpty() ? QVariant() : QVariant(text);
    }
    case Qt::DecorationRole:
        if (index.column() == Status)
            return lightIcon(row.state);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Latency)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::AccessibleTextRole:
        return display(row, index.column());
    case KindRole:
        return int(row.kind);
    case RawRole:
        switch (index.column()) {
        case Status:
            return row.stateText;
        case Service:
            return row.name;
        case Url:
            return row.url;
        case Latency:
            return row.latencyMs;
        case LastCheck:
            return row.checkedAt;
        case Breaker:
            return row.breaker;
        }
        return {};
    }
    return {};
}

QVariant HealthModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Status:
        return tr("Status");
    case Service:
        return tr("Service");
    case Url:
        return tr("URL");
    case Latency:
        return tr("Latency");
    case LastCheck:
        return tr("Last check");
    case Breaker:
        return tr("Breaker");
    }
    return {};
}

} // namespace tollgate::gui
