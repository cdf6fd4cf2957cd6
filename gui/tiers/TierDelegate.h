#pragma once

#include <QStyledItemDelegate>
#include <QWidget>

class QCheckBox;

namespace tollgate::gui {

// The endpoint groups of a tier as four check boxes; every tick is committed at once.
class EndpointsEditor : public QWidget
{
    Q_OBJECT
    Q_PROPERTY(QStringList groups READ groups WRITE setGroups USER true)

public:
    explicit EndpointsEditor(QWidget *parent = nullptr);
    QStringList groups() const;
    void setGroups(const QStringList &groups);
    QCheckBox *box(const QString &group) const;

Q_SIGNALS:
    void edited();

private:
    QList<QCheckBox *> m_boxes;
};

// Text fields for slug, name, numbers and price (the model checks what is typed and says why it refuses it),
// check boxes for the endpoint groups.
class TierDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tollgate::gui
