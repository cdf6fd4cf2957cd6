#include "gui/Views.h"

#include "gui/MainWindow.h"
#include "gui/keys/KeysView.h"
#include "gui/settings/SettingsView.h"

namespace tollgate::gui {

void addViews(MainWindow &window, ConsoleContext &context)
{
    window.addView(new KeysView(context, &window));  // Keys: after Overview, before Usage
    window.addView(new SettingsView(context, &window));
}

} // namespace tollgate::gui
