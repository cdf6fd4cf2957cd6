#pragma once

#include <QColor>
#include <QIcon>

namespace tollgate::gui {

// A round coloured dot for a state, drawn once per colour (DecorationRole beside the word, never instead of it:
// colour alone fails colour-blind admins and grey screenshots).
// NotChecked: listed, but the gateway has not probed it yet (grey: no news, not bad news). Degraded: answering in
// part (a half-open breaker letting a probe through). Unknown: a state this console does not know.
enum class Light { Up, Down, Degraded, Disabled, NotChecked, Unknown };

QColor lightColor(Light light);
QIcon lightIcon(Light light);

} // namespace tollgate::gui
