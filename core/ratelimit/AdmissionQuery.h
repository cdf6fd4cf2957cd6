#pragma once

#include "core/keys/ApiKey.h"
#include "core/ratelimit/RateLimiter.h"
#include "core/tiers/Tier.h"

namespace tollgate {

// The limits that apply to one call of `key` on endpoint group `group`, for one all-or-nothing decision:
// the key's own (its tier's, or its override), then the tier's limit for that group, if it has one.
// Subjects are per key (`<keyId>`, `<keyId>:<group>`), so no two keys share a window.
RateQuery admissionQuery(const ApiKey &key, const Tier &tier, const QString &group);

} // namespace tollgate
