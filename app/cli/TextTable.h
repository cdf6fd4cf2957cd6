#pragma once

#include <QStringList>
#include <QTextStream>

namespace tollgate::cli {

// A plain, aligned table for humans; --json is for scripts.
class TextTable
{
public:
    explicit TextTable(QStringList headers) : m_headers(std::move(headers)) {}
    void addRow(QStringList cells) { m_rows.append(std::move(cells)); }
    void print(QTextStream &out) const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

// "key: value" lines, keys aligned.
void printFields(QTextStream &out, const QList<QPair<QString, QString>> &fields);

} // namespace tollgate::cli
