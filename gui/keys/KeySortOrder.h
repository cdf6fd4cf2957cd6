#pragma once

#include "gui/keys/KeyRecord.h"

#include <QCollator>
#include <QCollatorSortKey>

#include <vector>

namespace tollgate::gui {

// The order of a Keys table column, by raw values: text locale-aware and case-insensitive (QCollator), numbers,
// times in ms (never expires: last), Credits by the share used with ties broken by the amount. Descending is the
// reverse comparison (a stable sort), so equal keys keep the order they came in from the API.
//
// Why its own class: the sort of 100,000 rows runs on a worker thread (KeyListModel::sort) over copies of the raw
// values (Value), and pages that arrive later are placed on the GUI thread with the same comparison; both must agree.
class KeySortOrder
{
public:
    // One row's raw value for one column, copied on the GUI thread so the worker never touches the model.
    struct Value
    {
        QString text;        // Name, User, Tier, Key (last 4)
        double number = 0;   // Status, Credits share
        qint64 tie = 0;      // Credits used; ms since the epoch for the time columns
    };

    KeySortOrder(int column, Qt::SortOrder order);

    int column() const { return m_column; }
    Qt::SortOrder order() const { return m_order; }
    bool isText() const;

    Value value(const KeyRecord &key) const;
    // Whether a comes before b in this order (already reversed for descending).
    bool before(const KeyRecord &a, const KeyRecord &b) const { return before(value(a), value(b)); }
    bool before(const Value &a, const Value &b) const;

    // The rows' new order: result[i] is the index into values of the row shown at position i. Stable. Runs on any
    // thread (its own collator, sort keys made once per row rather than a collation per comparison).
    static std::vector<int> permutation(const std::vector<Value> &values, int column, Qt::SortOrder order);

private:
    bool less(const Value &a, const Value &b) const;

    int m_column;
    Qt::SortOrder m_order;
    QCollator m_collator;
};

} // namespace tollgate::gui
