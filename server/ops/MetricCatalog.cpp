#include "server/ops/MetricCatalog.h"

namespace tollgate::ops {

QByteArrayList MetricFamily::labelNames() const
{
    QByteArrayList names;
    for (const QByteArray &name : QByteArray(labels).split(','))
        if (!name.isEmpty())
            names.append(name);
    return names;
}

std::span<const MetricFamily *const> metricCatalog()
{
    return metric::all;
}

} // namespace tollgate::ops
