// What the header rules and the trace context cost a proxied request: nanoseconds per field lookup
// (HeaderRules::toUpstream over a typical client head's names), per forUpstream() and forClient() of a
// typical head, and per TraceContext (started, continued) with its traceparent written:
// bench_headerrules [--rounds N].
#include "server/gateway/TraceContext.h"
#include "server/http/HeaderRules.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace tollgate;

namespace {

http::HttpHeaders clientHead()
{
    http::HttpHeaders h;
    h.add("Host", "api.example.com");
    h.add("User-Agent", "python-requests/2.31.0");
    h.add("Accept-Encoding", "gzip, deflate");
    h.add("Accept", "*/*");
    h.add("Connection", "keep-alive");
    h.add("X-API-Key", "sk_live_0123456789abcdef0123456789abcdef");
    h.add("Content-Type", "application/json");
    h.add("Content-Length", "42");
    h.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    return h;
}

http::HttpHeaders upstreamHead()
{
    http::HttpHeaders h;
    h.add("Server", "uvicorn");
    h.add("Date", "Tue, 01 Dec 2026 17:00:00 GMT");
    h.add("Content-Type", "application/json");
    h.add("Content-Length", "512");
    return h;
}

template<typename Fn>
double nanosPer(qint64 rounds, Fn fn)
{
    QElapsedTimer timer;
    timer.start();
    for (qint64 i = 0; i < rounds; ++i)
        fn();
    return double(timer.nsecsElapsed()) / double(rounds);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("rounds"), QStringLiteral("Repetitions of each measurement."), QStringLiteral("N"),
                      QStringLiteral("2000000")});
    parser.addHelpOption();
    parser.process(app);
    const qint64 rounds = parser.value(QStringLiteral("rounds")).toLongLong();

    const http::HttpHeaders client = clientHead();
    const http::HttpHeaders upstream = upstreamHead();
    volatile int sink = 0;
    const double lookup = nanosPer(rounds, [&] {
        for (const auto &field : client.fields)
            sink = sink + int(http::HeaderRules::toUpstream(field.first));
    }) / double(client.fields.size());
    const double up = nanosPer(rounds, [&] { sink = sink + int(http::HeaderRules::forUpstream(client).fields.size()); });
    const double down = nanosPer(rounds, [&] { sink = sink + int(http::HeaderRules::forClient(upstream).fields.size()); });
    http::HttpHeaders noTrace = client;
    noTrace.remove("traceparent");
    const double started = nanosPer(rounds, [&] {
        sink = sink + gateway::TraceContext::forRequest(noTrace).traceparent()[20];
    });
    const double continued = nanosPer(rounds, [&] {
        sink = sink + gateway::TraceContext::forRequest(client).traceparent()[20];
    });
    std::printf("field lookup      %7.1f ns\n", lookup);
    std::printf("forUpstream (%lld)  %7.1f ns\n", qlonglong(client.fields.size()), up);
    std::printf("forClient (%lld)    %7.1f ns\n", qlonglong(upstream.fields.size()), down);
    std::printf("trace started     %7.1f ns\n", started);
    std::printf("trace continued   %7.1f ns\n", continued);
    return sink == 42 ? 1 : 0;
}
