#pragma once

#include "HttpTestClient.h"

#include <QByteArray>
#include <QList>
#include <QPair>

namespace tollgate::test {

// One request on its own connection with plain blocking sockets, callable from any thread (load generators on
// std::thread have no event loop). status 0: no whole answer came (connect refused, cut, timed out).
HttpTestResponse blockingRequest(quint16 port, const QByteArray &method, const QByteArray &target,
                                 const QList<QPair<QByteArray, QByteArray>> &headers = {}, const QByteArray &body = {},
                                 int timeoutMs = 5000);

} // namespace tollgate::test
