#include "gui/widgets/ToneColors.h"

#include <cmath>

namespace tollgate::gui {

namespace {

double luminance(const QColor &color)
{
    auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const QColor rgb = color.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor readableOn(const QColor &background, const QColor &preferred)
{
    if (preferred.isValid() && contrastRatio(preferred, background) >= 4.5)
        return preferred;
    const QColor black(Qt::black);
    const QColor white(Qt::white);
    return contrastRatio(black, background) >= contrastRatio(white, background) ? black : white;
}

QColor toneColor(Tone tone, const QPalette &palette, QPalette::ColorRole against)
{
    QColor color;
    switch (tone) {
    case Tone::Error: color = QColor(0xc6, 0x28, 0x28); break;
    case Tone::Warning: color = QColor(0xb0, 0x6e, 0x00); break;
    case Tone::Success: color = QColor(0x2e, 0x7d, 0x32); break;
    }
    const QColor background = palette.color(against);
    const bool dark = background.lightness() < 128;
    // Lighter on a dark window, darker on a light one, a step at a time, until it reads.
    for (int step = 0; step < 12 && contrastRatio(color, background) < 4.5; ++step)
        color = dark ? color.lighter(115) : color.darker(115);
    return color;
}

} // namespace tollgate::gui
