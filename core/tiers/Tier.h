#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

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

struct Tier
{
    QString slug;
    QString name;
    int rateLimit = 0;
    int rateWindowSeconds = 60;
    qint64 monthlyCredits = 0;
    QStringList endpoints;
    int priceCents = 0;

    bool allowsGroup(const QString &group) const { return endpoints.contains(group); }
    // Empty when valid; otherwise the first problem, naming the field.
    QString validate() const;
    QJsonObject toJson() const;
    bool operator==(const Tier &) const = default;
};

} // namespace tollgate
