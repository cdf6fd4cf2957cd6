#include "gui/widgets/ConsoleView.h"

#include "gui/widgets/HeaderMemory.h"

#include "gui/ConsoleContext.h"

namespace tollgate::gui {

ConsoleView::~ConsoleView()
{
    for (const QPointer<HeaderMemory> &header : std::as_const(m_headers))
        if (header)
            header->saveNow();
}

bool ConsoleView::rememberColumns(QHeaderView *header, const QString &settingsKey)
{
    auto *memory = new HeaderMemory(header, settingsKey);
    m_headers.append(memory);
    return memory->restored();
}

ConsoleView::ConsoleView(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
}

AdminClient *ConsoleView::client() const
{
    return m_context.client;
}

void ConsoleView::setStale(bool stale)
{
    // Disabled widgets are drawn greyed by every style, and take no clicks that would only fail.
    setEnabled(!stale);
}

} // namespace tollgate::gui
