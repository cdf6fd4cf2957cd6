#pragma once

#include <QColor>
#include <QIcon>

namespace tollgate::gui {

// A round coloured dot for a state, drawn once per colour (DecorationRole beside the word, never instead of it:
// colour alone fails colour-blind admins and grey screenshots).
enum class Light { Up, Down, Disabled, Unknown };

QColor lightColor(Light light);
QIcon lightIcon(Light light);

} // namespace tollgate::gui
