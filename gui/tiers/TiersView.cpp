#include "gui/tiers/TiersView.h"

#include "gui/widgets/ToneColors.h"
#include "gui/client/AdminClient.h"
#include "gui/tiers/TierDelegate.h"
#include "gui/tiers/TierTableModel.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace tollgate::gui {

TiersView::TiersView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_model(new TierTableModel(this)), m_message(new QLabel(this)), m_changes(new QLabel(this)),
      m_table(new QTableView(this)), m_add(new QPushButton(this)), m_remove(new QPushButton(this)),
      m_revert(new QPushButton(this)), m_save(new QPushButton(this)), m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("tiersView"));
    m_message->setObjectName(QStringLiteral("tiersMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    m_changes->setObjectName(QStringLiteral("tiersChanges"));
    m_table->setObjectName(QStringLiteral("tiersTable"));
    m_add->setObjectName(QStringLiteral("addTier"));
    m_remove->setObjectName(QStringLiteral("removeTier"));
    m_revert->setObjectName(QStringLiteral("revertTiers"));
    m_save->setObjectName(QStringLiteral("saveTiers"));
    m_hint->setObjectName(QStringLiteral("tiersHint"));
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    m_table->setModel(m_model);
    m_table->setItemDelegate(new TierDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setHighlightSections(false);
    // Widths the admin can drag, remembered; fitted to the first tiers when nothing is remembered yet.
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setMinimumSectionSize(80);
    m_fitColumns = !rememberColumns(m_table->horizontalHeader(), QStringLiteral("tiers/header"));
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);

    m_save->setDefault(true);
    // Not the button's shortcut: its text's mnemonic (Alt+S) takes that place.
    auto *saveAction = new QAction(this);
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(saveAction, &QAction::triggered, this, &TiersView::save);
    addAction(saveAction);
    auto *remove = new QAction(m_table);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    connect(remove, &QAction::triggered, this, &TiersView::removeSelected);
    m_table->addAction(remove);
    auto *add = new QAction(this);
    add->setShortcut(QKeySequence::New);
    add->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(add, &QAction::triggered, this, &TiersView::addTier);
    addAction(add);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addSpacing(16);
    buttons->addWidget(m_changes);
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_hint);

    connect(m_add, &QPushButton::clicked, this, &TiersView::addTier);
    connect(m_remove, &QPushButton::clicked, this, &TiersView::removeSelected);
    connect(m_revert, &QPushButton::clicked, this, &TiersView::revert);
    connect(m_save, &QPushButton::clicked, this, &TiersView::save);
    connect(m_model, &TierTableModel::changesChanged, this, [this](bool changes) {
        // "Saved." belongs to the state that was saved.
        if (changes && m_message->property("tone").toInt() == int(Tone::Note))
            m_message->hide();
        updateButtons();
    });
    connect(m_model, &TierTableModel::refused, this, [this](const QModelIndex &index, const QString &message) {
        const QString column = m_model->headerData(index.column(), Qt::Horizontal).toString();
        const QString slug = m_model->index(index.row(), TierTableModel::Slug).data().toString();
        showMessage(Tone::Error, tr("%1 of “%2” not changed: %3").arg(column, slug, message), true);
    });
    connect(m_model, &TierTableModel::dataChanged, this, [this] {
        // A good edit answers the refusal shown before it.
        if (m_message->property("fromCell").toBool())
            m_message->hide();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TiersView::updateButtons);

    retranslate();
    updateButtons();
    load();
}

QIcon TiersView::icon() const
{
    return QIcon(QStringLiteral(":/icons/tiers.svg"));
}

QString TiersView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void TiersView::refresh()
{
    if (m_model->hasChanges()) {
        // Reloading would drop the edits: the user decides with Save or Revert.
        showMessage(Tone::Note, tr("Your unsaved changes are kept; Revert shows the gateway's tiers again."));
        return;
    }
    load();
}

void TiersView::load()
{
    if (m_loading)
        return;
    m_loading = client()->get(QStringLiteral("/admin/tiers"));
    connect(m_loading, &ApiCall::succeeded, this, [this](const QJsonValue &data) {
        m_loading = nullptr;
        if (m_model->hasChanges())
            return;
        m_model->setTiers(data.toArray());
        m_loaded = true;
        if (m_fitColumns && m_model->rowCount() > 0) {
            m_fitColumns = false;
            m_table->resizeColumnsToContents();
        }
        if (!m_message->property("fromCell").toBool() && m_message->property("tone").toInt() == int(Tone::Error))
            m_message->hide();
        updateButtons();
    });
    connect(m_loading, &ApiCall::failed, this, [this](const ApiError &error) {
        m_loading = nullptr;
        onFailure(error, false);
    });
}

void TiersView::save()
{
    // An open cell editor (Ctrl+S while typing) holds a value the model has not seen: losing focus commits it.
    if (QWidget *focus = QApplication::focusWidget(); focus && m_table->isAncestorOf(focus) && focus != m_table)
        m_save->setFocus();
    if (!m_model->hasChanges() || m_saving)
        return;
    m_saving = client()->put(QStringLiteral("/admin/tiers"), m_model->tiers());
    updateButtons();
    connect(m_saving, &ApiCall::succeeded, this, [this](const QJsonValue &data) {
        m_saving = nullptr;
        m_model->setTiers(data.toArray());
        m_loaded = true;
        showMessage(Tone::Note, tr("Saved. Every gateway instance uses the new tiers within seconds."));
    });
    connect(m_saving, &ApiCall::failed, this, [this](const ApiError &error) {
        m_saving = nullptr;
        onFailure(error, true);
    });
    connect(m_saving, &ApiCall::finished, this, &TiersView::updateButtons);
}

void TiersView::revert()
{
    m_model->revert();
    m_message->hide();
    updateButtons();
}

void TiersView::addTier()
{
    const int row = m_model->addTier();
    const QModelIndex slug = m_model->index(row, TierTableModel::Slug);
    m_table->setCurrentIndex(slug);
    m_table->scrollTo(slug);
    m_table->setFocus();
    m_table->edit(slug);
}

void TiersView::removeSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    m_model->removeTier(rows.constFirst().row());
}

void TiersView::onFailure(const ApiError &error, bool saving)
{
    if (error.isAborted())
        return;
    if (error.isConnectionProblem()) {
        // The window's banner says the gateway is away; the edits stay for when it is back.
        Q_EMIT problem(saving ? tr("The tiers could not be saved: %1").arg(error.message)
                              : tr("The tiers could not be loaded: %1").arg(error.message));
        return;
    }
    showMessage(Tone::Error, saving ? tr("The gateway refused the tiers: %1").arg(error.message)
                                    : tr("The tiers could not be loaded: %1").arg(error.message));
}

void TiersView::showMessage(Tone tone, const QString &text, bool fromCell)
{
    m_message->setProperty("tone", int(tone));
    m_message->setProperty("fromCell", fromCell);
    QPalette palette = this->palette();
    if (tone == Tone::Error)
        palette.setColor(QPalette::WindowText, toneColor(gui::Tone::Error, palette));
    m_message->setPalette(palette);
    m_message->setText(tone == Tone::Error ? QStringLiteral("⚠ ") + text : text);
    m_message->setAccessibleName(tone == Tone::Error ? tr("Problem") : tr("Note"));
    m_message->show();
}

void TiersView::updateButtons()
{
    const bool changes = m_model->hasChanges();
    const bool busy = bool(m_saving);
    m_save->setEnabled(changes && !busy);
    m_revert->setEnabled(changes && !busy);
    m_remove->setEnabled(!busy && m_table->selectionModel()->hasSelection());
    m_add->setEnabled(!busy && m_loaded);
    const QStringList removed = m_model->removedSlugs();
    if (!changes)
        m_changes->clear();
    else if (!removed.isEmpty())
        m_changes->setText(tr("* Unsaved changes · removed: %1").arg(removed.join(QStringLiteral(", "))));
    else
        m_changes->setText(tr("* Unsaved changes"));
}

void TiersView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void TiersView::retranslate()
{
    m_add->setText(tr("&Add tier"));
    m_remove->setText(tr("Re&move tier"));
    m_revert->setText(tr("Re&vert"));
    m_save->setText(tr("&Save"));
    m_add->setToolTip(tr("Add a tier (%1)").arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
    m_remove->setToolTip(tr("Remove the selected tier (Delete); a tier used by keys stays"));
    m_save->setToolTip(tr("Send all tiers to the gateway (%1)").arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    m_table->setAccessibleName(tr("Tiers"));
    m_hint->setText(tr("Double-click a cell or start typing to edit it. Rate: requests per window and key; credits per "
                       "calendar month (UTC); price with two decimals. Nothing reaches the gateway until Save."));
    m_model->retranslate();
    updateButtons();
}

} // namespace tollgate::gui
