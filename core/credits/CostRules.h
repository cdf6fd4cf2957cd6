#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringView>

namespace tollgate {

enum class CostKind {
    Free,                   // 0
    Fixed,                  // credits per call
    PerItem,                // credits per element of the array `field`, 1..maxItems elements
    PerStartedBlockOfChars, // credits per started unitSize code points of the string `field`
    PerStartedMinute,       // credits per started unitSize seconds; known only after the call
};

struct CostRule
{
    QString endpoint;          // path after /v1/, e.g. "extract/bulk"
    CostKind kind = CostKind::Free;
    qint64 credits = 0;        // per unit
    qint64 unitSize = 1;       // chars per block, seconds per minute...
    int maxItems = 0;          // PerItem: upper bound (0 = unbounded)
    QString field;             // JSON field the rule reads: urls, text
};

struct CostEstimate
{
    bool ok = true;
    qint64 credits = 0;
    QString error;             // for HTTP 400 INVALID_REQUEST, names the field: "urls: at most 20 URLs per request"
};

class CostRules
{
public:
    static CostRules defaults();

    // Overrides one endpoint (config file later).
    void setRule(const CostRule &rule);
    // nullptr → free. The pointer is valid until the next setRule().
    const CostRule *rule(const QString &endpoint) const;

    // Cost known before the upstream call, from the request body (may be empty for GET).
    // PerStartedMinute reserves one unit, settled later with forDuration().
    CostEstimate upfront(const QString &endpoint, const QJsonObject &body) const;
    // The least any valid call of the endpoint costs, known before its body is read: a key whose balance is
    // below it is refused unread. (An empty TTS text costs nothing, one bulk URL costs one credit.)
    qint64 least(const QString &endpoint) const;
    // Actual cost of a PerStartedMinute endpoint from audio seconds; 0 for any other kind.
    qint64 forDuration(const QString &endpoint, double seconds) const;

    // Unicode code points: a surrogate pair (an emoji) is one character.
    static qint64 codePointCount(QStringView text);

private:
    QHash<QString, CostRule> m_rules;
};

} // namespace tollgate
