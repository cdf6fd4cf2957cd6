#pragma once

#include <QString>
#include <QStringList>

namespace tollgate::limits {

// The sizes every key and tier body is held to, wherever it comes from (management API, admin API, CLI,
// console): a key is one row read on every cache miss and copied into the audit log twice per change, so
// a field without a bound is a way to grow the database at will.
constexpr int MaxNameCharacters = 200;
constexpr int MaxDescriptionCharacters = 1000;
// Lists (allowedEndpoints, allowedIps, a tier's endpoints, the tiers of PUT /admin/tiers) as sent, before
// duplicates are dropped: 10,000 copies of "search" are refused, not quietly folded into one.
constexpr int MaxListEntries = 100;

// Characters as a user counts them: Unicode code points, so "😀" is one, not two UTF-16 units.
qsizetype characterCount(QStringView text);
// Empty when `text` has at most `maxCharacters`; else "<field>: at most <max> characters".
QString textProblem(QStringView field, QStringView text, int maxCharacters);
// Empty when a list of `entries` entries is within MaxListEntries; else "<field>: at most 100 entries".
QString listProblem(QStringView field, qsizetype entries);
// The list without repeats, each entry where it first occurred.
QStringList deduplicated(const QStringList &list);

} // namespace tollgate::limits
