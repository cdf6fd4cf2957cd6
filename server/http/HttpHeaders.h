#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace tollgate::http {

// Header fields in wire order. A list rather than a map: order and repeated names (Set-Cookie, Via)
// must survive a proxy hop, and requests carry few enough fields that a linear, case-insensitive
// scan beats hashing.
struct HttpHeaders
{
    QList<QPair<QByteArray, QByteArray>> fields;

    // First match, empty if none.
    QByteArray value(QByteArrayView name) const;
    bool contains(QByteArrayView name) const;
    void add(QByteArray name, QByteArray value);
    // Replaces every field of that name by one (at the position of the first).
    void set(QByteArray name, QByteArray value);
    void remove(QByteArrayView name);

    static bool nameEquals(QByteArrayView a, QByteArrayView b)
    {
        return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
    }
};

} // namespace tollgate::http
