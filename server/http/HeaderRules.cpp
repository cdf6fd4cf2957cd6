#include "server/http/HeaderRules.h"

#include <array>

namespace tollgate::http {

namespace {

using Up = HeaderRules::ToUpstream;
using Down = HeaderRules::ToClient;

// One row per field: to the upstream, to the client. Names in lower case.
constexpr HeaderRules::Rule Rules[] = {
    // Hop-by-hop (RFC 9110 7.6.1, and the RFC 2616 list proxies still honour): about one connection,
    // so never carried across the gateway in either direction. Connection and Transfer-Encoding are
    // then written by whoever writes the next hop's framing.
    {"connection", Up::HopByHop, Down::HopByHop},
    {"keep-alive", Up::HopByHop, Down::HopByHop},
    {"proxy-connection", Up::HopByHop, Down::HopByHop},
    {"te", Up::HopByHop, Down::HopByHop},
    {"trailer", Up::HopByHop, Down::HopByHop},
    {"transfer-encoding", Up::HopByHop, Down::HopByHop},
    {"upgrade", Up::HopByHop, Down::HopByHop},
    {"proxy-authenticate", Up::HopByHop, Down::HopByHop},
    {"proxy-authorization", Up::HopByHop, Down::HopByHop},
    // The length of the body this hop sends: the encoder and the response writer set it.
    {"content-length", Up::Framing, Down::Framing},

    // Credentials the gateway consumed: the upstream trusts the gateway, not the client's secret.
    {"x-api-key", Up::Withhold, Down::Pass},
    {"authorization", Up::Withhold, Down::Pass},
    // Answered by the HTTP front (100 Continue) before the body was read; the upstream gets the body.
    {"expect", Up::Withhold, Down::Pass},
    // Client claims about addresses and the hop the gateway is: every port faces the internet, so
    // nothing a client says about them is passed on as if the gateway had said it (X-Forwarded-For
    // is ours, below).
    {"forwarded", Up::Withhold, Down::Pass},
    {"x-real-ip", Up::Withhold, Down::Pass},
    {"x-forwarded-host", Up::Withhold, Down::Pass},
    {"x-forwarded-proto", Up::Withhold, Down::Pass},

    // The gateway's own: on the way up the identity it vouches for, the upstream's Host, the trace
    // context it continued or started (TraceContext) and the client address it saw.
    {"host", Up::Ours, Down::Pass},
    {"x-user-id", Up::Ours, Down::Pass},
    {"x-user-plan", Up::Ours, Down::Pass},
    {"x-api-key-id", Up::Ours, Down::Pass},
    {"x-forwarded-for", Up::Ours, Down::Pass},
    {"traceparent", Up::Ours, Down::Pass},
    {"tracestate", Up::Ours, Down::Pass},
    // Both ways: the request id the client chose (or one we made) is the one every side sees.
    {"x-request-id", Up::Ours, Down::Ours},

    // On the way down, as nginx does (proxy_hide_header's defaults): the gateway is the server the client
    // talks to and dates its own answers; X-Pad is padding for old browsers.
    {"server", Up::Forward, Down::Ours},
    {"date", Up::Forward, Down::Ours},
    {"x-pad", Up::Forward, Down::Hide},
    // Beyond nginx's defaults: X-Powered-By names the upstream's software as Server does, and an upstream's
    // Alt-Svc advertises the upstream's own alternatives, which the client would try against the gateway.
    {"x-powered-by", Up::Forward, Down::Hide},
    {"alt-svc", Up::Forward, Down::Hide},
    // The contract's limit and credit fields are the gateway's (V1Call): an upstream's own never mix in.
    {"x-ratelimit-limit", Up::Forward, Down::Ours},
    {"x-ratelimit-remaining", Up::Forward, Down::Ours},
    {"x-ratelimit-reset", Up::Forward, Down::Ours},
    {"ratelimit", Up::Forward, Down::Ours},
    {"ratelimit-policy", Up::Forward, Down::Ours},
    {"x-credits-remaining", Up::Forward, Down::Ours},
    {"x-credits-charged", Up::Forward, Down::Ours},
};

// X-Accel-Redirect, X-Accel-Buffering…: instructions to an nginx in front of an upstream. One in front
// of the gateway would obey an upstream's, so none reaches the client (nginx hides them likewise).
constexpr QByteArrayView HiddenPrefix = "x-accel-";

constexpr char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c;
}

// Open-addressed by length and first and last letter: one or two probes per lookup, no hashing of the name.
// Built at compile time: a lookup pays no initialisation guard.
class RuleIndex
{
public:
    constexpr RuleIndex()
    {
        for (const HeaderRules::Rule &rule : Rules) {
            size_t slot = indexOf(rule.name);
            while (m_slots[slot])
                slot = (slot + 1) % Slots;
            m_slots[slot] = &rule;
        }
    }

    const HeaderRules::Rule *find(QByteArrayView name) const
    {
        if (name.isEmpty())
            return nullptr;
        for (size_t slot = indexOf(name); m_slots[slot]; slot = (slot + 1) % Slots) {
            if (HttpHeaders::nameEquals(name, m_slots[slot]->name))
                return m_slots[slot];
        }
        return nullptr;
    }

private:
    static constexpr size_t Slots = 128;
    static_assert(std::size(Rules) < Slots / 2, "keep the index sparse");
    static constexpr size_t indexOf(QByteArrayView name)
    {
        return (size_t(name.size()) * 31 + uchar(lower(name.front())) * 7 + uchar(lower(name.back()))) % Slots;
    }
    std::array<const HeaderRules::Rule *, Slots> m_slots{};
};

constexpr RuleIndex Index;

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

// Calls fn(token) for each comma-separated, trimmed token of a field value, without copying.
template<typename Fn>
bool anyToken(QByteArrayView value, Fn fn)
{
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        QByteArrayView token = comma < 0 ? value : value.first(comma);
        value = comma < 0 ? QByteArrayView() : value.sliced(comma + 1);
        while (!token.isEmpty() && isSpace(token.front()))
            token = token.sliced(1);
        while (!token.isEmpty() && isSpace(token.back()))
            token.chop(1);
        if (!token.isEmpty() && fn(token))
            return true;
    }
    return false;
}

bool isConnectionOption(QByteArrayView token)
{
    return HttpHeaders::nameEquals(token, "close") || HttpHeaders::nameEquals(token, "keep-alive");
}

// Whether any Connection field names a field (a token other than close and keep-alive): nearly never.
bool connectionNamesFields(const HttpHeaders &headers)
{
    for (const auto &field : headers.fields) {
        if (HttpHeaders::nameEquals(field.first, "connection")
            && anyToken(field.second, [](QByteArrayView token) { return !isConnectionOption(token); }))
            return true;
    }
    return false;
}

} // namespace

const HeaderRules::Rule *HeaderRules::find(QByteArrayView name)
{
    return Index.find(name);
}

std::span<const HeaderRules::Rule> HeaderRules::all()
{
    return Rules;
}

HeaderRules::ToUpstream HeaderRules::toUpstream(QByteArrayView name)
{
    const Rule *rule = find(name);
    return rule ? rule->toUpstream : ToUpstream::Forward;
}

HeaderRules::ToClient HeaderRules::toClient(QByteArrayView name)
{
    if (const Rule *rule = find(name))
        return rule->toClient;
    if (name.size() > HiddenPrefix.size() && HttpHeaders::nameEquals(name.first(HiddenPrefix.size()), HiddenPrefix))
        return ToClient::Hide;
    return ToClient::Pass;
}

bool HeaderRules::writerOwnsToClient(QByteArrayView name)
{
    const ToClient rule = toClient(name);
    return rule == ToClient::HopByHop || rule == ToClient::Framing;
}

bool HeaderRules::encoderOwnsToUpstream(QByteArrayView name)
{
    const ToUpstream rule = toUpstream(name);
    return rule == ToUpstream::HopByHop || rule == ToUpstream::Framing;
}

bool HeaderRules::namedInConnection(const HttpHeaders &headers, QByteArrayView name)
{
    if (isConnectionOption(name))
        return false;
    for (const auto &field : headers.fields) {
        if (HttpHeaders::nameEquals(field.first, "connection")
            && anyToken(field.second, [name](QByteArrayView token) { return HttpHeaders::nameEquals(token, name); }))
            return true;
    }
    return false;
}

HttpHeaders HeaderRules::forUpstream(const HttpHeaders &client)
{
    const bool listed = connectionNamesFields(client);
    HttpHeaders out;
    out.fields.reserve(client.fields.size());
    for (const auto &field : client.fields) {
        if (toUpstream(field.first) == ToUpstream::Forward && !(listed && namedInConnection(client, field.first)))
            out.fields.append(field);
    }
    return out;
}

HttpHeaders HeaderRules::forClient(const HttpHeaders &upstream)
{
    const bool listed = connectionNamesFields(upstream);
    const auto passes = [&](const QByteArray &name) {
        return toClient(name) == ToClient::Pass && !(listed && namedInConnection(upstream, name));
    };
    qsizetype first = 0;
    while (first < upstream.fields.size() && passes(upstream.fields.at(first).first))
        ++first;
    if (first == upstream.fields.size())
        return upstream;
    HttpHeaders out;
    out.fields.reserve(upstream.fields.size() - 1);
    out.fields.append(upstream.fields.first(first));
    for (qsizetype i = first + 1; i < upstream.fields.size(); ++i) {
        if (passes(upstream.fields.at(i).first))
            out.fields.append(upstream.fields.at(i));
    }
    return out;
}

} // namespace tollgate::http
