#include "gui/keys/KeyListModel.h"

#include "gui/client/AdminClient.h"
#include "gui/client/ApiCall.h"

#include <QColor>
#include <QGuiApplication>
#include <QIcon>
#include <QJsonArray>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QUrlQuery>

namespace tollgate::gui {

namespace {

QString statusWord(KeyRecord::Status status)
{
    switch (status) {
    case KeyRecord::Status::Active: return KeyListModel::tr("Active");
    case KeyRecord::Status::Revoked: return KeyListModel::tr("Revoked");
    case KeyRecord::Status::Expired: return KeyListModel::tr("Expired");
    case KeyRecord::Status::Unknown: break;
    }
    return KeyListModel::tr("Unknown");
}

QColor statusColor(KeyRecord::Status status)
{
    switch (status) {
    case KeyRecord::Status::Active: return QColor(0x2e, 0x9e, 0x4f);
    case KeyRecord::Status::Revoked: return QColor(0xc6, 0x28, 0x28);
    case KeyRecord::Status::Expired: return QColor(0xe0, 0x8e, 0x0b);
    case KeyRecord::Status::Unknown: break;
    }
    return QColor(Qt::gray);
}

// A coloured dot beside the word: colour alone fails colour-blind admins and grey screenshots.
QIcon statusDot(KeyRecord::Status status)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(status));
    if (it != cache.end())
        return *it;
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(statusColor(status));
    painter.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    painter.end();
    return *cache.insert(int(status), QIcon(pixmap));
}

qint64 msOr(const QDateTime &time, qint64 fallback)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : fallback;
}

} // namespace

KeyListModel::KeyListModel(AdminClient *client, QObject *parent)
    : QAbstractTableModel(parent), m_client(client), m_now(QDateTime::currentDateTimeUtc())
{
}

KeyListModel::~KeyListModel()
{
    if (m_call)
        m_call->abort();
}

int KeyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int KeyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KeyRecord &key = m_keys.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return display(key, column);
    case Qt::ToolTipRole: return toolTip(key, column);
    case SortRole: return sortValue(key, column);
    case IdRole: return key.id;
    case RecordRole: return QVariant::fromValue(key);
    case ProgressRole: return column == Credits ? QVariant(key.creditsShareUsed()) : QVariant();
    case Qt::DecorationRole: return column == Status ? QVariant(statusDot(key.status)) : QVariant();
    case Qt::TextAlignmentRole:
        if (column == Credits)
            return int(Qt::AlignCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::FontRole:
        if (column == Key)
            return monospaceFont();
        return {};
    case Qt::ForegroundRole:
        if (key.status != KeyRecord::Status::Active && column != Status)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::AccessibleTextRole: return display(key, column);
    default: return {};
    }
}

QFont KeyListModel::monospaceFont() const
{
    // Asked for by every painted Key cell: made once per application font, not once per cell.
    const QFont base = QGuiApplication::font();
    if (!m_monospace || m_monospaceBase != base) {
        QFont font = base;
        font.setFamily(QStringLiteral("monospace"));
        font.setStyleHint(QFont::Monospace);
        m_monospace = font;
        m_monospaceBase = base;
    }
    return *m_monospace;
}

QVariant KeyListModel::display(const KeyRecord &key, int column) const
{
    const QLocale locale;
    switch (column) {
    case Name: return key.name;
    case User: return key.userId;
    case Tier: return key.tier;
    case Key: return key.maskedKey;
    case Status: return statusWord(key.status);
    case Credits:
        //: credits used "of" what the key may spend this period: "3,120 of 5,000"
        return tr("%1 of %2").arg(locale.toString(key.creditsUsed), locale.toString(key.creditsAvailable()));
    case LastUsed: return keytime::relative(key.lastUsedAt, m_now);
    case Created: return keytime::dateUtc(key.createdAt);
    case Expires: return key.expiresAt.isValid() ? keytime::dateUtc(key.expiresAt) : tr("never");
    default: return {};
    }
}

QVariant KeyListModel::sortValue(const KeyRecord &key, int column) const
{
    switch (column) {
    case Name: return key.name;
    case User: return key.userId;
    case Tier: return key.tier;
    case Key: return key.last4();
    case Status: return int(key.status);
    // The share used (who is near the limit; KeyFilterModel breaks ties by the amount): a number, never the text.
    case Credits: return key.creditsShareUsed();
    case LastUsed: return msOr(key.lastUsedAt, 0);
    case Created: return msOr(key.createdAt, 0);
    case Expires: return msOr(key.expiresAt, std::numeric_limits<qint64>::max());  // never expires: last
    default: return {};
    }
}

QString KeyListModel::toolTip(const KeyRecord &key, int column) const
{
    const QLocale locale;
    switch (column) {
    case Name: return key.description.isEmpty() ? key.name : key.name + QLatin1Char('\n') + key.description;
    case User: return key.userId;
    case Key: return key.isTest ? tr("%1 (test key)").arg(key.maskedKey) : key.maskedKey;
    case Credits:
        return tr("%1 used, %2 remaining this period (UTC month); %3 a month")
            .arg(locale.toString(key.creditsUsed), locale.toString(key.creditsRemaining), locale.toString(key.monthlyCredits));
    case LastUsed: return key.lastUsedAt.isValid() ? keytime::dateTimeUtc(key.lastUsedAt) : tr("Never used");
    case Created: return keytime::dateTimeUtc(key.createdAt);
    case Expires: return key.expiresAt.isValid() ? keytime::dateTimeUtc(key.expiresAt) : tr("Never expires");
    default: return display(key, column).toString();
    }
}

QVariant KeyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Credits: return tr("Credits used of what the key may spend this UTC month; sorted by the share used");
        case Created:
        case Expires: return tr("Dates in UTC");
        case LastUsed: return tr("The full time (UTC) is in each cell's tooltip");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case User: return tr("User");
    case Tier: return tr("Tier");
    case Key: return tr("Key");
    case Status: return tr("Status");
    case Credits: return tr("Credits");
    case LastUsed: return tr("Last used");
    case Created: return tr("Created (UTC)");
    case Expires: return tr("Expires (UTC)");
    default: return {};
    }
}

bool KeyListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded && !m_call && !m_nextCursor.isEmpty();
}

void KeyListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        load(false);
}

void KeyListModel::setQuery(const Query &query)
{
    if (query == m_query && (m_loaded || m_call))
        return;
    m_query = query;
    load(true);
}

void KeyListModel::reload()
{
    load(true);
}

void KeyListModel::load(bool firstPage)
{
    const quint64 generation = ++m_generation;
    if (m_call) {
        // A newer question makes the old answer useless; its generation no longer matches either.
        ApiCall *old = m_call;
        m_call = nullptr;
        old->abort();
    }
    QUrlQuery params;
    if (!m_query.q.isEmpty())
        params.addQueryItem(QStringLiteral("q"), m_query.q);
    if (!m_query.tier.isEmpty())
        params.addQueryItem(QStringLiteral("tier"), m_query.tier);
    if (!m_query.status.isEmpty()) {
        params.addQueryItem(QStringLiteral("status"), m_query.status);
        // The older spelling of the same filter (active = not revoked and not expired), for gateways before `status`.
        params.addQueryItem(QStringLiteral("active"),
                            m_query.status == QLatin1String("active") ? QStringLiteral("true") : QStringLiteral("false"));
    }
    params.addQueryItem(QStringLiteral("limit"), QString::number(PageSize));
    if (!firstPage)
        params.addQueryItem(QStringLiteral("cursor"), m_nextCursor);
    m_call = m_client->get(QStringLiteral("/admin/api-keys"), params);
    Q_EMIT loadingChanged(true);

    // The page's JSON and its 300 dates are read on a worker thread: ~5 ms a page on the GUI thread otherwise.
    m_call->setDecoder([](const QJsonValue &data) {
        const QJsonArray array = data.toArray();
        QList<KeyRecord> page;
        page.reserve(array.size());
        for (const QJsonValue &value : array)
            page.append(KeyRecord::fromJson(value.toObject()));
        return QVariant::fromValue(page);
    });
    connect(m_call, &ApiCall::decoded, this, [this, generation, firstPage](const QVariant &value, const QJsonObject &meta) {
        if (generation != m_generation)
            return;
        m_call = nullptr;
        QList<KeyRecord> page = value.value<QList<KeyRecord>>();
        const int added = int(page.size());
        m_nextCursor = meta.value(QStringLiteral("next_cursor")).toString();
        m_now = QDateTime::currentDateTimeUtc();
        if (firstPage) {
            beginResetModel();
            m_keys = std::move(page);
            m_pages = 1;
            m_loaded = true;
            endResetModel();
        } else if (!page.isEmpty()) {
            // One batch: the proxy and the view hear of 100 rows once, not of each.
            const int first = int(m_keys.size());
            beginInsertRows({}, first, first + added - 1);
            m_keys.append(std::move(page));
            ++m_pages;
            endInsertRows();
        } else {
            ++m_pages;
        }
        Q_EMIT loadingChanged(false);
        Q_EMIT pageLoaded(m_pages, firstPage ? int(m_keys.size()) : added);
    });
    connect(m_call, &ApiCall::failed, this, [this, generation](const ApiError &error) {
        if (generation != m_generation)
            return;
        m_call = nullptr;
        Q_EMIT loadingChanged(false);
        if (!error.isAborted())
            Q_EMIT loadFailed(error);
    });
}

int KeyListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_keys.size(); ++row) {
        if (m_keys.at(row).id == id)
            return row;
    }
    return -1;
}

void KeyListModel::updateKey(const KeyRecord &key)
{
    const int row = rowOf(key.id);
    if (row < 0)
        return;
    m_keys[row] = key;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void KeyListModel::setNow(const QDateTime &now)
{
    m_now = now;
    if (!m_keys.isEmpty())
        Q_EMIT dataChanged(index(0, LastUsed), index(int(m_keys.size()) - 1, LastUsed), {Qt::DisplayRole});
}

} // namespace tollgate::gui
