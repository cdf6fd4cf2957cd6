#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace tollgate {

// The endpoint groups a tier (or a key) may be allowed: the first path segment after /v1/.
namespace EndpointGroups {
inline const QStringList &all()
{
    static const QStringList groups{QStringLiteral("search"), QStringLiteral("extract"),
                                    QStringLiteral("stt"), QStringLiteral("tts")};
    return groups;
}
// "extract/bulk" → "extract", "search/engines" → "search".
inline QString ofEndpoint(const QString &endpoint) { return endpoint.section(QLatin1Char('/'), 0, 0); }
} // namespace EndpointGroups

// A tier's own limit on one endpoint group, on top of its rate limit (e.g. stt: 5 per 3600 s).
struct EndpointLimit
{
    int rate = 0;
    int windowSeconds = 0;
    bool operator==(const EndpointLimit &) const = default;
};

struct Tier
{
    QString slug;
    QString name;
    int rateLimit = 0;
    int rateWindowSeconds = 60;
    qint64 monthlyCredits = 0;
    QStringList endpoints;
    int priceCents = 0;
    QMap<QString, EndpointLimit> endpointLimits;  // by endpoint group

    bool allowsGroup(const QString &group) const { return endpoints.contains(group); }
    // Empty when valid; otherwise the first problem, naming the field.
    QString validate() const;
    QJsonObject toJson() const;
    // {"stt": {"rate": 5, "windowSeconds": 3600}}: the form in toJson(), the admin API and the database.
    QJsonObject endpointLimitsJson() const;
    // Reads that form; on a bad one, *error names the field under `field` ("endpointLimits.stt.rate: …").
    static std::optional<QMap<QString, EndpointLimit>> endpointLimitsFromJson(const QJsonValue &value, const QString &field,
                                                                             QString *error);
    bool operator==(const Tier &) const = default;
};

} // namespace tollgate
