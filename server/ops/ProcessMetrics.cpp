#include "server/ops/ProcessMetrics.h"

#include "server/ops/MetricsRegistry.h"

#include <QByteArrayList>
#include <QDir>
#include <QFile>

#include <sys/resource.h>
#include <unistd.h>

namespace tollgate::ops {

namespace {

// /proc/self/stat after the command name (which may hold spaces and parentheses): field 3 is the state.
QByteArrayList statFields()
{
    QFile file(QStringLiteral("/proc/self/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = file.readAll();
    return stat.mid(stat.lastIndexOf(')') + 2).split(' ');
}

// Field n of stat(5), counted from 1 as the man page does.
double statField(const QByteArrayList &fields, int n)
{
    return fields.value(n - 3).toDouble();
}

double bootTimeSeconds()
{
    QFile file(QStringLiteral("/proc/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toDouble();
    }
    return 0;
}

} // namespace

void registerProcessMetrics(MetricsRegistry &registry)
{
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    const double pageSize = double(::sysconf(_SC_PAGESIZE));
    registry.counterReading(metric::processCpu, [ticks] {
        const QByteArrayList f = statFields();
        return (statField(f, 14) + statField(f, 15)) / ticks;
    });
    const auto resident = [pageSize] { return statField(statFields(), 24) * pageSize; };
    registry.gauge(metric::processResidentMemory, resident);
    // The same figure under the name the gateway's first dashboards used.
    registry.gauge(metric::tollgateResidentMemory, resident);
    registry.gauge(metric::processVirtualMemory, [] { return statField(statFields(), 23); });
    registry.gauge(metric::processOpenFds, [] {
        return double(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot).size());
    });
    registry.gauge(metric::processMaxFds, [] {
        rlimit limit = {};
        return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? double(limit.rlim_cur) : 0.0;
    });
    const double startTime = bootTimeSeconds() + statField(statFields(), 22) / ticks;
    registry.gauge(metric::processStartTime, [startTime] { return startTime; });
    registry.gauge(metric::buildInfo, [] {
        return MetricsRegistry::GaugeSamples{{{QByteArray(TOLLGATE_VERSION), QByteArray(qVersion())}, 1.0}};
    });
}

} // namespace tollgate::ops
