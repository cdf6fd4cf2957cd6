#include "gui/Views.h"

#include "gui/MainWindow.h"
#include "gui/settings/SettingsView.h"

namespace tollgate::gui {

void addViews(MainWindow &window, ConsoleContext &context)
{
    window.addView(new SettingsView(context, &window));
}

} // namespace tollgate::gui
