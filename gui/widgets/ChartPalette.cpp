#include "gui/widgets/ChartPalette.h"

#include "gui/widgets/ToneColors.h"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegend>
#include <QXYSeries>

namespace tollgate::gui {

namespace {

// Re-applies the palette to its chart view's chart when the palette (or the style) changes.
class PaletteFollower : public QObject
{
public:
    explicit PaletteFollower(QChartView *view) : QObject(view), m_view(view) { view->installEventFilter(this); }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_view && (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange))
            applyChartPalette(m_view->chart(), m_view->palette());
        return QObject::eventFilter(watched, event);
    }

private:
    QChartView *m_view;
};

} // namespace

void applyChartPalette(QChart *chart, const QPalette &palette)
{
    if (!chart)
        return;
    const QChart::ChartTheme theme = isDark(palette) ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart->theme() != theme) {
        // setTheme() recolours every series: keep the view's colours.
        struct Kept
        {
            QXYSeries *xy = nullptr;
            QBarSet *set = nullptr;
            QPen pen;
            QBrush brush;
            QColor color;
        };
        QList<Kept> kept;
        for (QAbstractSeries *series : chart->series()) {
            if (auto *xy = qobject_cast<QXYSeries *>(series))
                kept.append({xy, nullptr, xy->pen(), xy->brush(), xy->color()});
            else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series))
                for (QBarSet *set : bars->barSets())
                    kept.append({nullptr, set, set->pen(), set->brush(), set->color()});
        }
        chart->setTheme(theme);
        for (const Kept &k : std::as_const(kept)) {
            if (k.xy) {
                k.xy->setPen(k.pen);
                k.xy->setBrush(k.brush);
                k.xy->setColor(k.color);
            } else {
                k.set->setPen(k.pen);
                k.set->setBrush(k.brush);
            }
        }
    }
    const QColor text = palette.color(QPalette::WindowText);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    QColor grid = palette.color(QPalette::Mid);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsBrush(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
}

void followPalette(QChartView *view)
{
    applyChartPalette(view->chart(), view->palette());
    new PaletteFollower(view);
}

} // namespace tollgate::gui
