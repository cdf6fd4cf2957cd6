#pragma once

#include <QAbstractTableModel>
#include <QJsonValue>

namespace tollgate::gui {

// One audit entry's before and after, field by field: every field of either side, its value before and after,
// and whether it changed (bold, tinted; ChangedRole). Changed fields come first, each part in name order. Nested values are shown as compact JSON, pretty in the
// tooltip.
class AuditDiffModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Field, Before, After, ColumnCount };
    static constexpr int ChangedRole = Qt::UserRole + 1;

    explicit AuditDiffModel(QObject *parent = nullptr);

    void setEntry(const QJsonValue &before, const QJsonValue &after);
    void clear() { setEntry({}, {}); }
    void setChangedOnly(bool changedOnly);
    bool changedOnly() const { return m_changedOnly; }
    // The row of a field, -1 when not shown.
    int rowOf(const QString &field) const;
    void retranslate();

    static QString text(const QJsonValue &value, bool pretty = false);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString field;
        QJsonValue before;
        QJsonValue after;
        bool changed = false;
    };
    void rebuild();

    QJsonValue m_before;
    QJsonValue m_after;
    QList<Row> m_rows;
    bool m_changedOnly = false;
};

} // namespace tollgate::gui
