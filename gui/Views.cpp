#include "gui/Views.h"

#include "gui/MainWindow.h"
#include "gui/audit/AuditView.h"
#include "gui/health/HealthView.h"
#include "gui/keys/KeysView.h"
#include "gui/overview/OverviewView.h"
#include "gui/settings/SettingsView.h"
#include "gui/tiers/TiersView.h"
#include "gui/usage/UsageView.h"

namespace tollgate::gui {

void addViews(MainWindow &window, ConsoleContext &context)
{
    window.addView(new OverviewView(context, &window));
    window.addView(new KeysView(context, &window));
    window.addView(new UsageView(context, &window));
    window.addView(new HealthView(context, &window));
    window.addView(new TiersView(context, &window));
    window.addView(new AuditView(context, &window));
    window.addView(new SettingsView(context, &window));
}

} // namespace tollgate::gui
