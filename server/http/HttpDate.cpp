#include "server/http/HttpDate.h"

#include <ctime>

namespace tollgate::http {

namespace {

struct DateCache
{
    time_t second = -1;
    int length = 0;
    char line[64];
};

void put2(char *&p, int v)
{
    *p++ = char('0' + v / 10);
    *p++ = char('0' + v % 10);
}

} // namespace

int HttpDate::format(long long unixSeconds, char *out)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const time_t t = time_t(unixSeconds);
    struct tm tm;
    gmtime_r(&t, &tm);
    char *p = out;
    for (char c : {'D', 'a', 't', 'e', ':', ' '})
        *p++ = c;
    for (int i = 0; i < 3; ++i)
        *p++ = days[tm.tm_wday][i];
    *p++ = ',';
    *p++ = ' ';
    put2(p, tm.tm_mday);
    *p++ = ' ';
    for (int i = 0; i < 3; ++i)
        *p++ = months[tm.tm_mon][i];
    *p++ = ' ';
    const int year = tm.tm_year + 1900;
    put2(p, year / 100);
    put2(p, year % 100);
    *p++ = ' ';
    put2(p, tm.tm_hour);
    *p++ = ':';
    put2(p, tm.tm_min);
    *p++ = ':';
    put2(p, tm.tm_sec);
    for (char c : {' ', 'G', 'M', 'T', '\r', '\n'})
        *p++ = c;
    return int(p - out);
}

QByteArrayView HttpDate::currentHeaderLine()
{
    thread_local DateCache cache;
    const time_t now = time(nullptr);
    if (now != cache.second) {
        cache.length = format(now, cache.line);
        cache.second = now;
    }
    return QByteArrayView(cache.line, cache.length);
}

} // namespace tollgate::http
