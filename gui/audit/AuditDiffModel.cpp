#include "gui/audit/AuditDiffModel.h"

#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPalette>

#include <algorithm>

namespace tollgate::gui {

AuditDiffModel::AuditDiffModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void AuditDiffModel::setEntry(const QJsonValue &before, const QJsonValue &after)
{
    m_before = before;
    m_after = after;
    rebuild();
}

void AuditDiffModel::setChangedOnly(bool changedOnly)
{
    if (changedOnly == m_changedOnly)
        return;
    m_changedOnly = changedOnly;
    rebuild();
}

void AuditDiffModel::rebuild()
{
    beginResetModel();
    m_rows.clear();
    const QJsonObject before = m_before.toObject();
    const QJsonObject after = m_after.toObject();
    QStringList fields = before.keys() + after.keys();
    fields.removeDuplicates();
    fields.sort();
    for (const QString &field : std::as_const(fields)) {
        const QJsonValue b = before.contains(field) ? before.value(field) : QJsonValue(QJsonValue::Undefined);
        const QJsonValue a = after.contains(field) ? after.value(field) : QJsonValue(QJsonValue::Undefined);
        const bool changed = b != a;
        if (m_changedOnly && !changed)
            continue;
        m_rows.append({field, b, a, changed});
    }
    // What changed first: a revoke's status is not to be looked for below a dozen unchanged fields.
    std::stable_partition(m_rows.begin(), m_rows.end(), [](const Row &row) { return row.changed; });
    endResetModel();
}

int AuditDiffModel::rowOf(const QString &field) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].field == field)
            return int(i);
    }
    return -1;
}

void AuditDiffModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QString AuditDiffModel::text(const QJsonValue &value, bool pretty)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(pretty ? QJsonDocument::Indented : QJsonDocument::Compact)).trimmed();
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(pretty ? QJsonDocument::Indented : QJsonDocument::Compact)).trimmed();
    }
    return {};
}

int AuditDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditDiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount)
        return {};
    const Row &row = m_rows.at(index.row());
    const QJsonValue &value = index.column() == Before ? row.before : row.after;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        if (index.column() == Field)
            return row.field;
        if (value.isUndefined())
            return tr("—");
        return text(value);
    case Qt::ToolTipRole:
        if (index.column() == Field)
            return row.changed ? tr("%1 changed").arg(row.field) : row.field;
        if (value.isUndefined())
            return index.column() == Before ? tr("Not present before") : tr("Not present after");
        return text(value, true);
    case Qt::FontRole:
        if (row.changed) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        if (row.changed && index.column() != Field && !value.isUndefined()) {
            // A tint of the highlight, readable on light and dark palettes alike.
            QColor tint = index.column() == Before ? QColor(0xd6, 0x37, 0x2b) : QColor(0x2e, 0x9d, 0x4f);
            tint.setAlpha(48);
            return tint;
        }
        return {};
    case ChangedRole:
        return row.changed;
    }
    return {};
}

QVariant AuditDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Field:
        return tr("Field");
    case Before:
        return tr("Before");
    case After:
        return tr("After");
    }
    return {};
}

} // namespace tollgate::gui
