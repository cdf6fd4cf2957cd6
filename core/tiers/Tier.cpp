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
    for (auto it = endpointLimits.cbegin(); it != endpointLimits.cend(); ++it) {
        if (!EndpointGroups::all().contains(it.key()))
            return QStringLiteral("endpointLimits: unknown endpoint group \"%1\" (known: %2)")
                .arg(it.key(), EndpointGroups::all().join(QStringLiteral(", ")));
        if (it->rate <= 0)
            return QStringLiteral("endpointLimits.%1.rate: must be a positive number").arg(it.key());
        if (it->windowSeconds <= 0)
            return QStringLiteral("endpointLimits.%1.windowSeconds: must be a positive number").arg(it.key());
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
        {QStringLiteral("endpointLimits"), endpointLimitsJson()},
    };
}

QJsonObject Tier::endpointLimitsJson() const
{
    QJsonObject out;
    for (auto it = endpointLimits.cbegin(); it != endpointLimits.cend(); ++it)
        out.insert(it.key(), QJsonObject{{QStringLiteral("rate"), it->rate}, {QStringLiteral("windowSeconds"), it->windowSeconds}});
    return out;
}

std::optional<QMap<QString, EndpointLimit>> Tier::endpointLimitsFromJson(const QJsonValue &value, const QString &field,
                                                                          QString *error)
{
    QMap<QString, EndpointLimit> out;
    if (value.isUndefined() || value.isNull())
        return out;
    if (!value.isObject()) {
        *error = field + QStringLiteral(": must be an object of endpoint group → {\"rate\", \"windowSeconds\"}");
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString at = field + QLatin1Char('.') + it.key();
        if (!EndpointGroups::all().contains(it.key())) {
            *error = QStringLiteral("%1: unknown endpoint group (known: %2)").arg(at, EndpointGroups::all().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        if (!it.value().isObject()) {
            *error = at + QStringLiteral(": must be an object {\"rate\", \"windowSeconds\"}");
            return std::nullopt;
        }
        const QJsonObject limit = it.value().toObject();
        for (const QString &key : limit.keys()) {
            if (key != QLatin1String("rate") && key != QLatin1String("windowSeconds")) {
                *error = QStringLiteral("%1.%2: unknown field (allowed: rate, windowSeconds)").arg(at, key);
                return std::nullopt;
            }
        }
        EndpointLimit parsed;
        for (const char *name : {"rate", "windowSeconds"}) {
            const QJsonValue number = limit.value(QLatin1String(name));
            const double d = number.toDouble();
            if (!number.isDouble() || d != double(qint64(d)) || d <= 0 || d > 2147483647) {
                *error = QStringLiteral("%1.%2: must be a positive whole number").arg(at, QLatin1String(name));
                return std::nullopt;
            }
            (qstrcmp(name, "rate") == 0 ? parsed.rate : parsed.windowSeconds) = int(d);
        }
        out.insert(it.key(), parsed);
    }
    return out;
}

} // namespace tollgate
