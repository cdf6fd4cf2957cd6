#include "server/http/HttpHeaders.h"

#include <cstring>

namespace tollgate::http {

namespace {

// Open-addressed by size and first byte: one or two probes per lookup.
class InternTable
{
public:
    InternTable()
    {
        static const char *const common[] = {
            "Host", "host", "User-Agent", "user-agent", "Accept", "accept", "Accept-Encoding", "accept-encoding",
            "Content-Type", "content-type", "Content-Length", "content-length", "Connection", "connection",
            "X-API-Key", "x-api-key", "Authorization", "authorization", "Date", "date", "Server", "server",
            "Transfer-Encoding", "transfer-encoding", "Keep-Alive", "X-Request-ID", "x-request-id", "Cache-Control",
            "keep-alive", "close", "chunked", "application/json", "*/*", "nginx",
        };
        for (const char *text : common) {
            const QByteArray value = QByteArray::fromRawData(text, qsizetype(std::strlen(text)));
            size_t slot = indexOf(value.constData(), value.size());
            while (!m_slots[slot].isNull())
                slot = (slot + 1) % Slots;
            m_slots[slot] = value;
        }
    }

    QByteArray find(const char *data, qsizetype size) const
    {
        for (size_t slot = indexOf(data, size); !m_slots[slot].isNull(); slot = (slot + 1) % Slots) {
            const QByteArray &known = m_slots[slot];
            if (known.size() == size && std::memcmp(known.constData(), data, size_t(size)) == 0)
                return known;
        }
        return QByteArray(data, size);
    }

private:
    static constexpr size_t Slots = 128;
    static size_t indexOf(const char *data, qsizetype size)
    {
        return (size_t(size) * 31 + uchar(data[0]) * 7 + uchar(data[size - 1])) % Slots;
    }
    QByteArray m_slots[Slots];
};

} // namespace

QByteArray HttpHeaders::intern(const char *data, qsizetype size)
{
    static const InternTable table;
    if (size <= 0)
        return QByteArray(data, size);
    return table.find(data, size);
}

QByteArray HttpHeaders::value(QByteArrayView name) const
{
    for (const auto &field : fields) {
        if (nameEquals(field.first, name))
            return field.second;
    }
    return {};
}

bool HttpHeaders::contains(QByteArrayView name) const
{
    for (const auto &field : fields) {
        if (nameEquals(field.first, name))
            return true;
    }
    return false;
}

void HttpHeaders::add(QByteArray name, QByteArray value)
{
    fields.append({std::move(name), std::move(value)});
}

void HttpHeaders::set(QByteArray name, QByteArray value)
{
    qsizetype i = 0;
    for (; i < fields.size(); ++i) {
        if (nameEquals(fields.at(i).first, name))
            break;
    }
    if (i == fields.size()) {
        add(std::move(name), std::move(value));
        return;
    }
    fields[i] = {std::move(name), std::move(value)};
    for (qsizetype j = fields.size() - 1; j > i; --j) {
        if (nameEquals(fields.at(j).first, fields.at(i).first))
            fields.removeAt(j);
    }
}

void HttpHeaders::remove(QByteArrayView name)
{
    fields.removeIf([name](const QPair<QByteArray, QByteArray> &field) { return nameEquals(field.first, name); });
}

} // namespace tollgate::http
