#pragma once

#include <QHostAddress>

#include <sys/socket.h>

namespace tollgate::http {

// QHostAddress to and from the kernel's sockaddr, for the front's listener and the proxy's upstream
// connections, which both drive raw descriptors.
class SocketAddress
{
public:
    // IPv4 or IPv6 (with its scope, by interface name or number); false for anything else.
    static bool toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage *storage, socklen_t *length);
    // An IPv4 peer of a dual-stack socket (::ffff:a.b.c.d) comes back as IPv4: allow-lists and per-IP
    // limits see the address the client has. Null for other families.
    static QHostAddress fromSockaddr(const sockaddr_storage &storage, quint16 *port);
};

} // namespace tollgate::http
