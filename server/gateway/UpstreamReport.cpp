#include "server/gateway/UpstreamReport.h"

#include "core/keys/ApiKey.h"
#include "server/proxy/UpstreamClock.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>

namespace tollgate::gateway {

namespace {

using Snapshot = proxy::UpstreamInstanceStates::Snapshot;
using Probe = proxy::UpstreamInstanceStates::Probe;

QJsonValue timeOf(qint64 wallClockMs)
{
    return wallClockMs > 0 ? QJsonValue(toIsoUtc(QDateTime::fromMSecsSinceEpoch(wallClockMs, QTimeZone::utc())))
                           : QJsonValue();
}

QJsonValue latencyOf(qint64 ms)
{
    return ms >= 0 ? QJsonValue(ms) : QJsonValue();
}

QString probeName(Probe probe)
{
    switch (probe) {
    case Probe::Up:
        return QStringLiteral("up");
    case Probe::Down:
        return QStringLiteral("down");
    case Probe::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace

UpstreamReport UpstreamReport::of(const proxy::UpstreamInstanceStates &states)
{
    UpstreamReport report;
    report.instances = states.snapshots(proxy::upstreamNowMs());
    bool anyUp = false;
    bool anyUnknown = false;
    for (const Snapshot &instance : std::as_const(report.instances)) {
        report.checkedAtMs = qMax(report.checkedAtMs, instance.checkedAtMs);
        const QString status = instance.status();
        if (status == QLatin1String("up")) {
            anyUp = true;
            if (report.latencyMs < 0 || (instance.latencyMs >= 0 && instance.latencyMs < report.latencyMs))
                report.latencyMs = instance.latencyMs;
        } else if (status == QLatin1String("unknown")) {
            anyUnknown = true;
        }
    }
    report.status = anyUp ? QStringLiteral("up") : anyUnknown ? QStringLiteral("unknown") : QStringLiteral("down");
    return report;
}

QJsonObject UpstreamReport::toJson(bool admin) const
{
    QJsonArray list;
    for (const Snapshot &instance : instances) {
        QJsonObject entry{
            {QStringLiteral("url"), instance.url.toString()},
            {QStringLiteral("status"), instance.status()},
            {QStringLiteral("state"), instance.state()},
            {QStringLiteral("breaker"), QString(proxy::UpstreamInstanceStates::breakerName(instance.breaker))},
            // The probe's round trip, while it answers.
            {QStringLiteral("latencyMs"), latencyOf(instance.probe == Probe::Up ? instance.latencyMs : -1)},
            {QStringLiteral("checkedAt"), timeOf(instance.checkedAtMs)},
        };
        if (admin) {
            entry.insert(QStringLiteral("probe"), probeName(instance.probe));
            entry.insert(QStringLiteral("consecutiveFailures"), instance.consecutiveFailures);
            entry.insert(QStringLiteral("inFlight"), instance.inFlight);
        }
        list.append(entry);
    }
    QJsonObject out{{QStringLiteral("status"), status},
                    {QStringLiteral("latencyMs"), latencyOf(latencyMs)},
                    {QStringLiteral("instances"), list}};
    if (admin)
        out.insert(QStringLiteral("checkedAt"), timeOf(checkedAtMs));
    return out;
}

} // namespace tollgate::gateway
