#pragma once

namespace tollgate::gui {

class MainWindow;
struct ConsoleContext;

// Every view of the console, in the order of the list and of Ctrl+1…: Overview, Keys, Usage, Health, Tiers,
// Audit, Settings. One place, so that the window, the screenshots and the tests see the same set.
void addViews(MainWindow &window, ConsoleContext &context);

} // namespace tollgate::gui
