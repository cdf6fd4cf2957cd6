#include "gui/tiers/TierTableModel.h"

#include <QFont>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace tollgate::gui {

namespace {

// The gateway's own rules (core/tiers/Tier.cpp), so that Save seldom meets a 400 it could have foreseen.
constexpr int MaxNameCharacters = 200;
constexpr qint64 MaxInt = 2147483647;

// A whole number typed in the user's locale ("1,000", "1.000") or plainly ("1000").
std::optional<qint64> wholeNumber(const QVariant &value)
{
    if (value.typeId() == QMetaType::Int || value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::UInt)
        return value.toLongLong();
    if (value.typeId() == QMetaType::Double) {
        const double d = value.toDouble();
        if (d != std::floor(d))
            return std::nullopt;
        return qint64(d);
    }
    const QString text = value.toString().trimmed();
    bool ok = false;
    qint64 number = QLocale().toLongLong(text, &ok);
    if (!ok)
        number = QLocale::c().toLongLong(text, &ok);
    if (!ok)
        return std::nullopt;
    return number;
}

// "19.00", "19,00" (German), "19" → 1900; at most two decimals.
std::optional<qint64> cents(const QVariant &value)
{
    double amount = 0;
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Int || value.typeId() == QMetaType::LongLong) {
        amount = value.toDouble();
    } else {
        const QString text = value.toString().trimmed();
        static const QRegularExpression shape(QRegularExpression::anchoredPattern(QStringLiteral("-?[0-9.,' \u00a0\u202f]+")));
        if (!shape.match(text).hasMatch())
            return std::nullopt;
        bool ok = false;
        amount = QLocale().toDouble(text, &ok);
        if (!ok)
            amount = QLocale::c().toDouble(text, &ok);
        if (!ok)
            return std::nullopt;
    }
    const double scaled = amount * 100;
    if (std::abs(scaled - std::round(scaled)) > 1e-6 || std::abs(scaled) > 1e15)
        return std::nullopt;
    return qint64(std::llround(scaled));
}

} // namespace

TierTableModel::TierTableModel(QObject *parent) : QAbstractTableModel(parent)
{
}

const QStringList &TierTableModel::endpointGroups()
{
    static const QStringList groups{QStringLiteral("search"), QStringLiteral("extract"), QStringLiteral("stt"), QStringLiteral("tts")};
    return groups;
}

QString TierTableModel::limitsText(const QJsonObject &limits)
{
    QStringList parts;
    for (const QString &group : endpointGroups()) {
        if (!limits.contains(group))
            continue;
        const QJsonObject limit = limits.value(group).toObject();
        parts.append(QStringLiteral("%1=%2/%3").arg(group).arg(qint64(limit.value(QStringLiteral("rate")).toDouble()))
                         .arg(qint64(limit.value(QStringLiteral("windowSeconds")).toDouble())));
    }
    return parts.join(QStringLiteral(", "));
}

QString TierTableModel::columnKey(int column)
{
    switch (column) {
    case Slug:
        return QStringLiteral("slug");
    case Name:
        return QStringLiteral("name");
    case Rate:
        return QStringLiteral("rateLimit");
    case Window:
        return QStringLiteral("rateWindowSeconds");
    case Credits:
        return QStringLiteral("monthlyCredits");
    case Endpoints:
        return QStringLiteral("endpoints");
    case EndpointLimits:
        return QStringLiteral("endpointLimits");
    case Price:
        return QStringLiteral("priceCents");
    }
    return {};
}

void TierTableModel::setTiers(const QJsonArray &tiers)
{
    beginResetModel();
    m_saved = tiers;
    m_rows.clear();
    for (qsizetype i = 0; i < tiers.size(); ++i)
        m_rows.append({tiers.at(i).toObject(), int(i)});
    endResetModel();
    notifyChanges();
}

QJsonArray TierTableModel::tiers() const
{
    QJsonArray out;
    for (const Row &row : m_rows)
        out.append(row.current);
    return out;
}

void TierTableModel::revert()
{
    setTiers(QJsonArray(m_saved));
}

int TierTableModel::addTier()
{
    QString slug = QStringLiteral("new-tier");
    for (int n = 2; std::any_of(m_rows.cbegin(), m_rows.cend(),
                                [&](const Row &row) { return row.current.value(QStringLiteral("slug")).toString() == slug; });
         ++n)
        slug = QStringLiteral("new-tier-%1").arg(n);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({QJsonObject{{QStringLiteral("slug"), slug},
                               {QStringLiteral("name"), tr("New tier")},
                               {QStringLiteral("rateLimit"), 60},
                               {QStringLiteral("rateWindowSeconds"), 60},
                               {QStringLiteral("monthlyCredits"), 1000},
                               {QStringLiteral("endpoints"), QJsonArray{QStringLiteral("search")}},
                               {QStringLiteral("endpointLimits"), QJsonObject{}},
                               {QStringLiteral("priceCents"), 0}},
                   -1});
    endInsertRows();
    notifyChanges();
    return row;
}

void TierTableModel::removeTier(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    notifyChanges();
}

QStringList TierTableModel::removedSlugs() const
{
    QStringList out;
    for (qsizetype i = 0; i < m_saved.size(); ++i) {
        if (std::none_of(m_rows.cbegin(), m_rows.cend(), [i](const Row &row) { return row.saved == i; }))
            out.append(m_saved.at(i).toObject().value(QStringLiteral("slug")).toString());
    }
    return out;
}

void TierTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void TierTableModel::notifyChanges()
{
    const bool changes = hasChanges();
    if (changes != m_hadChanges) {
        m_hadChanges = changes;
        Q_EMIT changesChanged(changes);
    }
}

QJsonValue TierTableModel::savedValue(const Row &row, int column) const
{
    if (row.saved < 0)
        return QJsonValue::Undefined;
    return m_saved.at(row.saved).toObject().value(columnKey(column));
}

bool TierTableModel::isChanged(const Row &row, int column) const
{
    return row.saved < 0 || row.current.value(columnKey(column)) != savedValue(row, column);
}

QString TierTableModel::check(int rowIndex, int column, const QVariant &value, QJsonValue *normalized) const
{
    QJsonValue result;
    switch (column) {
    case Slug: {
        const QString slug = value.toString().trimmed();
        static const QRegularExpression pattern(QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9_-]{0,31}")));
        if (!pattern.match(slug).hasMatch())
            return tr("A slug is 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            if (i != rowIndex && m_rows[i].current.value(QStringLiteral("slug")).toString() == slug)
                return tr("Another tier already has the slug \"%1\".").arg(slug);
        }
        result = slug;
        break;
    }
    case Name: {
        const QString name = value.toString().trimmed();
        if (name.isEmpty())
            return tr("A tier needs a name.");
        if (name.size() > MaxNameCharacters)
            return tr("A name has at most %n characters.", nullptr, MaxNameCharacters);
        result = name;
        break;
    }
    case Rate:
    case Window: {
        const auto number = wholeNumber(value);
        if (!number)
            return column == Rate ? tr("The rate is a whole number of requests.") : tr("The window is a whole number of seconds.");
        if (*number < 1)
            return column == Rate ? tr("The rate must be at least 1 request.") : tr("The window must be at least 1 second.");
        if (*number > MaxInt)
            return tr("At most %1.").arg(QLocale().toString(MaxInt));
        result = QJsonValue(qint64(*number));
        break;
    }
    case Credits: {
        const auto number = wholeNumber(value);
        if (!number)
            return tr("Monthly credits are a whole number.");
        if (*number < 0)
            return tr("Monthly credits must not be negative.");
        result = QJsonValue(qint64(*number));
        break;
    }
    case Endpoints: {
        QStringList given;
        if (value.typeId() == QMetaType::QStringList)
            given = value.toStringList();
        else
            given = value.toString().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
        QJsonArray groups;
        for (const QString &raw : std::as_const(given)) {
            const QString group = raw.trimmed().toLower();
            if (!endpointGroups().contains(group))
                return tr("\"%1\" is no endpoint group (known: %2).").arg(raw.trimmed(), endpointGroups().join(QStringLiteral(", ")));
            if (!groups.contains(group))
                groups.append(group);
        }
        // In the gateway's order, so that ticking the same boxes twice is no change.
        QJsonArray ordered;
        for (const QString &group : endpointGroups()) {
            if (groups.contains(group))
                ordered.append(group);
        }
        result = ordered;
        break;
    }
    case EndpointLimits: {
        // "stt=5/3600, search=100/60": the CLI's --endpoint-limit syntax; empty for none.
        QJsonObject limits;
        static const QRegularExpression item(QRegularExpression::anchoredPattern(QStringLiteral("\\s*([A-Za-z]+)\\s*=\\s*(\\d+)\\s*/\\s*(\\d+)\\s*")));
        for (const QString &part : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (part.trimmed().isEmpty())
                continue;
            const QRegularExpressionMatch match = item.match(part);
            if (!match.hasMatch())
                return tr("\"%1\" is not GROUP=RATE/SECONDS, such as stt=5/3600.").arg(part.trimmed());
            const QString group = match.captured(1).toLower();
            if (!endpointGroups().contains(group))
                return tr("\"%1\" is no endpoint group (known: %2).").arg(match.captured(1), endpointGroups().join(QStringLiteral(", ")));
            const qint64 rate = match.captured(2).toLongLong();
            const qint64 window = match.captured(3).toLongLong();
            if (rate < 1 || rate > MaxInt || window < 1 || window > MaxInt)
                return tr("A limit needs at least 1 request and a window of at least 1 second.");
            if (limits.contains(group))
                return tr("The %1 group has two limits; give it one.").arg(group);
            limits.insert(group, QJsonObject{{QStringLiteral("rate"), rate}, {QStringLiteral("windowSeconds"), window}});
        }
        result = limits;
        break;
    }
    case Price: {
        const auto amount = cents(value);
        if (!amount)
            return tr("The price is an amount with at most two decimals, such as %1.").arg(QLocale().toString(19.0, 'f', 2));
        if (*amount < 0)
            return tr("The price must not be negative.");
        if (*amount > MaxInt)
            return tr("The price is too high.");
        result = QJsonValue(qint64(*amount));
        break;
    }
    default:
        return tr("This column cannot be edited.");
    }
    if (normalized)
        *normalized = result;
    return {};
}

QString TierTableModel::display(const Row &row, int column) const
{
    const QLocale locale;
    const QJsonValue value = row.current.value(columnKey(column));
    switch (column) {
    case Slug:
    case Name:
        return value.toString();
    case Rate:
    case Window:
    case Credits:
        return locale.toString(qint64(value.toDouble()));
    case Endpoints: {
        QStringList groups;
        for (const QJsonValue &group : value.toArray())
            groups.append(group.toString());
        return groups.isEmpty() ? tr("none") : groups.join(QStringLiteral(", "));
    }
    case EndpointLimits: {
        QStringList parts;
        const QJsonObject limits = value.toObject();
        for (const QString &group : endpointGroups()) {
            if (!limits.contains(group))
                continue;
            const QJsonObject limit = limits.value(group).toObject();
            parts.append(tr("%1: %2 per %3 s").arg(group, locale.toString(qint64(limit.value(QStringLiteral("rate")).toDouble())),
                                                  locale.toString(qint64(limit.value(QStringLiteral("windowSeconds")).toDouble()))));
        }
        return parts.isEmpty() ? tr("none") : parts.join(QStringLiteral(", "));
    }
    case Price:
        return locale.toString(value.toDouble() / 100.0, 'f', 2);
    }
    return {};
}

int TierTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TierTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TierTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    const QJsonValue value = row.current.value(columnKey(column));
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return display(row, column);
    case Qt::EditRole:
        switch (column) {
        case Endpoints: {
            QStringList groups;
            for (const QJsonValue &group : value.toArray())
                groups.append(group.toString());
            return groups;
        }
        case EndpointLimits:
            return limitsText(value.toObject());
        case Rate:
        case Window:
        case Credits:
            return QString::number(qint64(value.toDouble()));
        case Price: {
            QLocale locale;
            locale.setNumberOptions(QLocale::OmitGroupSeparator);
            return locale.toString(value.toDouble() / 100.0, 'f', 2);
        }
        default:
            return value.toString();
        }
    case RawRole:
        switch (column) {
        case Slug:
        case Name:
            return value.toString();
        case Endpoints:
            return value.toVariant();
        case EndpointLimits:
            return limitsText(value.toObject());
        default:
            return qint64(value.toDouble());
        }
    case ChangedRole:
        return isChanged(row, column);
    case Qt::FontRole:
        if (isChanged(row, column)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole: {
        if (row.saved < 0)
            return tr("New tier, not saved yet.");
        if (!isChanged(row, column))
            return {};
        Row saved{m_saved.at(row.saved).toObject(), row.saved};
        return tr("Changed, not saved yet (saved: %1).").arg(display(saved, column));
    }
    case Qt::TextAlignmentRole:
        if (column == Rate || column == Window || column == Credits || column == Price)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant TierTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical && role == Qt::DisplayRole && section >= 0 && section < m_rows.size())
        return m_rows[section].saved < 0 ? QStringLiteral("*") : QString();
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Rate:
            return tr("Requests allowed per window and key (at least 1)");
        case Window:
            return tr("Length of the rolling rate window in seconds (at least 1)");
        case Credits:
            return tr("Credits per key and calendar month (UTC)");
        case Endpoints:
            return tr("Endpoint groups the tier may call: %1").arg(endpointGroups().join(QStringLiteral(", ")));
        case EndpointLimits:
            return tr("Extra limits per endpoint group on top of the rate, as GROUP=RATE/SECONDS, e.g. stt=5/3600; "
                      "every limit that applies must admit a call");
        case Price:
            return tr("Monthly price, in the billing currency, two decimals");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Slug:
        return tr("Slug");
    case Name:
        return tr("Name");
    case Rate:
        return tr("Rate");
    case Window:
        return tr("Window (s)");
    case Credits:
        return tr("Monthly credits");
    case Endpoints:
        return tr("Endpoints");
    case EndpointLimits:
        return tr("Endpoint limits");
    case Price:
        return tr("Price");
    }
    return {};
}

Qt::ItemFlags TierTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

bool TierTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return false;
    QJsonValue normalized;
    const QString problem = check(index.row(), index.column(), value, &normalized);
    if (!problem.isEmpty()) {
        Q_EMIT refused(index, problem);
        return false;
    }
    Row &row = m_rows[index.row()];
    const QString key = columnKey(index.column());
    if (row.current.value(key) == normalized)
        return true;
    if (index.column() == Endpoints) {
        // The same groups in another order are no edit.
        QStringList now = row.current.value(key).toVariant().toStringList();
        QStringList given = normalized.toVariant().toStringList();
        now.sort();
        given.sort();
        if (now == given)
            return true;
    }
    row.current.insert(key, normalized);
    Q_EMIT dataChanged(index, index);
    notifyChanges();
    return true;
}

} // namespace tollgate::gui
