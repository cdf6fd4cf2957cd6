// Decisions per second of LocalRateLimiter and RedisRateLimiter (against a redis-server of its own on loopback),
// one event loop each, with a given number of decisions in flight: bench_ratelimiter [--decisions N] [--inflight K]
// [--keys M]. Prints both figures and their ratio.
#include "RedisTestServer.h"
#include "core/ratelimit/LocalRateLimiter.h"
#include "core/ratelimit/RedisRateLimiter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace tollgate;

namespace {

RateQuery queryFor(int i, int keys)
{
    // A key limit and, for every fourth call, an endpoint limit too: the gateway's two shapes.
    const QByteArray key = "bench-" + QByteArray::number(i % keys);
    RateQuery q{{RateLimit{key, "key", 1000000, 60000}}};
    if (i % 4 == 0)
        q.limits.append(RateLimit{key + ":stt", "stt", 1000000, 3600000});
    return q;
}

// Keeps `inflight` decisions outstanding until `total` are answered; returns decisions per second.
double run(RateLimiter &limiter, int total, int inflight, int keys)
{
    int sent = 0;
    int answered = 0;
    QElapsedTimer timer;
    timer.start();
    // A loop, not a callback that sends the next: the local limiter answers inside decide().
    while (answered < total) {
        while (sent < total && sent - answered < inflight)
            limiter.decide(queryFor(sent++, keys), [&answered](const RateVerdict &) { ++answered; });
        if (answered < total)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return total / (timer.nsecsElapsed() / 1e9);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("decisions"), QStringLiteral("decisions per run"), QStringLiteral("N"), QStringLiteral("200000")},
                       {QStringLiteral("inflight"), QStringLiteral("decisions in flight"), QStringLiteral("K"), QStringLiteral("256")},
                       {QStringLiteral("keys"), QStringLiteral("distinct keys"), QStringLiteral("M"), QStringLiteral("1000")}});
    parser.process(app);
    const int total = parser.value(QStringLiteral("decisions")).toInt();
    const int inflight = parser.value(QStringLiteral("inflight")).toInt();
    const int keys = parser.value(QStringLiteral("keys")).toInt();

    LocalRateLimiter local(std::make_shared<SlidingWindowLimiter>(Clock::system()));
    run(local, total / 10, inflight, keys);  // warm up
    const double localRate = run(local, total, inflight, keys);

    tollgate::test::RedisTestServer redis;
    if (!redis.start()) {
        std::fprintf(stderr, "bench_ratelimiter: could not start redis-server\n");
        return 1;
    }
    RedisRateLimiter::Options options;
    options.url = *RedisUrl::parse(redis.url());
    options.timeoutMs = 1000;  // a busy machine must not turn the figure into one of the fallback
    RedisRateLimiter shared(options, Clock::system());
    shared.prepareThread();
    while (!shared.isUp())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    run(shared, total / 10, inflight, keys);
    const double redisRate = run(shared, total, inflight, keys);
    std::printf("decisions: %d, in flight: %d, keys: %d\n", total, inflight, keys);
    std::printf("LocalRateLimiter: %.0f decisions/s\n", localRate);
    std::printf("RedisRateLimiter: %.0f decisions/s (one connection, one event loop)\n", redisRate);
    std::printf("ratio redis/local: %.3f\n", redisRate / localRate);
    // Redis' own share of the time: microseconds per script run, as Redis measured them.
    for (const QByteArray &line : redis.command({"INFO", "commandstats"}).split('\n')) {
        if (line.startsWith("cmdstat_evalsha:")) {
            std::printf("redis %s\n", line.trimmed().constData());
            // usec=… is Redis' total CPU in the scripts; per decision over every run above (warm-up included).
            const qsizetype at = line.indexOf("usec=");
            const double usec = line.mid(at + 5, line.indexOf(',', at) - at - 5).toDouble();
            std::printf("redis CPU per decision: %.2f us\n", usec / (total + total / 10));
        }
    }
    return 0;
}
