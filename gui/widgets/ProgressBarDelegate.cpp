#include "gui/widgets/ProgressBarDelegate.h"

#include "gui/widgets/ToneColors.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>

#include <cmath>

namespace tollgate::gui {

ProgressBarDelegate::ProgressBarDelegate(int progressRole, QObject *parent)
    : QStyledItemDelegate(parent), m_progressRole(progressRole)
{
}

ProgressBarDelegate::Colors ProgressBarDelegate::colorsFor(const QPalette &palette, QPalette::ColorGroup group, double share)
{
    Colors colors;
    colors.groove = palette.color(group, QPalette::Base);
    colors.frame = palette.color(group, QPalette::Mid);
    colors.fill = palette.color(group, QPalette::Highlight);
    // Nearly spent reads as a warning colour, not only as a longer bar; the same hues read on dark and light bases.
    if (share >= 0.9)
        colors.fill = QColor(0xc6, 0x28, 0x28);
    else if (share >= 0.8)
        colors.fill = QColor(0xe0, 0x8e, 0x0b);
    colors.textOnFill = readableOn(colors.fill, palette.color(group, QPalette::HighlightedText));
    colors.textOnGroove = readableOn(colors.groove, palette.color(group, QPalette::Text));
    return colors;
}

void ProgressBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant shareValue = index.data(m_progressRole);
    if (!shareValue.isValid())
        return QStyledItemDelegate::paint(painter, option, index);
    const double share = qBound(0.0, shareValue.toDouble(), 1.0);

    // The selection background first, so a selected row stays visibly selected around the bar.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    const QString text = background.text;
    background.text.clear();
    background.icon = QIcon();
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (option.state & QStyle::State_Active) ? QPalette::Active
                                                                               : QPalette::Inactive;
    const Colors colors = colorsFor(option.palette, group, share);
    const QRect bar = option.rect.adjusted(3, 3, -4, -4);
    if (bar.width() <= 2 || bar.height() <= 2)
        return;
    painter->save();
    painter->setPen(colors.frame);
    painter->setBrush(colors.groove);
    painter->drawRect(bar);
    const QRect inner = bar.adjusted(1, 1, 0, 0);
    QRect filled = inner;
    filled.setWidth(int(std::lround(inner.width() * share)));
    painter->fillRect(filled, colors.fill);

    // The text in two colours split where the fill ends, so every letter reads on what is under it.
    painter->setFont(background.font);
    const QString shown = background.fontMetrics.elidedText(text, Qt::ElideRight, inner.width() - 4);
    painter->setClipRect(filled);
    painter->setPen(colors.textOnFill);
    painter->drawText(inner, Qt::AlignCenter, shown);
    painter->setClipRect(inner.adjusted(filled.width(), 0, 0, 0));
    painter->setPen(colors.textOnGroove);
    painter->drawText(inner, Qt::AlignCenter, shown);
    painter->restore();
}

QSize ProgressBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(size.width() + 24);
    size.setHeight(qMax(size.height(), option.fontMetrics.height() + 8));
    return size;
}

} // namespace tollgate::gui
