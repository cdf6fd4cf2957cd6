#pragma once

#include <QObject>

class QChart;
class QChartView;
class QPalette;

namespace tollgate::gui {

// Charts in the palette's light or dark: QChart draws its own background, labels and grid from its theme (light by
// default), which in a dark system palette is a white slab with grey text. This picks ChartThemeDark when the
// window is dark, then the palette's own colours for the background, labels and grid; the series keep the colours
// the view gave them (a theme change would otherwise replace them). Applied at once and on every palette change.
void applyChartPalette(QChart *chart, const QPalette &palette);
void followPalette(QChartView *view);

} // namespace tollgate::gui
