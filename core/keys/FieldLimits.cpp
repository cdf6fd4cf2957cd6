#include "core/keys/FieldLimits.h"

#include <QSet>

namespace tollgate::limits {

qsizetype characterCount(QStringView text)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        // A surrogate pair is one character; a lone surrogate (invalid, but QJsonDocument lets it through) counts as one.
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

QString textProblem(QStringView field, QStringView text, int maxCharacters)
{
    // A string needs at least one UTF-16 unit per character: only a long one is worth counting.
    if (text.size() <= maxCharacters || characterCount(text) <= maxCharacters)
        return {};
    return QStringLiteral("%1: at most %2 characters").arg(field).arg(maxCharacters);
}

QString listProblem(QStringView field, qsizetype entries)
{
    if (entries <= MaxListEntries)
        return {};
    return QStringLiteral("%1: at most %2 entries").arg(field).arg(MaxListEntries);
}

QStringList deduplicated(const QStringList &list)
{
    QStringList out;
    QSet<QString> seen;
    out.reserve(list.size());
    for (const QString &entry : list) {
        if (!seen.contains(entry)) {
            seen.insert(entry);
            out.append(entry);
        }
    }
    return out;
}

} // namespace tollgate::limits
