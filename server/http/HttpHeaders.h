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

    // ASCII case-insensitive, inline: called a few dozen times per proxied request, where Qt's
    // out-of-line qstrnicmp cost more than the comparisons themselves.
    static bool nameEquals(QByteArrayView a, QByteArrayView b)
    {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const char x = a[i];
            const char y = b[i];
            if (x == y)
                continue;
            const char lower = char(x | 0x20);
            if (lower != char(y | 0x20) || lower < 'a' || lower > 'z')
                return false;
        }
        return true;
    }

    // No CR, LF or NUL: a value that cannot split a head or end it early.
    static bool isSafeValue(QByteArrayView value)
    {
        for (const char c : value) {
            if (c == '\r' || c == '\n' || c == '\0')
                return false;
        }
        return true;
    }

    // A field name or value off the wire as a QByteArray. The names (and a few values) nearly every
    // request carries come back as shared constants, so that parsing them allocates nothing.
    static QByteArray intern(const char *data, qsizetype size);
};

} // namespace tollgate::http
