#include "gui/keys/KeysView.h"

#include "gui/ConsoleContext.h"
#include "gui/client/AdminClient.h"
#include "gui/client/ApiCall.h"
#include "gui/keys/BulkAction.h"
#include "gui/keys/KeyDetailPane.h"
#include "gui/keys/KeyDialogs.h"
#include "gui/keys/KeyFilterModel.h"
#include "gui/keys/KeyShownDialog.h"
#include "gui/widgets/ProgressBarDelegate.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tollgate::gui {

namespace {
const QString SplitterKey = QStringLiteral("keys/splitter");
const QString HeaderKey = QStringLiteral("keys/header");
constexpr int ClockMs = 30000;

QString keyPath(const KeyRecord &key)
{
    return QStringLiteral("/admin/api-keys/") + AdminClient::segment(key.id);
}
} // namespace

KeysView::KeysView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_model(new KeyListModel(context.client, this)), m_proxy(new KeyFilterModel(this)),
      m_search(new QLineEdit(this)), m_tierLabel(new QLabel(this)), m_tierFilter(new QComboBox(this)),
      m_statusLabel(new QLabel(this)), m_statusFilter(new QComboBox(this)), m_new(new QPushButton(this)),
      m_refresh(new QPushButton(this)), m_bulkRevoke(new QPushButton(this)), m_bulkTier(new QToolButton(this)),
      m_tierMenu(new QMenu(this)), m_notice(new QLabel(this)), m_loading(new QLabel(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)), m_table(new QTableView(m_splitter)), m_empty(new QLabel(m_table->viewport())),
      m_detail(new KeyDetailPane(context.client, m_splitter)), m_findAction(new QAction(this)), m_newAction(new QAction(this)),
      m_deleteAction(new QAction(this))
{
    setObjectName(QStringLiteral("keysView"));
    m_search->setObjectName(QStringLiteral("keySearch"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    m_tierFilter->setObjectName(QStringLiteral("tierFilter"));
    m_tierFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_tierLabel->setBuddy(m_tierFilter);
    m_statusLabel->setBuddy(m_statusFilter);
    m_new->setObjectName(QStringLiteral("newKey"));
    m_new->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_refresh->setObjectName(QStringLiteral("refreshKeys"));
    m_refresh->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh")));
    m_bulkRevoke->setObjectName(QStringLiteral("bulkRevoke"));
    m_bulkTier->setObjectName(QStringLiteral("bulkTier"));
    m_bulkTier->setPopupMode(QToolButton::InstantPopup);
    m_bulkTier->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_bulkTier->setMenu(m_tierMenu);
    m_notice->setObjectName(QStringLiteral("keysNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_loading->setObjectName(QStringLiteral("keysLoading"));
    // A fixed size: its text changes with every page, and a label that may grow relayouts the whole view each time
    // (a 25 ms LayoutRequest with 100,000 rows in the table).
    m_loading->setFixedSize(m_loading->fontMetrics().horizontalAdvance(tr("Loading…")) + 16, m_loading->fontMetrics().height() + 4);

    // Statuses first, so the default filter exists before anything loads.
    m_statusFilter->addItem(QString(), QString());
    m_statusFilter->addItem(QString(), QStringLiteral("active"));
    m_statusFilter->addItem(QString(), QStringLiteral("revoked"));
    m_statusFilter->addItem(QString(), QStringLiteral("expired"));
    m_statusFilter->setCurrentIndex(1);
    m_tierFilter->addItem(QString(), QString());

    auto *toolbar = new QHBoxLayout;
    toolbar->addWidget(m_search, 2);
    toolbar->addSpacing(8);
    toolbar->addWidget(m_tierLabel);
    toolbar->addWidget(m_tierFilter);
    toolbar->addWidget(m_statusLabel);
    toolbar->addWidget(m_statusFilter);
    toolbar->addStretch(1);
    toolbar->addWidget(m_new);
    toolbar->addWidget(m_refresh);
    auto *selectionBar = new QHBoxLayout;
    selectionBar->addWidget(m_notice, 1);
    selectionBar->addWidget(m_loading);
    selectionBar->addWidget(m_bulkRevoke);
    selectionBar->addWidget(m_bulkTier);

    m_proxy->setSourceModel(m_model);
    m_table->setObjectName(QStringLiteral("keysTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);  // the API's order until a header is clicked
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setIconSize(QSize(12, 12));
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setItemDelegateForColumn(KeyListModel::Credits, new ProgressBarDelegate(KeyListModel::ProgressRole, m_table));
    const QList<int> widths{190, 110, 80, 140, 90, 170, 100, 110, 110};
    for (int column = 0; column < widths.size(); ++column)
        m_table->setColumnWidth(column, widths[column]);
    m_table->installEventFilter(this);
    m_empty->setObjectName(QStringLiteral("keysEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setVisible(false);
    m_table->viewport()->installEventFilter(this);

    m_splitter->setObjectName(QStringLiteral("keysSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addLayout(selectionBar);
    layout->addWidget(m_splitter, 1);

    m_findAction->setObjectName(QStringLiteral("findKeyAction"));
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    m_newAction->setObjectName(QStringLiteral("newKeyAction"));
    m_newAction->setShortcut(QKeySequence::New);
    connect(m_newAction, &QAction::triggered, this, &KeysView::openCreateDialog);
    addAction(m_findAction);
    addAction(m_newAction);
    m_deleteAction->setObjectName(QStringLiteral("revokeKeyAction"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_deleteAction, &QAction::triggered, this, &KeysView::revokeSelected);
    m_table->addAction(m_deleteAction);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(SearchDelayMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &KeysView::applyQuery);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchTimer.stop();
        applyQuery();
    });
    connect(m_tierFilter, &QComboBox::currentIndexChanged, this, &KeysView::applyQuery);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &KeysView::applyQuery);
    connect(m_new, &QPushButton::clicked, this, &KeysView::openCreateDialog);
    connect(m_refresh, &QPushButton::clicked, this, &KeysView::refresh);
    connect(m_bulkRevoke, &QPushButton::clicked, this, &KeysView::revokeSelected);

    connect(m_model, &KeyListModel::modelAboutToBeReset, this, [this] {
        m_reselect.clear();
        for (const KeyRecord &key : selectedKeys())
            m_reselect.append(key.id);
    });
    connect(m_model, &KeyListModel::modelReset, this, [this] {
        const QStringList ids = std::exchange(m_reselect, {});
        if (!m_selectAfterLoad.isEmpty())
            selectKey(std::exchange(m_selectAfterLoad, {}));
        else
            for (const QString &id : ids)
                selectKey(id);
        // Something in the detail pane from the start: the first key, as a mail client opens the first message.
        if (!m_table->selectionModel()->hasSelection() && m_proxy->rowCount() > 0)
            m_table->selectRow(0);
        updateDetail();
    });
    connect(m_model, &KeyListModel::loadingChanged, this, [this](bool loading) {
        m_loading->setText(loading ? tr("Loading…") : QString());
    });
    connect(m_model, &KeyListModel::pageLoaded, this, [this] {
        updateEmptyState();
        QTimer::singleShot(0, this, &KeysView::fillViewport);
    });
    connect(m_model, &KeyListModel::loadFailed, this, [this](const ApiError &error) {
        updateEmptyState();
        // An unreachable gateway is the window's banner already; anything else is said here.
        if (!error.isConnectionProblem())
            Q_EMIT problem(tr("The keys could not be loaded: %1").arg(error.message));
    });
    connect(m_model, &KeyListModel::dataChanged, this, [this](const QModelIndex &from, const QModelIndex &to) {
        if (!m_detail->hasKey())
            return;
        const int row = m_model->rowOf(m_detail->key().id);
        if (row >= from.row() && row <= to.row())
            m_detail->showKey(m_model->key(row));
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &KeysView::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &KeysView::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &KeysView::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &KeysView::updateEmptyState);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &KeysView::updateDetail);
    connect(m_table, &QTableView::doubleClicked, this, [this] { m_detail->focusActions(); });

    connect(m_detail, &KeyDetailPane::editRequested, this, &KeysView::openEditDialog);
    connect(m_detail, &KeyDetailPane::grantRequested, this, &KeysView::openGrantDialog);
    connect(m_detail, &KeyDetailPane::regenerateRequested, this, &KeysView::openRegenerateDialog);
    connect(m_detail, &KeyDetailPane::revokeRequested, this, [this] {
        if (m_detail->hasKey())
            confirmRevoke({m_detail->key()});
    });

    m_clockTimer.setInterval(ClockMs);
    connect(&m_clockTimer, &QTimer::timeout, this, [this] { m_model->setNow(QDateTime::currentDateTimeUtc()); });
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(500);
    connect(&m_saveTimer, &QTimer::timeout, this, &KeysView::saveState);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_saveTimer.start(); });

    retranslate();
    restoreState();
    updateDetail();
}

KeysView::~KeysView()
{
    saveState();
}

QIcon KeysView::icon() const
{
    return QIcon(QStringLiteral(":/icons/keys.svg"));
}

bool KeysView::hasLoaded() const
{
    return m_model->hasLoaded();
}

void KeysView::setActive(bool active)
{
    ConsoleView::setActive(active);
    if (active) {
        m_clockTimer.start();
        m_model->setNow(QDateTime::currentDateTimeUtc());
        if (!m_started)
            refresh();
    } else {
        m_clockTimer.stop();
    }
}

void KeysView::refresh()
{
    m_started = true;
    loadTiers();
    KeyListModel::Query query;
    query.q = m_search->text().trimmed();
    query.tier = m_tierFilter->currentData().toString();
    query.status = m_statusFilter->currentData().toString();
    m_proxy->setQuery(query);
    if (query == m_model->query() && (m_model->hasLoaded() || m_model->isLoading()))
        m_model->reload();
    else
        m_model->setQuery(query);
}

void KeysView::applyQuery()
{
    if (!m_started)
        return;
    KeyListModel::Query query;
    query.q = m_search->text().trimmed();
    query.tier = m_tierFilter->currentData().toString();
    query.status = m_statusFilter->currentData().toString();
    m_proxy->setQuery(query);
    m_model->setQuery(query);
    updateEmptyState();
}

void KeysView::loadTiers()
{
    if (m_tiersCall)
        return;
    m_tiersCall = client()->get(QStringLiteral("/admin/tiers"));
    connect(m_tiersCall, &ApiCall::succeeded, this, [this](const QJsonValue &data) {
        m_tiers = TierRecord::listFromJson(data);
        const QString current = m_tierFilter->currentData().toString();
        {
            const QSignalBlocker block(m_tierFilter);
            while (m_tierFilter->count() > 1)
                m_tierFilter->removeItem(1);
            for (const TierRecord &tier : m_tiers)
                m_tierFilter->addItem(tier.name, tier.slug);
            m_tierFilter->setCurrentIndex(qMax(0, m_tierFilter->findData(current)));
        }
        rebuildTierMenus();
        Q_EMIT tiersLoaded();
    });
    connect(m_tiersCall, &ApiCall::failed, this, [this](const ApiError &error) {
        if (!error.isConnectionProblem() && !error.isAborted())
            Q_EMIT problem(tr("The tiers could not be loaded: %1").arg(error.message));
    });
}

void KeysView::rebuildTierMenus()
{
    m_tierMenu->clear();
    for (const TierRecord &tier : m_tiers) {
        QAction *action = m_tierMenu->addAction(tier.name);
        action->setObjectName(QStringLiteral("bulkTier_") + tier.slug);
        const QString slug = tier.slug;
        connect(action, &QAction::triggered, this, [this, slug] { changeTierOfSelected(slug); });
    }
}

QList<KeyRecord> KeysView::selectedKeys() const
{
    QList<KeyRecord> keys;
    if (!m_table->selectionModel())
        return keys;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        const QModelIndex source = m_proxy->mapToSource(index);
        if (source.isValid())
            keys.append(m_model->key(source.row()));
    }
    std::sort(keys.begin(), keys.end(), [this](const KeyRecord &a, const KeyRecord &b) {
        return m_model->rowOf(a.id) < m_model->rowOf(b.id);
    });
    return keys;
}

void KeysView::updateDetail()
{
    const QList<KeyRecord> keys = selectedKeys();
    if (keys.size() == 1)
        m_detail->showKey(keys.first());
    else
        m_detail->showNothing(int(keys.size()));
    m_bulkRevoke->setEnabled(!keys.isEmpty() && !m_bulk);
    m_bulkTier->setEnabled(!keys.isEmpty() && !m_bulk && !m_tiers.isEmpty());
    m_deleteAction->setEnabled(!keys.isEmpty());
}

void KeysView::updateEmptyState()
{
    const bool empty = m_model->hasLoaded() && m_proxy->rowCount() == 0 && !m_model->isLoading() && !m_model->hasMore();
    if (empty) {
        const KeyListModel::Query query = m_model->query();
        if (!query.q.isEmpty())
            m_empty->setText(tr("No keys match “%1”. Search looks at the name, id, user and last 4 characters.").arg(query.q));
        else if (!query.tier.isEmpty() || !query.status.isEmpty())
            m_empty->setText(tr("No keys match these filters. Choose “All” to see every key."));
        else
            m_empty->setText(tr("No keys yet — create the first one with New key or `tollgated keys create`."));
    }
    m_empty->setVisible(empty);
    if (empty)
        m_empty->setGeometry(m_table->viewport()->rect().adjusted(20, 20, -20, -20));
}

void KeysView::fillViewport()
{
    // Rows held back by the client-side filter never scroll the view, so it would not ask for more itself.
    QScrollBar *bar = m_table->verticalScrollBar();
    if (m_model->canFetchMore({}) && (bar->maximum() == 0 || bar->value() == bar->maximum()))
        m_model->fetchMore({});
}

void KeysView::selectKey(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;
    m_table->selectionModel()->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    m_table->scrollTo(index);
}

void KeysView::setNotice(const QString &text)
{
    m_notice->setText(text);
}

QString KeysView::notice() const
{
    return m_notice->text();
}

void KeysView::onKeyChanged(const KeyRecord &key)
{
    m_model->updateKey(key);
    if (m_detail->hasKey() && m_detail->key().id == key.id)
        m_detail->showKey(key);
}

void KeysView::openCreateDialog()
{
    auto *dialog = new CreateKeyDialog(client(), m_tiers, this);
    connect(dialog, &CreateKeyDialog::created, this, [this](const QString &rawKey, const KeyRecord &key) {
        setNotice(tr("Created “%1” (%2).").arg(key.name, key.maskedKey));
        m_selectAfterLoad = key.id;
        m_model->reload();
        showRawKey(rawKey, key, false);
    });
    dialog->open();
}

void KeysView::showRawKey(const QString &rawKey, const KeyRecord &key, bool regenerated)
{
    auto *shown = new KeyShownDialog(rawKey, key.name, regenerated ? KeyShownDialog::Reason::Regenerated : KeyShownDialog::Reason::Created,
                                     this);
    shown->setAttribute(Qt::WA_DeleteOnClose);
    shown->open();
}

void KeysView::openEditDialog()
{
    if (!m_detail->hasKey())
        return;
    auto *dialog = new EditKeyDialog(client(), m_tiers, m_detail->key(), this);
    connect(dialog, &EditKeyDialog::saved, this, [this](const KeyRecord &key) {
        onKeyChanged(key);
        setNotice(tr("Saved “%1”.").arg(key.name));
    });
    dialog->open();
}

void KeysView::openGrantDialog()
{
    if (!m_detail->hasKey())
        return;
    auto *dialog = new GrantCreditsDialog(client(), m_detail->key(), this);
    connect(dialog, &GrantCreditsDialog::granted, this, [this](qint64 credits, const KeyRecord &key) {
        onKeyChanged(key);
        const QLocale locale;
        m_detail->setNotice(tr("Granted %1 credits. Now %2 remaining of %3 this period.")
                                .arg(locale.toString(credits), locale.toString(key.creditsRemaining),
                                     locale.toString(key.creditsAvailable())));
    });
    dialog->open();
}

void KeysView::openRegenerateDialog()
{
    if (!m_detail->hasKey())
        return;
    auto *dialog = new RegenerateKeyDialog(client(), m_detail->key(), this);
    connect(dialog, &RegenerateKeyDialog::regenerated, this, [this](const QString &rawKey, const KeyRecord &key) {
        onKeyChanged(key);
        m_detail->setNotice(tr("Regenerated: the key is now %1.").arg(key.maskedKey));
        showRawKey(rawKey, key, true);
    });
    dialog->open();
}

void KeysView::revokeSelected()
{
    QList<KeyRecord> keys;
    for (const KeyRecord &key : selectedKeys()) {
        if (key.status != KeyRecord::Status::Revoked)
            keys.append(key);
    }
    if (!keys.isEmpty())
        confirmRevoke(keys);
}

void KeysView::confirmRevoke(const QList<KeyRecord> &keys)
{
    if (keys.isEmpty() || m_bulk)
        return;
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("revokeConfirm"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(keys.size() == 1 ? tr("Revoke key") : tr("Revoke keys"));
    if (keys.size() == 1) {
        box->setText(tr("Revoke ‘%1’ (%2)? Calls with this key are refused within seconds.").arg(keys.first().name, keys.first().maskedKey));
    } else {
        box->setText(tr("Revoke %n keys? Calls with these keys are refused within seconds.", nullptr, int(keys.size())));
        QStringList names;
        for (const KeyRecord &key : keys.mid(0, 10))
            names.append(QStringLiteral("%1 (%2)").arg(key.name, key.maskedKey));
        if (keys.size() > 10)
            names.append(tr("and %n more", nullptr, int(keys.size() - 10)));
        box->setInformativeText(names.join(QLatin1Char('\n')));
    }
    QPushButton *revokeButton = box->addButton(tr("&Revoke"), QMessageBox::DestructiveRole);
    revokeButton->setObjectName(QStringLiteral("confirmRevoke"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelRevoke"));
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    connect(box, &QMessageBox::finished, this, [this, box, revokeButton, keys] {
        if (box->clickedButton() == revokeButton)
            revoke(keys);
    });
    box->open();
}

void KeysView::revoke(const QList<KeyRecord> &keys)
{
    if (keys.size() == 1) {
        const KeyRecord key = keys.first();
        ApiCall *call = client()->remove(keyPath(key));
        connect(call, &ApiCall::succeeded, this, [this](const QJsonValue &data) {
            const KeyRecord revoked = KeyRecord::fromJson(data.toObject());
            onKeyChanged(revoked);
            setNotice(tr("Revoked “%1” (%2).").arg(revoked.name, revoked.maskedKey));
        });
        connect(call, &ApiCall::failed, this, [this, key](const ApiError &error) {
            if (!error.isAborted())
                Q_EMIT problem(tr("“%1” was not revoked: %2").arg(key.name, error.message));
        });
        return;
    }
    runBulk(keys, tr("Revoking %n keys…", nullptr, int(keys.size())),
            [this](const KeyRecord &key) { return client()->remove(keyPath(key)); },
            [](int done, int total) { return tr("Revoked %1 of %2 keys.").arg(done).arg(total); });
}

void KeysView::changeTierOfSelected(const QString &tierSlug)
{
    QList<KeyRecord> keys;
    for (const KeyRecord &key : selectedKeys()) {
        if (key.tier != tierSlug && key.status != KeyRecord::Status::Revoked)
            keys.append(key);
    }
    if (keys.isEmpty()) {
        setNotice(tr("The selected keys are in the %1 tier already.").arg(tierSlug));
        return;
    }
    const QJsonObject body{{QStringLiteral("tier"), tierSlug}};
    runBulk(keys, tr("Moving %n key(s) to the %1 tier…", nullptr, int(keys.size())).arg(tierSlug),
            [this, body](const KeyRecord &key) { return client()->patch(keyPath(key), body); },
            [tierSlug](int done, int total) { return tr("Moved %1 of %2 keys to the %3 tier.").arg(done).arg(total).arg(tierSlug); });
}

void KeysView::runBulk(const QList<KeyRecord> &keys, const QString &label, std::function<ApiCall *(const KeyRecord &)> step,
                       std::function<QString(int done, int total)> summary)
{
    if (m_bulk)
        return;
    m_bulk = new BulkAction(keys, label, std::move(step), this);
    connect(m_bulk, &BulkAction::keyUpdated, this, &KeysView::onKeyChanged);
    connect(m_bulk, &BulkAction::finished, this, [this, summary] {
        BulkAction *bulk = m_bulk;
        QString text = summary(bulk->succeeded(), bulk->total());
        if (bulk->isCancelled())
            text += QLatin1Char(' ') + tr("Cancelled; the other keys were not changed.");
        setNotice(text);
        if (bulk->failedCount() > 0)
            Q_EMIT problem(tr("%1 %n failed; the first: %2", nullptr, bulk->failedCount()).arg(text, bulk->firstError()));
        bulk->deleteLater();
        m_bulk = nullptr;
        updateDetail();
    });
    updateDetail();
    m_bulk->start();
}

bool KeysView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && m_detail->hasKey()) {
            // Enter opens the detail: make it visible if the splitter hid it, and go there.
            const QList<int> sizes = m_splitter->sizes();
            if (sizes.value(1) == 0)
                m_splitter->setSizes({sizes.value(0) * 3 / 5, sizes.value(0) * 2 / 5});
            m_detail->focusActions();
            return true;
        }
    }
    if (watched == m_table->viewport() && event->type() == QEvent::Resize && m_empty->isVisible())
        m_empty->setGeometry(m_table->viewport()->rect().adjusted(20, 20, -20, -20));
    return ConsoleView::eventFilter(watched, event);
}

void KeysView::saveState()
{
    QSettings settings;
    settings.setValue(SplitterKey, m_splitter->saveState());
}

void KeysView::restoreState()
{
    QSettings settings;
    if (!m_splitter->restoreState(settings.value(SplitterKey).toByteArray()))
        m_splitter->setSizes({480, 300});
    rememberColumns(m_table->horizontalHeader(), HeaderKey);
}

void KeysView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void KeysView::retranslate()
{
    m_search->setPlaceholderText(tr("Search keys by name, id, user or last 4…"));
    m_search->setAccessibleName(tr("Search keys"));
    m_search->setToolTip(tr("Search keys (Ctrl+F)"));
    m_tierLabel->setText(tr("&Tier:"));
    m_statusLabel->setText(tr("St&atus:"));
    m_tierFilter->setItemText(0, tr("All tiers"));
    m_statusFilter->setItemText(0, tr("All"));
    m_statusFilter->setItemText(1, tr("Active"));
    m_statusFilter->setItemText(2, tr("Revoked"));
    m_statusFilter->setItemText(3, tr("Expired"));
    m_new->setText(tr("&New key"));
    m_new->setToolTip(tr("Create a key (Ctrl+N)"));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolTip(tr("Load the keys again (F5)"));
    m_bulkRevoke->setText(tr("Revoke se&lected"));
    m_bulkTier->setText(tr("Change t&ier"));
    m_bulkTier->setAccessibleName(tr("Change the tier of the selected keys"));
    m_table->setAccessibleName(tr("Keys"));
    m_findAction->setText(tr("Find key"));
    m_newAction->setText(tr("New key"));
    m_deleteAction->setText(tr("Revoke"));
    updateEmptyState();
}

} // namespace tollgate::gui
