#include "app/cli/Commands.h"
#include "app/cli/TextTable.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace tollgate::cli {

namespace {

// --endpoint-limit stt=5/3600, repeatable; "none" alone clears the tier's endpoint limits.
QMap<QString, EndpointLimit> endpointLimitsOption(Context &c)
{
    static const QRegularExpression form(QRegularExpression::anchoredPattern(QStringLiteral("([a-z]+)=([0-9]{1,9})/([0-9]{1,9})")));
    QMap<QString, EndpointLimit> limits;
    for (const QString &value : c.parser.values(QStringLiteral("endpoint-limit"))) {
        if (value.trimmed() == QLatin1String("none"))
            continue;
        const auto match = form.match(value.trimmed());
        if (!match.hasMatch())
            throw UsageError{QStringLiteral("--endpoint-limit: \"%1\" is not GROUP=RATE/SECONDS (e.g. stt=5/3600)").arg(value)};
        const QString group = match.captured(1);
        if (!EndpointGroups::all().contains(group))
            throw UsageError{QStringLiteral("--endpoint-limit: unknown endpoint group \"%1\" (known: %2)")
                                 .arg(group, EndpointGroups::all().join(QStringLiteral(", ")))};
        const EndpointLimit limit{match.captured(2).toInt(), match.captured(3).toInt()};
        if (limit.rate <= 0 || limit.windowSeconds <= 0)
            throw UsageError{QStringLiteral("--endpoint-limit: \"%1\": rate and seconds must be positive").arg(value)};
        if (limits.contains(group))
            throw UsageError{QStringLiteral("--endpoint-limit: %1 is given twice").arg(group)};
        limits.insert(group, limit);
    }
    return limits;
}

QString endpointLimitsText(const Tier &tier)
{
    QStringList parts;
    for (auto it = tier.endpointLimits.cbegin(); it != tier.endpointLimits.cend(); ++it)
        parts.append(QStringLiteral("%1=%2/%3").arg(it.key()).arg(it->rate).arg(it->windowSeconds));
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(','));
}

int list(Context &c)
{
    const QList<Tier> tiers = c.keys.listTiers().result();
    if (c.json) {
        QJsonArray array;
        for (const Tier &tier : tiers)
            array.append(tier.toJson());
        c.printJson(array);
        return 0;
    }
    TextTable table({QStringLiteral("SLUG"), QStringLiteral("NAME"), QStringLiteral("RATE"), QStringLiteral("CREDITS/MONTH"),
                     QStringLiteral("ENDPOINTS"), QStringLiteral("ENDPOINT LIMITS"), QStringLiteral("PRICE")});
    for (const Tier &tier : tiers) {
        table.addRow({tier.slug, tier.name, QStringLiteral("%1/%2s").arg(tier.rateLimit).arg(tier.rateWindowSeconds),
                      QString::number(tier.monthlyCredits), tier.endpoints.join(QLatin1Char(',')), endpointLimitsText(tier),
                      QStringLiteral("%1.%2").arg(tier.priceCents / 100).arg(tier.priceCents % 100, 2, 10, QLatin1Char('0'))});
    }
    table.print(c.out);
    return 0;
}

int set(Context &c)
{
    const QString slug = c.arg(0, "SLUG");
    std::optional<Tier> existing;
    for (const Tier &tier : c.keys.listTiers().result()) {
        if (tier.slug == slug)
            existing = tier;
    }
    Tier tier = existing.value_or(Tier{slug, slug.left(1).toUpper() + slug.mid(1)});
    tier.rateLimit = int(c.number(c.requiredOption("rate"), "--rate", 1));
    tier.monthlyCredits = c.number(c.requiredOption("credits"), "--credits", 0);
    if (c.parser.isSet(QStringLiteral("window")))
        tier.rateWindowSeconds = int(c.number(c.parser.value(QStringLiteral("window")), "--window", 1));
    if (c.parser.isSet(QStringLiteral("endpoints")))
        tier.endpoints = c.listOption("endpoints");
    if (c.parser.isSet(QStringLiteral("price-cents")))
        tier.priceCents = int(c.number(c.parser.value(QStringLiteral("price-cents")), "--price-cents", 0));
    if (c.parser.isSet(QStringLiteral("endpoint-limit")))
        tier.endpointLimits = endpointLimitsOption(c);
    const Tier saved = c.keys.setTier(tier, QStringLiteral("cli")).result();
    if (c.json) {
        c.printJson(saved.toJson());
        return 0;
    }
    c.out << (existing ? "Updated" : "Created") << " tier " << saved.slug << ": " << saved.rateLimit << " requests per "
          << saved.rateWindowSeconds << " s, " << saved.monthlyCredits << " credits a month, endpoints "
          << saved.endpoints.join(QLatin1Char(',')) << ", endpoint limits " << endpointLimitsText(saved) << ".\n";
    return 0;
}

} // namespace

int runTiers(Context &c, const QString &action)
{
    if (action == QLatin1String("list"))
        return list(c);
    if (action == QLatin1String("set"))
        return set(c);
    throw UsageError{QStringLiteral("unknown command \"tiers %1\" (list, set)").arg(action)};
}

} // namespace tollgate::cli
