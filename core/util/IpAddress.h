#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace tollgate {

// Strict textual IP addresses: IPv4 only as four decimal octets without leading zeros, IPv6 as Qt reads it.
// QHostAddress::setAddress() alone also takes inet_aton's short and octal forms ("1.2.3" = 1.2.0.3,
// "010.1.2.3" = 8.1.2.3), which would silently allow or bind a different host than the admin meant.
std::optional<QHostAddress> parseIpAddress(const QString &text);

} // namespace tollgate
