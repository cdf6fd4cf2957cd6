#pragma once

#include <QByteArrayView>

namespace tollgate::http {

// The Host field value (RFC 9112 §3.2): uri-host [ ":" port ], with uri-host an IP-literal ("[" IPv6 or
// IPvFuture "]"), an IPv4 address or a reg-name as RFC 3986 §3.2.2 writes them, and port = *DIGIT.
// reg-name may be empty by that grammar; whether an empty Host is acceptable depends on the request
// (HttpRequestParser decides), so isValid() says only whether the value has the grammar's shape.
class HttpHostField
{
public:
    static bool isValid(QByteArrayView value);
};

} // namespace tollgate::http
