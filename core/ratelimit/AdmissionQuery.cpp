#include "core/ratelimit/AdmissionQuery.h"

namespace tollgate {

RateQuery admissionQuery(const ApiKey &key, const Tier &tier, const QString &group)
{
    RateQuery query;
    const QByteArray id = key.id.toLatin1();
    query.limits.append({id, QByteArrayLiteral("key"), key.effectiveRateLimit(tier), key.effectiveRateWindowSeconds(tier) * 1000LL});
    if (const auto it = tier.endpointLimits.constFind(group); it != tier.endpointLimits.cend())
        query.limits.append({id + ':' + group.toLatin1(), group.toLatin1(), it->rate, it->windowSeconds * 1000LL});
    return query;
}

} // namespace tollgate
