#pragma once

#include <QStyledItemDelegate>

namespace tollgate::gui {

// A cell drawn as a progress bar with the cell's text in it ("3,120 of 5,000"): the share comes from
// progressRole (0…1), the words from Qt::DisplayRole, so the number stays readable and the bar is a glance.
class ProgressBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ProgressBarDelegate(int progressRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_progressRole;
};

} // namespace tollgate::gui
