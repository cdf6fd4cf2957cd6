#include "server/gateway/TraceContext.h"

#include <QRandomGenerator>

#include <algorithm>

namespace tollgate::gateway {

namespace {

constexpr char Hex[] = "0123456789abcdef";

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;  // upper case is not hex here: the specification allows lower case only
}

// Lower-case hex, and not all zeros (an all-zero id is invalid).
bool isId(QByteArrayView text)
{
    bool nonZero = false;
    for (const char c : text) {
        if (hexValue(c) < 0)
            return false;
        nonZero = nonZero || c != '0';
    }
    return nonZero;
}

// Seeded once per thread from the system's generator: trace ids need to be unique, not secret, and a
// syscall (or a shared generator's lock) per request would cost more than the rest of the trace context.
QRandomGenerator64 &generator()
{
    thread_local QRandomGenerator64 local = [] {
        std::array<quint32, 8> seed;
        QRandomGenerator::system()->fillRange(seed.data(), seed.size());
        return QRandomGenerator64(seed.data(), seed.size());
    }();
    return local;
}

// N random hex digits, not all zeros.
template<size_t N>
void randomId(std::array<char, N> &out)
{
    static_assert(N % 16 == 0);
    quint64 any = 0;
    do {
        any = 0;
        for (size_t i = 0; i < N; i += 16) {
            const quint64 bits = generator().generate();
            any |= bits;
            for (size_t j = 0; j < 16; ++j)
                out[i + j] = Hex[(bits >> (4 * j)) & 0xf];
        }
    } while (any == 0);
}

} // namespace

std::optional<TraceContext::Parent> TraceContext::parse(QByteArrayView value)
{
    // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55.
    constexpr qsizetype Length = 55;
    while (!value.isEmpty() && (value.back() == ' ' || value.back() == '\t'))
        value.chop(1);
    while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
        value = value.sliced(1);
    if (value.size() < Length)
        return std::nullopt;
    const int high = hexValue(value[0]);
    const int low = hexValue(value[1]);
    if (high < 0 || low < 0)
        return std::nullopt;
    const int version = high * 16 + low;
    if (version == 0xff)
        return std::nullopt;
    // Version 00 has exactly four fields; a later one may add fields, after a '-'.
    if (version == 0 ? value.size() != Length : value.size() > Length && value[Length] != '-')
        return std::nullopt;
    if (value[2] != '-' || value[35] != '-' || value[52] != '-')
        return std::nullopt;
    const QByteArrayView traceId = value.sliced(3, TraceIdLength);
    const QByteArrayView parentId = value.sliced(36, SpanIdLength);
    const int flagsHigh = hexValue(value[53]);
    const int flagsLow = hexValue(value[54]);
    if (!isId(traceId) || !isId(parentId) || flagsHigh < 0 || flagsLow < 0)
        return std::nullopt;
    Parent parent;
    std::copy(traceId.begin(), traceId.end(), parent.traceId.begin());
    std::copy(parentId.begin(), parentId.end(), parent.parentId.begin());
    parent.flags = quint8(flagsHigh * 16 + flagsLow);
    return parent;
}

TraceContext TraceContext::forRequest(const http::HttpHeaders &client)
{
    // Two traceparent fields cannot both be the parent: the specification treats that as none.
    const QPair<QByteArray, QByteArray> *found = nullptr;
    for (const auto &field : client.fields) {
        if (!http::HttpHeaders::nameEquals(field.first, "traceparent"))
            continue;
        if (found)
            return started();
        found = &field;
    }
    const std::optional<Parent> parent = found ? parse(found->second) : std::nullopt;
    if (!parent)
        return started();
    TraceContext context = continued(*parent);
    for (const auto &field : client.fields) {
        if (!http::HttpHeaders::nameEquals(field.first, "tracestate") || field.second.trimmed().isEmpty())
            continue;
        if (!context.m_tracestate.isEmpty())
            context.m_tracestate += ',';
        context.m_tracestate += field.second.trimmed();
    }
    return context;
}

TraceContext TraceContext::started()
{
    TraceContext context;
    randomId(context.m_traceId);
    context.newSpan();
    return context;
}

TraceContext TraceContext::continued(const Parent &parent)
{
    TraceContext context;
    context.m_traceId = parent.traceId;
    // We send version 00, which defines the sampled flag only.
    context.m_flags = parent.flags & Sampled;
    context.m_continued = true;
    context.newSpan();
    return context;
}

void TraceContext::newSpan()
{
    randomId(m_spanId);
}

std::array<char, TraceContext::TraceparentLength> TraceContext::traceparent() const
{
    std::array<char, TraceparentLength> out;
    char *at = out.data();
    *at++ = '0';
    *at++ = '0';
    *at++ = '-';
    at = std::copy(m_traceId.begin(), m_traceId.end(), at);
    *at++ = '-';
    at = std::copy(m_spanId.begin(), m_spanId.end(), at);
    *at++ = '-';
    *at++ = Hex[m_flags >> 4];
    *at = Hex[m_flags & 0xf];
    return out;
}

} // namespace tollgate::gateway
