#include "gui/health/HealthView.h"

#include "gui/ConsoleContext.h"
#include "gui/client/StatusPoller.h"
#include "gui/health/HealthModel.h"

#include <QEvent>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace tollgate::gui {

namespace {

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return HealthView::tr("%n s", nullptr, int(seconds));
    if (seconds < 3600)
        return HealthView::tr("%n min", nullptr, int(seconds / 60));
    if (seconds < 86400)
        return HealthView::tr("%1 h %2 min").arg(QLocale().toString(seconds / 3600), QLocale().toString(seconds % 3600 / 60));
    return HealthView::tr("%n d", nullptr, int(seconds / 86400));
}

} // namespace

HealthView::HealthView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_model(new HealthModel(this)), m_summary(new QLabel(this)), m_table(new QTableView(this)),
      m_note(new QLabel(this))
{
    setObjectName(QStringLiteral("healthView"));
    m_summary->setObjectName(QStringLiteral("healthSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setObjectName(QStringLiteral("healthTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);  // URLs: keep scheme and port visible
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    m_table->horizontalHeader()->setHighlightSections(false);
    // Widths the admin can drag, remembered; fitted to the first status when nothing is remembered yet.
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setMinimumSectionSize(60);
    m_fitColumns = !rememberColumns(m_table->horizontalHeader(), QStringLiteral("health/header"));
    // A width the user drags ends the fitting. Resizes without a mouse button held are ours, the stretched last
    // column's or a title being widened (HeaderMemory), not the user's.
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
        if (QGuiApplication::mouseButtons() != Qt::NoButton)
            m_fitColumns = false;
    });
    m_note->setObjectName(QStringLiteral("healthNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_note);
    layout->addStretch(0);

    connect(context.status, &StatusPoller::updated, this, [this] {
        if (isActive() || !m_model->hasStatus())
            update();
    });
    retranslate();
    update();
}

QIcon HealthView::icon() const
{
    return QIcon(QStringLiteral(":/icons/health.svg"));
}

void HealthView::refresh()
{
    update();
    context().status->pollNow();
}

void HealthView::setActive(bool active)
{
    ConsoleView::setActive(active);
    if (active)
        update();
}

bool HealthView::hasLoaded() const
{
    return m_model->hasStatus();
}

void HealthView::update()
{
    if (!context().status->hasStatus())
        return;
    m_model->setStatus(context().status->status());
    m_table->setColumnHidden(HealthModel::Breaker, !m_model->hasBreakerInfo());
    // Until the user sets widths (then remembered), they follow what is shown: the database and Redis rows arrive
    // after the upstreams, and German headers are longer than English ones.
    if (m_fitColumns && m_model->rowCount() > 0 && m_model->rowCount() != m_fittedRows) {
        m_fittedRows = m_model->rowCount();
        m_table->resizeColumnsToContents();
    }
    // As tall as its rows (a handful), so the page does not show a large empty grid; it scrolls beyond that.
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_model->rowCount(); ++row)
        height += m_table->verticalHeader()->sectionSize(row);
    if (m_table->horizontalScrollBar()->isVisible())
        height += m_table->horizontalScrollBar()->height();
    m_table->setMaximumHeight(qMax(height, 80));
    updateSummary();
}

void HealthView::updateSummary()
{
    const QJsonObject status = context().status->status();
    if (status.isEmpty()) {
        m_summary->setText(tr("Waiting for the gateway's status…"));
        return;
    }
    const QString instance = status.value(QStringLiteral("instance")).toString();
    const QString version = status.value(QStringLiteral("version")).toString();
    const qint64 uptime = qint64(status.value(QStringLiteral("uptimeSeconds")).toDouble());
    int down = 0;
    int notChecked = 0;
    int upstreams = 0;
    for (const HealthModel::Row &row : m_model->rows()) {
        if (row.kind != HealthModel::Kind::Upstream)
            continue;
        ++upstreams;
        if (row.state == Light::Down)
            ++down;
        else if (row.state == Light::NotChecked)
            ++notChecked;
    }
    QString text = tr("Instance %1 · version %2 · running for %3").arg(instance, version, duration(uptime));
    // No "(s)" plurals: English is the source language and has no translation file to pick a form.
    if (upstreams > 0) {
        text += QStringLiteral(" · ");
        if (down > 0)
            text += tr("upstream instances down: %1 of %2").arg(QLocale().toString(down), QLocale().toString(upstreams));
        else if (notChecked > 0)
            text += tr("upstream instances not checked yet: %1 of %2").arg(QLocale().toString(notChecked), QLocale().toString(upstreams));
        else
            text += tr("every upstream instance answers");
    }
    m_summary->setText(text);
}

void HealthView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void HealthView::retranslate()
{
    m_table->setAccessibleName(tr("Upstreams, database and Redis"));
    m_note->setText(tr("The gateway probes every upstream instance by itself; this view shows its last answer, "
                       "refreshed every %n s. An instance is up when its health path answers with a status below 500.",
                       nullptr, StatusPoller::IntervalMs / 1000));
    m_model->retranslate();
    m_fittedRows = -1;  // the new headers' widths
    updateSummary();
}

} // namespace tollgate::gui
