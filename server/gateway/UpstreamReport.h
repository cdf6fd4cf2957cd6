#pragma once

#include "server/proxy/UpstreamInstanceStates.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace tollgate::gateway {

// What /health, /admin/status and the metrics say about one upstream, read from its instances'
// shared state (probe verdicts, breakers, calls in flight).
struct UpstreamReport
{
    // "up" when an instance takes calls and answered its probe; else "unknown" while an instance
    // has not been probed yet and none is known down for good; else "down".
    QString status;
    qint64 latencyMs = -1;  // the fastest instance that is up
    qint64 checkedAtMs = 0; // wall clock of the newest probe answer; 0: none yet
    QList<proxy::UpstreamInstanceStates::Snapshot> instances;

    static UpstreamReport of(const proxy::UpstreamInstanceStates &states);

    // {"status","latencyMs","instances":[{"url","status","state","breaker","latencyMs","checkedAt"}]};
    // admin adds the summary's checkedAt and, per instance, the probe verdict, consecutive
    // failures and calls in flight. "status" is up/down/unknown (an open breaker is down for
    // traffic); "state" says why: up, down, open, half-open or unknown (not probed yet).
    QJsonObject toJson(bool admin) const;
};

} // namespace tollgate::gateway
