#pragma once

#include "server/http/HttpHeaders.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <optional>

namespace tollgate::gateway {

// W3C Trace Context (https://www.w3.org/TR/trace-context/) for one call through the gateway: the trace a
// client's valid `traceparent` names is continued, otherwise one is started; either way the gateway is a
// span of its own, and the upstream gets `traceparent` with the gateway's span id as its parent (and the
// client's `tracestate`, only when its trace was continued). Ids are lower-case hex, held inline: making
// and writing them allocates nothing.
class TraceContext
{
public:
    static constexpr qsizetype TraceIdLength = 32;
    static constexpr qsizetype SpanIdLength = 16;
    static constexpr quint8 Sampled = 0x01;

    // The parent a `traceparent` value names, or nothing when it is not one: version 2 lower-case hex,
    // not ff; a trace id of 32 and a parent id of 16 lower-case hex digits, neither all zeros; 2 hex
    // digits of flags. Version 00 is exactly that; a later version may carry more fields after a '-'
    // (parsed as 00, as the specification asks).
    struct Parent
    {
        std::array<char, TraceIdLength> traceId;
        std::array<char, SpanIdLength> parentId;
        quint8 flags = 0;
    };
    static std::optional<Parent> parse(QByteArrayView traceparent);

    // The client's trace continued (the flags as received, of those version 00 defines: sampled) or a new
    // one started (flags 00: the gateway records nothing to sample); a new span id either way.
    static TraceContext forRequest(const http::HttpHeaders &client);
    static TraceContext started();
    static TraceContext continued(const Parent &parent);

    bool isContinued() const { return m_continued; }
    QByteArrayView traceId() const { return {m_traceId.data(), TraceIdLength}; }
    QByteArrayView spanId() const { return {m_spanId.data(), SpanIdLength}; }
    quint8 flags() const { return m_flags; }
    // "00-<trace id>-<span id>-<flags>": what the upstream gets (inline, no allocation).
    static constexpr qsizetype TraceparentLength = 55;
    std::array<char, TraceparentLength> traceparent() const;
    // The client's tracestate fields, joined; empty when the trace was started here (a tracestate
    // belongs to the trace its traceparent names, RFC-style list members are not checked further).
    const QByteArray &tracestate() const { return m_tracestate; }

private:
    TraceContext() = default;
    void newSpan();

    std::array<char, TraceIdLength> m_traceId{};
    std::array<char, SpanIdLength> m_spanId{};
    quint8 m_flags = 0;
    bool m_continued = false;
    QByteArray m_tracestate;
};

} // namespace tollgate::gateway
