#include "server/http/HttpHostField.h"

#include <QByteArray>

#include <arpa/inet.h>
#include <cstring>

namespace tollgate::http {

namespace {

bool isUnreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
}

bool isSubDelim(unsigned char c)
{
    switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case ';': case '=':
        return true;
    default:
        return false;
    }
}

bool isHex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// reg-name = *( unreserved / pct-encoded / sub-delims ); an IPv4address is one as well.
bool isRegName(QByteArrayView name)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c == '%') {
            if (i + 2 >= name.size() || !isHex(static_cast<unsigned char>(name[i + 1]))
                || !isHex(static_cast<unsigned char>(name[i + 2])))
                return false;
            i += 2;
        } else if (!isUnreserved(c) && !isSubDelim(c)) {
            return false;
        }
    }
    return true;
}

// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
bool isIpvFuture(QByteArrayView text)
{
    if (text.size() < 4 || (text[0] != 'v' && text[0] != 'V'))
        return false;
    qsizetype i = 1;
    while (i < text.size() && isHex(static_cast<unsigned char>(text[i])))
        ++i;
    if (i == 1 || i >= text.size() || text[i] != '.' || i + 1 == text.size())
        return false;
    for (++i; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!isUnreserved(c) && !isSubDelim(c) && c != ':')
            return false;
    }
    return true;
}

bool isIpLiteral(QByteArrayView inner)
{
    if (isIpvFuture(inner))
        return true;
    // RFC 3986 has no zone identifiers ("%25eth0", RFC 6874 is for URIs a browser shows, not Host);
    // inet_pton refuses them as well.
    if (inner.isEmpty() || inner.size() > 45)
        return false;
    char text[46];
    std::memcpy(text, inner.data(), size_t(inner.size()));
    text[inner.size()] = '\0';
    unsigned char address[16];
    return ::inet_pton(AF_INET6, text, address) == 1;
}

} // namespace

bool HttpHostField::isValid(QByteArrayView value)
{
    QByteArrayView host = value;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0 || !isIpLiteral(host.sliced(1, close - 1)))
            return false;
        value = host.sliced(close + 1);
    } else {
        const qsizetype colon = host.indexOf(':');
        if (colon >= 0) {
            host = value.first(colon);
            value = value.sliced(colon);
        } else {
            value = {};
        }
        if (!isRegName(host))
            return false;
    }
    if (value.isEmpty())
        return true;
    // ":" port, port = *DIGIT
    if (value[0] != ':')
        return false;
    for (char c : value.sliced(1)) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

} // namespace tollgate::http
