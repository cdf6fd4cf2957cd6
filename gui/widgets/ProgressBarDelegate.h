#pragma once

#include <QColor>
#include <QPalette>
#include <QStyledItemDelegate>

class QPalette;

namespace tollgate::gui {

// A cell drawn as a progress bar with the cell's text in it ("3,120 of 5,000"): the share comes from
// progressRole (0…1), the words from Qt::DisplayRole, so the number stays readable and the bar is a glance.
// Painted by hand from the palette's roles rather than by the style's CE_ProgressBar: that costs a gradient and
// a rounded frame per cell (a third of a repaint of the Keys table), and it works in a dark palette as in a light one.
class ProgressBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ProgressBarDelegate(int progressRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    struct Colors
    {
        QColor groove;        // the unfilled part: the palette's Base
        QColor frame;         // its outline: Mid
        QColor fill;          // the used share: Highlight; amber from 80 %, red from 90 %
        QColor textOnFill;    // HighlightedText, or black/white, whichever reads on the fill
        QColor textOnGroove;  // Text
    };
    static Colors colorsFor(const QPalette &palette, QPalette::ColorGroup group, double share);

private:
    int m_progressRole;
};

} // namespace tollgate::gui
