#include "core/credits/CostRules.h"

#include <QJsonArray>
#include <QJsonValue>

#include <cmath>
#include <limits>

namespace tollgate {

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();

// Saturating, so a hostile body or a misconfigured rule cannot wrap into a negative cost.
qint64 times(qint64 units, qint64 credits)
{
    if (units <= 0 || credits <= 0)
        return 0;
    return units > kMax / credits ? kMax : units * credits;
}

CostEstimate invalid(QString error)
{
    return CostEstimate{false, 0, std::move(error)};
}

CostEstimate perItem(const CostRule &r, const QJsonObject &body)
{
    const QJsonValue v = body.value(r.field);
    if (v.isUndefined() || v.isNull())
        return invalid(QStringLiteral("%1: required, a non-empty array").arg(r.field));
    if (!v.isArray())
        return invalid(QStringLiteral("%1: must be an array").arg(r.field));
    const qsizetype n = v.toArray().size();
    if (n == 0)
        return invalid(QStringLiteral("%1: must contain at least one item").arg(r.field));
    if (r.maxItems > 0 && n > r.maxItems) {
        // "urls: at most 20 URLs per request"; other fields get a neutral noun.
        const QString noun = r.field == QLatin1String("urls") ? QStringLiteral("URLs") : QStringLiteral("items");
        return invalid(QStringLiteral("%1: at most %2 %3 per request").arg(r.field).arg(r.maxItems).arg(noun));
    }
    return CostEstimate{true, times(n, r.credits), {}};
}

CostEstimate perChars(const CostRule &r, const QJsonObject &body)
{
    const QJsonValue v = body.value(r.field);
    if (!v.isString())
        return invalid(QStringLiteral("%1: required, a string").arg(r.field));
    const qint64 unit = qMax<qint64>(1, r.unitSize);
    const qint64 chars = CostRules::codePointCount(v.toString());
    return CostEstimate{true, times((chars + unit - 1) / unit, r.credits), {}};
}

} // namespace

qint64 CostRules::least(const QString &endpoint) const
{
    const CostRule *r = rule(endpoint);
    if (!r)
        return 0;
    switch (r->kind) {
    case CostKind::Free:
    case CostKind::PerStartedBlockOfChars:
        return 0;
    case CostKind::Fixed:
    case CostKind::PerItem:
    case CostKind::PerStartedMinute:
        return times(1, r->credits);
    }
    return 0;
}

CostRules CostRules::defaults()
{
    CostRules rules;
    rules.setRule({QStringLiteral("search"), CostKind::Fixed, 1, 1, 0, {}});
    rules.setRule({QStringLiteral("extract"), CostKind::Fixed, 1, 1, 0, {}});
    rules.setRule({QStringLiteral("extract/bulk"), CostKind::PerItem, 1, 1, 20, QStringLiteral("urls")});
    rules.setRule({QStringLiteral("tts/synthesize"), CostKind::PerStartedBlockOfChars, 1, 1000, 0, QStringLiteral("text")});
    rules.setRule({QStringLiteral("stt/transcribe"), CostKind::PerStartedMinute, 10, 60, 0, {}});
    // Everything else (search/engines, stt/models, tts/voices, ...) has no rule and is free.
    return rules;
}

void CostRules::setRule(const CostRule &rule)
{
    m_rules.insert(rule.endpoint, rule);
}

const CostRule *CostRules::rule(const QString &endpoint) const
{
    const auto it = m_rules.constFind(endpoint);
    return it == m_rules.cend() ? nullptr : &it.value();
}

CostEstimate CostRules::upfront(const QString &endpoint, const QJsonObject &body) const
{
    const CostRule *r = rule(endpoint);
    if (!r)
        return {};
    switch (r->kind) {
    case CostKind::Free:
        return {};
    case CostKind::Fixed:
        return CostEstimate{true, qMax<qint64>(0, r->credits), {}};
    case CostKind::PerItem:
        return perItem(*r, body);
    case CostKind::PerStartedBlockOfChars:
        return perChars(*r, body);
    case CostKind::PerStartedMinute:
        // The duration is only known afterwards: hold one unit, settle the rest.
        return CostEstimate{true, times(1, r->credits), {}};
    }
    return {};
}

qint64 CostRules::forDuration(const QString &endpoint, double seconds) const
{
    const CostRule *r = rule(endpoint);
    if (!r || r->kind != CostKind::PerStartedMinute || !(seconds > 0)) // !(>) also rejects NaN
        return 0;
    const double blocks = std::ceil(seconds / double(qMax<qint64>(1, r->unitSize)));
    if (blocks >= double(kMax))
        return times(kMax, r->credits);
    return times(qint64(blocks), r->credits);
}

qint64 CostRules::codePointCount(QStringView text)
{
    qint64 count = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i, ++count) {
        // A lone surrogate still counts as one character: it was sent, so it is billed.
        if (text[i].isHighSurrogate() && i + 1 < n && text[i + 1].isLowSurrogate())
            ++i;
    }
    return count;
}

} // namespace tollgate
