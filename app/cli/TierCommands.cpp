#include "app/cli/Commands.h"
#include "app/cli/TextTable.h"

#include <QJsonArray>

namespace tollgate::cli {

namespace {

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
                     QStringLiteral("ENDPOINTS"), QStringLiteral("PRICE")});
    for (const Tier &tier : tiers) {
        table.addRow({tier.slug, tier.name, QStringLiteral("%1/%2s").arg(tier.rateLimit).arg(tier.rateWindowSeconds),
                      QString::number(tier.monthlyCredits), tier.endpoints.join(QLatin1Char(',')),
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
    const Tier saved = c.keys.setTier(tier, QStringLiteral("cli")).result();
    if (c.json) {
        c.printJson(saved.toJson());
        return 0;
    }
    c.out << (existing ? "Updated" : "Created") << " tier " << saved.slug << ": " << saved.rateLimit << " requests per "
          << saved.rateWindowSeconds << " s, " << saved.monthlyCredits << " credits a month, endpoints "
          << saved.endpoints.join(QLatin1Char(',')) << ".\n";
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
