#include "gui/widgets/HeaderMemory.h"

#include <QEvent>
#include <QAbstractItemModel>
#include <QHeaderView>
#include <QSettings>

namespace tollgate::gui {

namespace {
constexpr int SaveDelayMs = 500;
}

HeaderMemory::HeaderMemory(QHeaderView *header, QString settingsKey)
    : QObject(header), m_header(header), m_key(std::move(settingsKey))
{
    const QByteArray state = QSettings().value(m_key).toByteArray();
    m_restored = !state.isEmpty() && header->restoreState(state);
    m_delay.setSingleShot(true);
    m_delay.setInterval(SaveDelayMs);
    connect(&m_delay, &QTimer::timeout, this, &HeaderMemory::saveNow);
    auto later = [this] {
        m_pending = true;
        m_delay.start();
    };
    connect(header, &QHeaderView::sectionResized, this, later);
    connect(header, &QHeaderView::sectionMoved, this, later);
    connect(header, &QHeaderView::sortIndicatorChanged, this, later);
    header->installEventFilter(this);
    if (m_restored)
        fitTitles();
    // New titles (a language change) may be longer than the widths they inherit.
    if (header->model())
        connect(header->model(), &QAbstractItemModel::headerDataChanged, this, [this](Qt::Orientation orientation) {
            if (orientation == Qt::Horizontal)
                QTimer::singleShot(0, this, &HeaderMemory::fitTitles);
        });
}

void HeaderMemory::fitTitles()
{
    if (!m_header)
        return;
    const int last = m_header->logicalIndex(m_header->count() - 1);
    for (int logical = 0; logical < m_header->count(); ++logical) {
        if (m_header->isSectionHidden(logical) || (logical == last && m_header->stretchLastSection()))
            continue;
        const int title = m_header->sectionSizeHint(logical);
        if (m_header->sectionSize(logical) < title)
            m_header->resizeSection(logical, title);
    }
}

// Nothing to save here: by the time the header's children go, the header is half destroyed. The view's
// destructor calls saveNow() while it is whole.
HeaderMemory::~HeaderMemory() = default;

void HeaderMemory::saveNow()
{
    m_delay.stop();
    if (!m_pending || !m_header)
        return;
    m_pending = false;
    QSettings().setValue(m_key, m_header->saveState());
}

bool HeaderMemory::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_header && event->type() == QEvent::Hide)
        saveNow();
    return QObject::eventFilter(watched, event);
}

} // namespace tollgate::gui
