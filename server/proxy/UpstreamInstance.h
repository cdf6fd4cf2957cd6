#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QUrl>

#include <vector>

namespace tollgate::proxy {

class UpstreamConnection;

// One upstream address of a pool and what the pool keeps for it.
struct UpstreamInstance
{
    QUrl url;
    QString host;
    quint16 port = 0;
    QString peer;           // "host:port", for messages
    QByteArray hostHeader;  // Host field value: host, bracketed if IPv6, and port unless 80
    QString rejectReason;   // set when the URL cannot be used (https, bad URL): never chosen
    // Where to connect: an IP literal's address from the start, a name's once looked up (and again
    // after the instance was marked down: it may have moved). The last one that worked comes first.
    QList<QHostAddress> addresses;
    bool literal = false;   // host is an IP address: nothing to look up, ever
    bool resolving = false; // a lookup is running; awaitingAddresses get its result
    std::vector<UpstreamConnection *> awaitingAddresses;
    // Idle keep-alive connections, LIFO: back() is the most recently used, so the hot few stay
    // warm and the rest age out at the front.
    std::vector<UpstreamConnection *> idle;
    // Breaker, probe verdict, calls in flight: shared by every thread, in UpstreamInstanceStates.
};

} // namespace tollgate::proxy
