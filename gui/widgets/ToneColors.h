#pragma once

#include <QColor>
#include <QPalette>

namespace tollgate::gui {

// Colours that carry a meaning (an error, a warning, success) chosen against the palette, so that a dark system
// palette reads as well as a light one: the hue stays, its lightness moves until the text stands out from the
// window (4.5:1, WCAG AA).
enum class Tone { Error, Warning, Success };

bool isDark(const QPalette &palette);
QColor toneColor(Tone tone, const QPalette &palette, QPalette::ColorRole against = QPalette::Window);

// WCAG contrast ratio of two colours (1…21).
double contrastRatio(const QColor &a, const QColor &b);
// preferred when it reads on background (4.5:1), else black or white, whichever reads better.
QColor readableOn(const QColor &background, const QColor &preferred);

} // namespace tollgate::gui
