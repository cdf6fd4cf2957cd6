#pragma once

#include <QByteArrayView>

namespace tollgate::http {

// The Date header changes once a second but is sent with every response, so each thread formats it
// once per second and reuses it. Formatted by hand: strftime follows LC_TIME, which Qt sets from the
// environment, and a German "So, 06 Nov" would be an invalid HTTP date.
class HttpDate
{
public:
    // "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" for the current second.
    static QByteArrayView currentHeaderLine();
    // The same line for a given Unix time (tests).
    static int format(long long unixSeconds, char *out);
};

} // namespace tollgate::http
