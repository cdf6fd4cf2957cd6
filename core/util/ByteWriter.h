#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <charconv>
#include <cstring>

namespace tollgate {

// Appends to a QByteArray through a raw pointer, for text built on every request (response heads,
// upstream request heads, access-log lines). QByteArray::append is an out-of-line call that checks
// sharing and growth each time, ≈ 130 instructions; a response head is some 30 appends. Here an
// append is a bounds check and a memcpy, and the array is resized once, when the writer goes.
//
// The array must not be touched by anything else while the writer lives.
class ByteWriter
{
public:
    explicit ByteWriter(QByteArray &out, qsizetype expected = 256) : m_out(out), m_size(out.size())
    {
        reserveMore(expected);
    }
    ~ByteWriter() { m_out.resize(m_size); }
    ByteWriter(const ByteWriter &) = delete;
    ByteWriter &operator=(const ByteWriter &) = delete;

    ByteWriter &append(QByteArrayView text)
    {
        const qsizetype n = text.size();
        if (m_size + n > m_capacity)
            reserveMore(n);
        if (n > 0)
            std::memcpy(m_data + m_size, text.data(), size_t(n));
        m_size += n;
        return *this;
    }
    ByteWriter &append(char c)
    {
        if (m_size + 1 > m_capacity)
            reserveMore(1);
        m_data[m_size++] = c;
        return *this;
    }
    ByteWriter &appendNumber(qint64 value)
    {
        char digits[24];
        const auto result = std::to_chars(digits, digits + sizeof digits, value);
        return append(QByteArrayView(digits, result.ptr - digits));
    }
    // Fixed-point with the given decimals ("12.34"), as printf("%.*f") would write it.
    ByteWriter &appendFixed(double value, int decimals)
    {
        char digits[64];
        const auto result = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, decimals);
        if (result.ec != std::errc())
            return append("0");
        return append(QByteArrayView(digits, result.ptr - digits));
    }
    // "Name: value\r\n"; the caller vouches that name and value hold no CR or LF.
    ByteWriter &appendHeader(QByteArrayView name, QByteArrayView value)
    {
        const qsizetype n = name.size() + value.size() + 4;
        if (m_size + n > m_capacity)
            reserveMore(n);
        char *p = m_data + m_size;
        std::memcpy(p, name.data(), size_t(name.size()));
        p += name.size();
        *p++ = ':';
        *p++ = ' ';
        if (!value.isEmpty())
            std::memcpy(p, value.data(), size_t(value.size()));
        p += value.size();
        *p++ = '\r';
        *p++ = '\n';
        m_size += n;
        return *this;
    }
    ByteWriter &appendHeader(QByteArrayView name, qint64 value)
    {
        char digits[24];
        const auto result = std::to_chars(digits, digits + sizeof digits, value);
        return appendHeader(name, QByteArrayView(digits, result.ptr - digits));
    }

    qsizetype size() const { return m_size; }

private:
    void reserveMore(qsizetype more)
    {
        const qsizetype needed = m_size + more;
        m_out.resize(m_size);
        if (m_out.capacity() < needed)
            m_out.reserve(qMax(needed, 2 * m_out.capacity()));
        // Writable up to the capacity without another allocation; trimmed back in the destructor.
        m_out.resize(m_out.capacity());
        m_data = m_out.data();
        m_capacity = m_out.size();
    }

    QByteArray &m_out;
    char *m_data = nullptr;
    qsizetype m_size;
    qsizetype m_capacity = 0;
};

} // namespace tollgate
