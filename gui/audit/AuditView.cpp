#include "gui/audit/AuditView.h"

#include "gui/ConsoleContext.h"
#include "gui/audit/AuditDiffModel.h"
#include "gui/audit/AuditModel.h"
#include "gui/client/AdminClient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace tollgate::gui {

namespace {
const QString SplitterKey = QStringLiteral("audit/splitter");
constexpr int FilterDelayMs = 400;
}

AuditView::AuditView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_model(new AuditModel(context.client, this)), m_diff(new AuditDiffModel(this)),
      m_actorLabel(new QLabel(this)), m_actor(new QLineEdit(this)), m_actionLabel(new QLabel(this)), m_action(new QComboBox(this)),
      m_keyLabel(new QLabel(this)), m_keyId(new QLineEdit(this)), m_reload(new QPushButton(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)), m_table(new QTableView), m_state(new QLabel(this)), m_more(new QPushButton(this)),
      m_detail(new QLabel), m_changedOnly(new QCheckBox), m_diffTable(new QTableView)
{
    setObjectName(QStringLiteral("auditView"));
    m_actor->setObjectName(QStringLiteral("auditActorFilter"));
    m_action->setObjectName(QStringLiteral("auditActionFilter"));
    m_keyId->setObjectName(QStringLiteral("auditKeyFilter"));
    m_reload->setObjectName(QStringLiteral("auditReload"));
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_state->setObjectName(QStringLiteral("auditState"));
    m_more->setObjectName(QStringLiteral("auditMore"));
    m_detail->setObjectName(QStringLiteral("auditDetail"));
    m_changedOnly->setObjectName(QStringLiteral("auditChangedOnly"));
    m_diffTable->setObjectName(QStringLiteral("auditDiff"));
    m_splitter->setObjectName(QStringLiteral("auditSplitter"));
    m_actor->setClearButtonEnabled(true);
    m_keyId->setClearButtonEnabled(true);
    m_actorLabel->setBuddy(m_actor);
    m_actionLabel->setBuddy(m_action);
    m_keyLabel->setBuddy(m_keyId);
    m_action->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_action->addItem(QString(), QString());
    for (const QString &action : AuditModel::knownActions())
        m_action->addItem(QString(), action);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state->setWordWrap(true);

    for (QTableView *table : {m_table, m_diffTable}) {
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setSelectionMode(QAbstractItemView::SingleSelection);
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setAlternatingRowColors(true);
        table->setWordWrap(false);
        table->verticalHeader()->hide();
        table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
        table->horizontalHeader()->setHighlightSections(false);
    }
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_fitted = rememberColumns(m_table->horizontalHeader(), QStringLiteral("audit/header"));
    m_diffTable->setModel(m_diff);
    m_diffTable->setTextElideMode(Qt::ElideMiddle);
    m_diffTable->horizontalHeader()->setSectionResizeMode(AuditDiffModel::Field, QHeaderView::ResizeToContents);
    m_diffTable->horizontalHeader()->setSectionResizeMode(AuditDiffModel::Before, QHeaderView::Stretch);
    m_diffTable->horizontalHeader()->setSectionResizeMode(AuditDiffModel::After, QHeaderView::Stretch);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_actorLabel);
    filters->addWidget(m_actor, 1);
    filters->addWidget(m_actionLabel);
    filters->addWidget(m_action);
    filters->addWidget(m_keyLabel);
    filters->addWidget(m_keyId, 1);
    filters->addWidget(m_reload);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_state, 1);
    stateRow->addWidget(m_more);
    topLayout->addLayout(stateRow);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *detailRow = new QHBoxLayout;
    detailRow->addWidget(m_detail, 1);
    detailRow->addWidget(m_changedOnly);
    bottomLayout->addLayout(detailRow);
    bottomLayout->addWidget(m_diffTable, 1);
    m_splitter->addWidget(top);
    m_splitter->addWidget(bottom);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->restoreState(QSettings().value(SplitterKey).toByteArray());
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { QSettings().setValue(SplitterKey, m_splitter->saveState()); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_splitter, 1);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(FilterDelayMs);
    connect(&m_filterDelay, &QTimer::timeout, this, &AuditView::applyFilter);
    connect(m_actor, &QLineEdit::textEdited, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_keyId, &QLineEdit::textEdited, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_actor, &QLineEdit::returnPressed, this, &AuditView::applyFilter);
    connect(m_keyId, &QLineEdit::returnPressed, this, &AuditView::applyFilter);
    connect(m_action, &QComboBox::currentIndexChanged, this, &AuditView::applyFilter);
    connect(m_reload, &QPushButton::clicked, this, &AuditView::refresh);
    connect(m_more, &QPushButton::clicked, this, [this] { m_model->fetchMore({}); });
    connect(m_changedOnly, &QCheckBox::toggled, m_diff, &AuditDiffModel::setChangedOnly);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditView::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        showSelected();
    });
    connect(m_model, &AuditModel::fetchingChanged, this, &AuditView::updateState);
    connect(m_model, &AuditModel::pageLoaded, this, [this] {
        m_error.clear();
        // The first page: columns fitted to it (later pages leave the widths alone), the newest entry's change
        // shown at once.
        if (!m_fitted && m_model->rowCount() > 0) {
            m_fitted = true;
            // The last column stretches over the rest.
            for (int column = 0; column < AuditModel::Changes; ++column) {
                m_table->resizeColumnToContents(column);
                m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), 320));
            }
        }
        if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
            m_table->setCurrentIndex(m_model->index(0, 0));
        updateState();
    });
    connect(m_model, &AuditModel::failed, this, [this](const ApiError &error) {
        if (error.isConnectionProblem()) {
            Q_EMIT problem(tr("The audit log could not be loaded: %1").arg(error.message));
            m_error.clear();
        } else {
            // A refused filter or cursor: say it where the list is.
            m_error = tr("The gateway refused the request: %1").arg(error.message);
        }
        updateState();
    });

    retranslate();
}

QIcon AuditView::icon() const
{
    return QIcon(QStringLiteral(":/icons/audit.svg"));
}

void AuditView::refresh()
{
    m_filterDelay.stop();
    m_started = true;
    m_error.clear();
    AuditModel::Filter filter{m_actor->text().trimmed(), m_action->currentData().toString(), m_keyId->text().trimmed()};
    if (filter == m_model->filter())
        m_model->reload();
    else
        m_model->setFilter(filter);
    updateState();
}

void AuditView::setActive(bool active)
{
    ConsoleView::setActive(active);
    // Loaded when first shown; after that F5 or Reload, so that reading an entry is not disturbed.
    if (active && !m_started)
        refresh();
}

bool AuditView::hasLoaded() const
{
    return m_model->hasLoaded();
}

void AuditView::applyFilter()
{
    m_filterDelay.stop();
    m_started = true;
    m_error.clear();
    m_model->setFilter({m_actor->text().trimmed(), m_action->currentData().toString(), m_keyId->text().trimmed()});
    updateState();
}

void AuditView::showSelected()
{
    const AuditModel::Entry *entry = m_model->entry(m_table->currentIndex().row());
    if (!entry || !m_table->currentIndex().isValid()) {
        m_diff->clear();
        m_detail->setText(tr("Select an entry to see what it changed."));
        return;
    }
    m_diff->setEntry(entry->before, entry->after);
    const QLocale locale;
    const QDateTime utc = entry->at.toUTC();
    const QString when = locale.toString(utc.date(), QLocale::LongFormat) + QLatin1Char(' ')
        + locale.toString(utc.time(), QStringLiteral("HH:mm:ss")) + QStringLiteral(" UTC");
    QString text = tr("<b>%1</b> (%2) by <b>%3</b> on %4")
                       .arg(AuditModel::describeAction(entry->action).toHtmlEscaped(), entry->action.toHtmlEscaped(),
                            entry->actor.toHtmlEscaped(), when);
    if (!entry->targetId.isEmpty())
        text += QStringLiteral(" · ") + AuditModel::describeTarget(entry->targetType, entry->targetId).toHtmlEscaped();
    if (!entry->before.isObject() && !entry->after.isObject())
        text += QStringLiteral(" · ") + tr("no before or after recorded");
    m_detail->setText(text);
}

void AuditView::updateState()
{
    const QLocale locale;
    const int rows = m_model->rowCount();
    const bool filtered = !m_actor->text().trimmed().isEmpty() || !m_action->currentData().toString().isEmpty()
        || !m_keyId->text().trimmed().isEmpty();
    QString text;
    if (!m_error.isEmpty())
        text = QStringLiteral("⚠ ") + m_error;
    else if (m_model->isFetching())
        text = rows == 0 ? tr("Loading the audit log…") : tr("Entries shown: %1; loading older ones…").arg(locale.toString(rows));
    else if (!m_model->hasLoaded())
        text = {};
    else if (rows == 0)
        text = filtered ? tr("No entries match these filters.") : tr("No admin actions recorded yet. Creating, changing or revoking a key or a tier adds an entry here.");
    else if (m_model->canFetchMore({}))
        text = tr("Entries shown: %1; older ones load as you scroll.").arg(locale.toString(rows));
    else
        text = tr("Entries: %1, the whole log.").arg(locale.toString(rows));
    m_state->setText(text);
    m_more->setEnabled(m_model->canFetchMore({}));
    m_more->setVisible(m_model->canFetchMore({}) || m_model->isFetching());
}

void AuditView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void AuditView::retranslate()
{
    m_actorLabel->setText(tr("Ac&tor:"));
    m_actor->setPlaceholderText(tr("exactly: cli, admin-token:name or a user id"));
    m_actor->setAccessibleName(tr("Actor filter"));
    m_actionLabel->setText(tr("Acti&on:"));
    m_action->setAccessibleName(tr("Action filter"));
    m_action->setItemText(0, tr("All actions"));
    for (int i = 1; i < m_action->count(); ++i) {
        const QString action = m_action->itemData(i).toString();
        m_action->setItemText(i, tr("%1 (%2)").arg(AuditModel::describeAction(action), action));
    }
    m_keyLabel->setText(tr("&Key id:"));
    m_keyId->setPlaceholderText(tr("any key"));
    m_keyId->setAccessibleName(tr("Key id filter"));
    m_reload->setText(tr("&Reload"));
    m_more->setText(tr("Load &older entries"));
    m_changedOnly->setText(tr("&Changed fields only"));
    m_table->setAccessibleName(tr("Audit log"));
    m_diffTable->setAccessibleName(tr("Before and after of the selected entry"));
    m_model->retranslate();
    m_diff->retranslate();
    showSelected();
    updateState();
}

} // namespace tollgate::gui
