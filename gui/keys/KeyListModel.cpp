#include "gui/keys/KeyListModel.h"

#include "gui/client/AdminClient.h"
#include "gui/client/ApiCall.h"
#include "gui/keys/KeySortOrder.h"
#include "core/util/WhenDone.h"

#include <QColor>
#include <QGuiApplication>
#include <QIcon>
#include <QJsonArray>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QUrlQuery>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <numeric>

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
    return parent.isValid() ? 0 : int(m_order.size());
}

int KeyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KeyRecord &key = at(index.row());
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
            const bool wasSorting = isSorting();
            beginResetModel();
            // Up to 100,000 records take tens of milliseconds to free: a worker frees them, not the GUI thread.
            if (QList<KeyRecord> old = std::exchange(m_keys, std::move(page)); old.size() > 1000)
                (void)QtConcurrent::run([old = std::move(old)]() mutable { old.clear(); });
            m_order.resize(m_keys.size());
            std::iota(m_order.begin(), m_order.end(), 0);
            // One page: sorted here, in well under a millisecond. A sort still running was for the old rows.
            ++m_resets;
            m_sortPendingRows = -1;
            if (m_sortColumn >= 0) {
                const KeySortOrder order(m_sortColumn, m_sortOrder);
                std::stable_sort(m_order.begin(), m_order.end(), [&](int a, int b) { return order.before(m_keys.at(a), m_keys.at(b)); });
            }
            m_pages = 1;
            m_loaded = true;
            endResetModel();
            if (wasSorting)
                Q_EMIT sortingChanged(false);
        } else if (!page.isEmpty()) {
            const int first = int(m_keys.size());
            m_keys.append(std::move(page));
            ++m_pages;
            insertSorted(first, added);
        } else {
            ++m_pages;
        }
        Q_EMIT loadingChanged(false);
        Q_EMIT pageLoaded(m_pages, firstPage ? int(m_order.size()) : added);
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
    for (int row = 0; row < m_order.size(); ++row) {
        if (at(row).id == id)
            return row;
    }
    return -1;
}

void KeyListModel::updateKey(const KeyRecord &key)
{
    const int row = rowOf(key.id);
    if (row < 0)
        return;
    m_keys[m_order.at(row)] = key;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    // As the proxy's dynamic sort did: a changed value (a revoke, a grant) moves the row to its place. While a sort
    // runs nothing moves; the row keeps its old place until the next sort.
    if (m_sortColumn >= 0 && !isSorting())
        placeRow(row);
}

void KeyListModel::setNow(const QDateTime &now)
{
    m_now = now;
    if (!m_order.isEmpty())
        Q_EMIT dataChanged(index(0, LastUsed), index(int(m_order.size()) - 1, LastUsed), {Qt::DisplayRole});
}

void KeyListModel::insertSorted(int first, int count)
{
    std::vector<int> added(count);
    std::iota(added.begin(), added.end(), first);
    if (m_sortColumn < 0 || isSorting()) {
        // One batch at the end: the proxy and the view hear of 100 rows once, not of each. While a sort runs,
        // applySort merges them in.
        const int at = int(m_order.size());
        beginInsertRows({}, at, at + count - 1);
        m_order.append(QList<int>(added.begin(), added.end()));
        endInsertRows();
        return;
    }
    // Each new row at its sorted place (after equal ones, as a stable sort would put it).
    const KeySortOrder order(m_sortColumn, m_sortOrder);
    const auto before = [&](int a, int b) { return order.before(m_keys.at(a), m_keys.at(b)); };
    std::stable_sort(added.begin(), added.end(), before);
    std::vector<int> places(count);
    for (int i = 0; i < count; ++i)
        places[i] = int(std::upper_bound(m_order.begin(), m_order.end(), added[i], before) - m_order.begin());
    int gaps = 1;
    for (int i = 1; i < count; ++i)
        gaps += places[i] != places[i - 1];
    if (gaps <= MaxInsertionsPerPage) {
        // A few runs of rows, each landing in one gap: an insertion each, from the last gap to the first so the
        // earlier places stay right. The proxy and the view update their mappings per insertion (~1 ms each at
        // 100,000 rows).
        for (int end = count; end > 0;) {
            int begin = end - 1;
            while (begin > 0 && places[begin - 1] == places[end - 1])
                --begin;
            const int place = places[begin];
            beginInsertRows({}, place, place + (end - begin) - 1);
            m_order.insert(place, end - begin, 0);
            std::copy(added.begin() + begin, added.begin() + end, m_order.begin() + place);
            endInsertRows();
            end = begin;
        }
        return;
    }
    // Scattered over many gaps (names, say): up to 100 insertions cost ~100 ms at 100,000 rows. Instead one insertion
    // at the end and one layout change that puts each row at its place (~5 ms together).
    QList<int> placed;
    placed.reserve(m_order.size() + count);
    int from = 0;
    for (int i = 0; i < count; ++i) {
        placed.append(m_order.mid(from, places[i] - from));
        placed.append(added[i]);
        from = places[i];
    }
    placed.append(m_order.mid(from));
    const int at = int(m_order.size());
    beginInsertRows({}, at, at + count - 1);
    m_order.append(QList<int>(added.begin(), added.end()));
    endInsertRows();
    setOrder(std::move(placed));
}

void KeyListModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        column = -1;
    // QTableView::sortByColumn asks twice (the header's signal, then itself); the rows are in that order already, or
    // will be when the running sort is applied.
    if (column == m_sortColumn && order == m_sortOrder && (!isSorting() || m_sortPendingRows == m_keys.size()))
        return;
    const bool wasSorting = isSorting();
    m_sortColumn = column;
    m_sortOrder = order;
    const quint64 request = ++m_sortRequest;
    if (column < 0 || m_keys.size() < 2) {
        // The API's order is m_keys' own: no comparisons, nothing for a worker.
        m_sortPendingRows = -1;
        QList<int> apiOrder(m_keys.size());
        std::iota(apiOrder.begin(), apiOrder.end(), 0);
        setOrder(std::move(apiOrder));
        if (wasSorting)
            Q_EMIT sortingChanged(false);
        return;
    }
    // The raw values of every row, in m_keys' order (one pass through memory: ~3 ms for 100,000 rows; strings are
    // shared, not copied), so equal keys keep the API's order. The shown rows keep their places until the result is
    // applied; m_keys only grows meanwhile, so its indexes still mean the same keys then.
    const KeySortOrder sortOrder(column, order);
    std::vector<KeySortOrder::Value> values;
    values.reserve(m_keys.size());
    for (const KeyRecord &key : std::as_const(m_keys))
        values.push_back(sortOrder.value(key));
    m_sortPendingRows = int(m_keys.size());
    if (!wasSorting)
        Q_EMIT sortingChanged(true);
    whenDone(QtConcurrent::run(&KeySortOrder::permutation, std::move(values), column, order), this,
             [this, request, resets = m_resets, rows = m_sortPendingRows](QFuture<std::vector<int>> done) {
                 if (request != m_sortRequest || resets != m_resets || done.isCanceled() || done.resultCount() == 0)
                     return;  // a newer sort or new rows asked since; that answer comes by itself
                 applySort(done.result(), rows);
             });
}

void KeyListModel::applySort(const std::vector<int> &permutation, int snapshotRows)
{
    const KeySortOrder order(m_sortColumn, m_sortOrder);
    const auto before = [&](int a, int b) { return order.before(m_keys.at(a), m_keys.at(b)); };
    QList<int> sorted(permutation.begin(), permutation.end());
    // Pages that arrived meanwhile (m_keys from snapshotRows on): each of their rows goes where it belongs, a binary
    // search each rather than a merge that would compare every row.
    std::vector<int> later(m_keys.size() - snapshotRows);
    std::iota(later.begin(), later.end(), snapshotRows);
    if (!later.empty()) {
        std::stable_sort(later.begin(), later.end(), before);
        QList<int> merged;
        merged.reserve(m_keys.size());
        auto from = sorted.cbegin();
        for (int key : later) {
            const auto place = std::upper_bound(from, sorted.cend(), key, before);
            merged.append(QList<int>(from, place));
            merged.append(key);
            from = place;
        }
        merged.append(QList<int>(from, sorted.cend()));
        sorted = std::move(merged);
    }
    m_sortPendingRows = -1;
    setOrder(std::move(sorted));
    Q_EMIT sortingChanged(false);
}

void KeyListModel::setOrder(QList<int> order)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // The selection, the current row and the proxy's mapping are persistent indexes: each follows its key.
    const QModelIndexList from = persistentIndexList();
    std::vector<int> shownAt(m_keys.size());
    for (int row = 0; row < order.size(); ++row)
        shownAt[order.at(row)] = row;
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &index : from)
        to.append(createIndex(shownAt[m_order.at(index.row())], index.column()));
    m_order = std::move(order);
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void KeyListModel::placeRow(int row)
{
    const KeySortOrder order(m_sortColumn, m_sortOrder);
    const int key = m_order.at(row);
    const auto before = [&](int a, int b) { return order.before(m_keys.at(a), m_keys.at(b)); };
    const bool afterPrevious = row == 0 || !before(key, m_order.at(row - 1));
    const bool beforeNext = row + 1 >= m_order.size() || !before(m_order.at(row + 1), key);
    if (afterPrevious && beforeNext)
        return;
    // Its place among the others (without itself), then as a move in the old numbering.
    QList<int> others = m_order;
    others.remove(row);
    const int place = int(std::upper_bound(others.begin(), others.end(), key, before) - others.begin());
    if (place == row)
        return;
    if (!beginMoveRows({}, row, row, {}, place > row ? place + 1 : place))
        return;
    m_order.move(row, place);
    endMoveRows();
}

} // namespace tollgate::gui
