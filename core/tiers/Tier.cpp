#include "core/tiers/Tier.h"

#include "core/keys/FieldLimits.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace tollgate {

QString Tier::validate() const
{
    static const QRegularExpression slugPattern(QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9_-]{0,31}")));
    if (!slugPattern.match(slug).hasMatch())
        return QStringLiteral("slug: lower-case letters, digits, '-' or '_', at most 32 characters");
    if (name.trimmed().isEmpty())
        return QStringLiteral("name: must not be empty");
    if (const QString problem = limits::textProblem(u"name", name, limits::MaxNameCharacters); !problem.isEmpty())
        return problem;
    if (rateLimit <= 0)
        return QStringLiteral("rateLimit: must be a positive number");
    if (rateWindowSeconds <= 0)
        return QStringLiteral("rateWindowSeconds: must be a positive number");
    if (monthlyCredits < 0)
        return QStringLiteral("monthlyCredits: must not be negative");
    if (priceCents < 0)
        return QStringLiteral("priceCents: must not be negative");
    if (const QString problem = limits::listProblem(u"endpoints", endpoints.size()); !problem.isEmpty())
        return problem;
    for (const QString &group : endpoints) {
        if (!EndpointGroups::all().contains(group))
            return QStringLiteral("endpoints: unknown endpoint group \"%1\" (known: %2)")
                .arg(group, EndpointGroups::all().join(QStringLiteral(", ")));
    }
    return {};
}

QJsonObject Tier::toJson() const
{
    return QJsonObject{
        {QStringLiteral("slug"), slug},
        {QStringLiteral("name"), name},
        {QStringLiteral("rateLimit"), rateLimit},
        {QStringLiteral("rateWindowSeconds"), rateWindowSeconds},
        {QStringLiteral("monthlyCredits"), monthlyCredits},
        {QStringLiteral("endpoints"), QJsonArray::fromStringList(endpoints)},
        {QStringLiteral("priceCents"), priceCents},
    };
}

} // namespace tollgate
