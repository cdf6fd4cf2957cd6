#include "gui/tiers/TierDelegate.h"

#include "gui/tiers/TierTableModel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLineEdit>

namespace tollgate::gui {

EndpointsEditor::EndpointsEditor(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("endpointsEditor"));
    setAutoFillBackground(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    for (const QString &group : TierTableModel::endpointGroups()) {
        auto *box = new QCheckBox(group, this);
        box->setObjectName(QStringLiteral("endpoint_") + group);
        box->setAccessibleName(tr("Endpoint group %1").arg(group));
        connect(box, &QCheckBox::toggled, this, &EndpointsEditor::edited);
        layout->addWidget(box);
        m_boxes.append(box);
    }
    setFocusProxy(m_boxes.constFirst());
    setAccessibleName(tr("Endpoint groups"));
}

QStringList EndpointsEditor::groups() const
{
    QStringList out;
    for (QCheckBox *box : m_boxes) {
        if (box->isChecked())
            out.append(box->text().remove(QLatin1Char('&')));
    }
    return out;
}

void EndpointsEditor::setGroups(const QStringList &groups)
{
    for (QCheckBox *box : std::as_const(m_boxes)) {
        const QSignalBlocker blocker(box);
        box->setChecked(groups.contains(box->text().remove(QLatin1Char('&'))));
    }
}

QCheckBox *EndpointsEditor::box(const QString &group) const
{
    return findChild<QCheckBox *>(QStringLiteral("endpoint_") + group);
}

QWidget *TierDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.column() == TierTableModel::Endpoints) {
        auto *editor = new EndpointsEditor(parent);
        connect(editor, &EndpointsEditor::edited, this, [this, editor] { Q_EMIT const_cast<TierDelegate *>(this)->commitData(editor); });
        return editor;
    }
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QStringLiteral("tierCellEditor"));
    edit->setFrame(false);
    if (index.column() == TierTableModel::Slug)
        edit->setMaxLength(32);
    Q_UNUSED(option)
    return edit;
}

void TierDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *endpoints = qobject_cast<EndpointsEditor *>(editor))
        return endpoints->setGroups(index.data(Qt::EditRole).toStringList());
    if (auto *edit = qobject_cast<QLineEdit *>(editor)) {
        // Keep what the user is typing when the model redraws under the open editor.
        if (!edit->isModified())
            edit->setText(index.data(Qt::EditRole).toString());
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void TierDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    if (auto *endpoints = qobject_cast<EndpointsEditor *>(editor))
        return void(model->setData(index, endpoints->groups(), Qt::EditRole));
    if (auto *edit = qobject_cast<QLineEdit *>(editor))
        return void(model->setData(index, edit->text(), Qt::EditRole));
    QStyledItemDelegate::setModelData(editor, model, index);
}

void TierDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (qobject_cast<EndpointsEditor *>(editor)) {
        QRect rect = option.rect;
        rect.setWidth(qMax(rect.width(), editor->sizeHint().width()));
        rect.setHeight(qMax(rect.height(), editor->sizeHint().height()));
        // Wider than its cell: kept inside the table rather than cut off at its right edge.
        if (const QWidget *viewport = editor->parentWidget(); viewport && rect.right() > viewport->width())
            rect.moveRight(qMax(rect.width() - 1, viewport->width() - 1));
        editor->setGeometry(rect);
        return;
    }
    QStyledItemDelegate::updateEditorGeometry(editor, option, index);
}

} // namespace tollgate::gui
