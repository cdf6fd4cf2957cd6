#include "app/cli/TextTable.h"

namespace tollgate::cli {

void TextTable::print(QTextStream &out) const
{
    QList<qsizetype> widths;
    for (const QString &header : m_headers)
        widths.append(header.size());
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = qMax(widths[i], row[i].size());
    }
    auto printRow = [&](const QStringList &cells) {
        QString line;
        for (qsizetype i = 0; i < cells.size(); ++i)
            line += i + 1 == cells.size() ? cells[i] : cells[i].leftJustified(widths[i] + 2);
        out << line << '\n';
    };
    printRow(m_headers);
    for (const QStringList &row : m_rows)
        printRow(row);
    if (m_rows.isEmpty())
        out << "(none)\n";
}

void printFields(QTextStream &out, const QList<QPair<QString, QString>> &fields)
{
    qsizetype width = 0;
    for (const auto &field : fields)
        width = qMax(width, field.first.size());
    for (const auto &field : fields)
        out << (field.first + QLatin1Char(':')).leftJustified(width + 2) << field.second << '\n';
}

} // namespace tollgate::cli
