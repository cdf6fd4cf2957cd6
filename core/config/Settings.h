#pragma once

#include "core/billing/PlanTierMap.h"
#include "core/config/DatabaseUrl.h"
#include "core/config/RedisUrl.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariant>

#include <optional>

class QCommandLineParser;
class QProcessEnvironment;

namespace tollgate {

// Every setting is declared once in Settings::table(), typed, with its default, its environment
// name (the predecessor service's) and its flag. Precedence: flag > environment > --config INI > default.
class Settings
{
public:
    enum class Type { String, Int, Port, Address, DatabaseUrl, UrlList, Url, StringList, Choice, UrlPath, RedisUrl, PlanTiers };
    enum class Profile { Daemon, Console };

    struct Definition
    {
        QString name;          // environment variable and INI key
        Type type;
        QString defaultValue;
        QString help;
        QStringList choices;   // Type::Choice
        int minimum = 0;       // Type::Int
        int maximum = 0;
        QString flag() const;  // "--database-url"
    };

    static const QList<Definition> &table();
    static void addOptions(QCommandLineParser &parser);
    // parser may be null (tests). On a bad value: nullopt, and *error is one line naming the variable.
    static std::optional<Settings> load(const QCommandLineParser *parser, const QProcessEnvironment &env,
                                        Profile profile, QString *error);
    static Settings defaults(Profile profile = Profile::Daemon);

    QVariant value(const QString &name) const { return m_values.value(name); }
    QString source(const QString &name) const { return m_sources.value(name); }  // flag, env, file, default

    int port() const { return value(QStringLiteral("PORT")).toInt(); }
    int opsPort() const { return value(QStringLiteral("OPS_PORT")).toInt(); }  // 0: unset
    QHostAddress listenAddress() const { return QHostAddress(value(QStringLiteral("LISTEN_ADDRESS")).toString()); }
    DatabaseUrl database() const { return m_database; }
    QString rateLimitBackend() const { return value(QStringLiteral("RATE_LIMIT_BACKEND")).toString(); }
    QString redisHost() const { return value(QStringLiteral("REDIS_HOST")).toString(); }
    int redisPort() const { return value(QStringLiteral("REDIS_PORT")).toInt(); }
    QString redisPassword() const { return value(QStringLiteral("REDIS_PASSWORD")).toString(); }
    QString redisPrefix() const { return value(QStringLiteral("REDIS_PREFIX")).toString(); }
    // REDIS_URL when set, else REDIS_HOST/REDIS_PORT/REDIS_PASSWORD.
    RedisUrl redis() const;
    bool redisRefusesWhenDown() const { return value(QStringLiteral("REDIS_FAILURE_MODE")).toString() == QLatin1String("refuse"); }
    QList<QUrl> upstreamUrls(const QString &name) const { return value(name).value<QList<QUrl>>(); }
    QUrl jwksUrl() const;
    QString jwtIssuer() const { return value(QStringLiteral("JWT_ISSUER")).toString(); }
    QString jwtAudience() const { return value(QStringLiteral("JWT_AUDIENCE")).toString(); }
    QStringList adminUserIds() const { return value(QStringLiteral("ADMIN_USER_IDS")).toStringList(); }
    QStringList corsOrigins() const { return value(QStringLiteral("CORS_ORIGINS")).toStringList(); }
    QString liveKeyPrefix() const { return value(QStringLiteral("API_KEY_PREFIX_LIVE")).toString(); }
    QString testKeyPrefix() const { return value(QStringLiteral("API_KEY_PREFIX_TEST")).toString(); }
    QString logFormat() const { return value(QStringLiteral("LOG_FORMAT")).toString(); }
    QString logLevel() const { return value(QStringLiteral("LOG_LEVEL")).toString(); }
    // The billing webhook (POST /webhooks/billing) is on when its secret is set.
    QByteArray billingWebhookSecret() const { return value(QStringLiteral("BILLING_WEBHOOK_SECRET")).toString().toUtf8(); }
    PlanTierMap billingPlanTiers() const { return *PlanTierMap::parse(value(QStringLiteral("BILLING_PLAN_TIERS")).toString()); }
    int intValue(const QString &name) const { return value(name).toInt(); }
    QString configFile() const { return m_configFile; }
    // A [section] of the --config file other than the top level (e.g. [routes]), as written.
    QHash<QString, QString> section(const QString &name) const { return m_sections.value(name); }

private:
    QHash<QString, QVariant> m_values;
    QHash<QString, QString> m_sources;
    DatabaseUrl m_database;
    QString m_configFile;
    QHash<QString, QHash<QString, QString>> m_sections;
};

} // namespace tollgate

Q_DECLARE_METATYPE(QList<QUrl>)
