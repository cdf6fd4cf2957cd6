#include "core/config/Settings.h"

#include "core/util/IpAddress.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace tollgate {

using Type = Settings::Type;

const QList<Settings::Definition> &Settings::table()
{
    static const QList<Definition> definitions{
        {QStringLiteral("PORT"), Type::Port, QStringLiteral("3030"), QStringLiteral("listen port")},
        {QStringLiteral("OPS_PORT"), Type::Port, QString(), QStringLiteral("when set, /metrics and /health* are served only on this port (on LISTEN_ADDRESS)")},
        {QStringLiteral("LISTEN_ADDRESS"), Type::Address, QStringLiteral("0.0.0.0"), QStringLiteral("listen address (tollgate: 127.0.0.1)")},
        {QStringLiteral("DATABASE_URL"), Type::DatabaseUrl, QString(), QStringLiteral("postgresql://user:pass@host:port/db or sqlite:/path/file.db")},
        {QStringLiteral("RATE_LIMIT_BACKEND"), Type::Choice, QStringLiteral("local"), QStringLiteral("local or redis"), {QStringLiteral("local"), QStringLiteral("redis")}},
        {QStringLiteral("REDIS_HOST"), Type::String, QStringLiteral("localhost"), QStringLiteral("Redis host")},
        {QStringLiteral("REDIS_PORT"), Type::Port, QStringLiteral("6379"), QStringLiteral("Redis port")},
        {QStringLiteral("REDIS_PASSWORD"), Type::String, QString(), QStringLiteral("Redis password")},
        {QStringLiteral("REDIS_PREFIX"), Type::String, QStringLiteral("tollgate:"), QStringLiteral("Redis key prefix")},
        {QStringLiteral("REDIS_URL"), Type::RedisUrl, QString(), QStringLiteral("redis://[:password@]host:port[/db], instead of the REDIS_* parts")},
        {QStringLiteral("REDIS_FAILURE_MODE"), Type::Choice, QStringLiteral("local"), QStringLiteral("Redis unreachable: local (limit / live instances) or refuse (503)"), {QStringLiteral("local"), QStringLiteral("refuse")}},
        {QStringLiteral("REDIS_TIMEOUT_MS"), Type::Int, QStringLiteral("100"), QStringLiteral("longest wait for one rate-limit decision from Redis"), {}, 5, 10000},
        {QStringLiteral("SEARCH_SERVICE_URL"), Type::UrlList, QStringLiteral("localhost:3021"), QStringLiteral("search/extract upstream(s), comma-separated")},
        {QStringLiteral("STT_SERVICE_URL"), Type::UrlList, QStringLiteral("localhost:3020"), QStringLiteral("speech-to-text upstream(s)")},
        {QStringLiteral("TTS_SERVICE_URL"), Type::UrlList, QStringLiteral("localhost:3022"), QStringLiteral("text-to-speech upstream(s)")},
        {QStringLiteral("MANA_CORE_AUTH_URL"), Type::Url, QString(), QStringLiteral("auth service; JWKS at {url}/api/v1/auth/jwks")},
        {QStringLiteral("JWKS_URL"), Type::Url, QString(), QStringLiteral("explicit JWKS URL")},
        {QStringLiteral("JWT_ISSUER"), Type::String, QString(), QStringLiteral("required JWT iss, when set")},
        {QStringLiteral("JWT_AUDIENCE"), Type::String, QString(), QStringLiteral("required JWT aud, when set")},
        {QStringLiteral("ADMIN_USER_IDS"), Type::StringList, QString(), QStringLiteral("JWT subjects with admin rights")},
        {QStringLiteral("CORS_ORIGINS"), Type::StringList, QString(), QStringLiteral("allowed CORS origins")},
        {QStringLiteral("API_KEY_PREFIX_LIVE"), Type::String, QStringLiteral("sk_live_"), QStringLiteral("prefix of live keys")},
        {QStringLiteral("API_KEY_PREFIX_TEST"), Type::String, QStringLiteral("sk_test_"), QStringLiteral("prefix of test keys")},
        {QStringLiteral("LOG_FORMAT"), Type::Choice, QStringLiteral("json"), QStringLiteral("json or text"), {QStringLiteral("json"), QStringLiteral("text")}},
        {QStringLiteral("LOG_LEVEL"), Type::Choice, QStringLiteral("info"), QStringLiteral("debug (or trace), info, warning (or warn) or error, any case"),
         {QStringLiteral("debug|trace"), QStringLiteral("info"), QStringLiteral("warning|warn"), QStringLiteral("error")}},
        {QStringLiteral("USAGE_FLUSH_INTERVAL_MS"), Type::Int, QStringLiteral("1000"), QStringLiteral("write-behind interval for usage and credits"), {}, 50, 60000},
        {QStringLiteral("USAGE_MAX_PENDING"), Type::Int, QStringLiteral("1000000"), QStringLiteral("usage aggregates kept while the database is away"), {}, 1000, 100000000},
        {QStringLiteral("CHANGE_FEED_POLL_MS"), Type::Int, QStringLiteral("1000"), QStringLiteral("how often key and tier changes are picked up"), {}, 50, 60000},
        {QStringLiteral("CHANGE_FEED_LISTEN"), Type::Choice, QStringLiteral("on"), QStringLiteral("PostgreSQL: apply changes announced by LISTEN/NOTIFY at once (the poll stays as fallback): on or off"), {QStringLiteral("on"), QStringLiteral("off")}},
        {QStringLiteral("CREDIT_LEASE_BLOCK"), Type::Int, QStringLiteral("100"), QStringLiteral("most credits an instance leases from a key's shared balance at once"), {}, 1, 1000000000},
        {QStringLiteral("CREDIT_LEASE_TTL_MS"), Type::Int, QStringLiteral("30000"), QStringLiteral("a dead instance's credit leases return after this"), {}, 1000, 3600000},
        {QStringLiteral("CREDIT_LEASE_IDLE_MS"), Type::Int, QStringLiteral("1000"), QStringLiteral("unused leased credits of a key idle this long go back to the shared balance"), {}, 50, 60000},
        {QStringLiteral("KEY_NEGATIVE_CACHE_SECONDS"), Type::Int, QStringLiteral("5"), QStringLiteral("how long an unknown key is remembered as unknown"), {}, 0, 3600},
        {QStringLiteral("AUTH_FAILURE_LIMIT"), Type::Int, QStringLiteral("20"), QStringLiteral("failed authentications per client IP and window"), {}, 1, 1000000},
        {QStringLiteral("AUTH_FAILURE_WINDOW_SECONDS"), Type::Int, QStringLiteral("60"), QStringLiteral("window of AUTH_FAILURE_LIMIT"), {}, 1, 86400},
        {QStringLiteral("HTTP_THREADS"), Type::Int, QStringLiteral("0"), QStringLiteral("event-loop threads sharing the port (0 = one per core)"), {}, 0, 256},
        {QStringLiteral("HTTP_LISTEN_BACKLOG"), Type::Int, QStringLiteral("1024"), QStringLiteral("listen backlog of each listening socket"), {}, 1, 65535},
        {QStringLiteral("HTTP_MAX_HEADER_BYTES"), Type::Int, QStringLiteral("16384"), QStringLiteral("request line + headers limit (431 above)"), {}, 1024, 1048576},
        {QStringLiteral("HTTP_MAX_HEADER_FIELDS"), Type::Int, QStringLiteral("100"), QStringLiteral("header field count limit (431 above)"), {}, 1, 10000},
        {QStringLiteral("HTTP_HEADER_TIMEOUT_MS"), Type::Int, QStringLiteral("10000"), QStringLiteral("time allowed for a request's headers"), {}, 100, 600000},
        {QStringLiteral("HTTP_BODY_TIMEOUT_MS"), Type::Int, QStringLiteral("30000"), QStringLiteral("longest stall allowed inside a body"), {}, 100, 600000},
        {QStringLiteral("HTTP_BODY_MIN_RATE"), Type::Int, QStringLiteral("1024"), QStringLiteral("bytes per second a body must keep up on average: each adds 1/N s to HTTP_BODY_TIMEOUT_MS"), {}, 1, 1073741824},
        {QStringLiteral("MAX_KEYS_PER_USER"), Type::Int, QStringLiteral("100"), QStringLiteral("active keys a user may create for itself through /api-keys"), {}, 1, 1000000},
        {QStringLiteral("HTTP_IDLE_TIMEOUT_MS"), Type::Int, QStringLiteral("60000"), QStringLiteral("idle keep-alive connections are closed after this"), {}, 100, 3600000},
        {QStringLiteral("UPSTREAM_KEEPALIVE"), Type::Int, QStringLiteral("512"), QStringLiteral("idle keep-alive connections kept per upstream instance and event-loop thread"), {}, 0, 65536},
        {QStringLiteral("UPSTREAM_CONNECT_TIMEOUT_MS"), Type::Int, QStringLiteral("2000"), QStringLiteral("upstream connect timeout"), {}, 10, 60000},
        {QStringLiteral("UPSTREAM_TIMEOUT_MS"), Type::Int, QStringLiteral("60000"), QStringLiteral("upstream total timeout"), {}, 10, 3600000},
        {QStringLiteral("STT_UPSTREAM_TIMEOUT_MS"), Type::Int, QStringLiteral("300000"), QStringLiteral("speech-to-text total timeout"), {}, 10, 3600000},
        {QStringLiteral("UPSTREAM_HEALTH_PATH"), Type::UrlPath, QStringLiteral("/health"), QStringLiteral("path (and query) every upstream instance is probed on; a 5xx or no answer is down")},
        {QStringLiteral("UPSTREAM_HEALTH_INTERVAL_MS"), Type::Int, QStringLiteral("5000"), QStringLiteral("time between health probes of each upstream instance"), {}, 50, 3600000},
        {QStringLiteral("UPSTREAM_FAILURES_TO_OPEN"), Type::Int, QStringLiteral("5"), QStringLiteral("consecutive failures of an upstream instance that open its circuit breaker"), {}, 1, 1000000},
        {QStringLiteral("UPSTREAM_OPEN_MS"), Type::Int, QStringLiteral("10000"), QStringLiteral("open breaker: time before one half-open trial call"), {}, 50, 3600000},
        {QStringLiteral("WEBHOOK_URL"), Type::Url, QString(), QStringLiteral("where events (key.created, credits.threshold, …) are POSTed")},
        {QStringLiteral("WEBHOOK_SECRET"), Type::String, QString(), QStringLiteral("HMAC-SHA256 key of the Tollgate-Signature header of webhooks")},
        {QStringLiteral("WEBHOOK_RETRY_BASE_MS"), Type::Int, QStringLiteral("1000"), QStringLiteral("first retry of a failed event delivery; doubles up to 10 minutes"), {}, 10, 600000},
        {QStringLiteral("EVENT_STREAM_MAXLEN"), Type::Int, QStringLiteral("10000"), QStringLiteral("about how many events the Redis stream <REDIS_PREFIX>events keeps"), {}, 1, 100000000},
        {QStringLiteral("BILLING_WEBHOOK_SECRET"), Type::String, QString(), QStringLiteral("signing secret (whsec_...) of the billing webhook POST /webhooks/billing; unset: the route is off")},
        {QStringLiteral("BILLING_PLAN_TIERS"), Type::PlanTiers, QString(), QStringLiteral("price_or_plan_id:tier,... : the tier each billing price or plan id buys")},
        {QStringLiteral("ACCESS_LOG"), Type::Choice, QStringLiteral("on"), QStringLiteral("one log line per request: on or off"), {QStringLiteral("on"), QStringLiteral("off")}},
    };
    return definitions;
}

QString Settings::Definition::flag() const
{
    return name.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
}

void Settings::addOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("config"), QStringLiteral("INI file with settings (flags and environment win)"), QStringLiteral("FILE")});
    for (const Definition &def : table())
        parser.addOption({def.flag(), QStringLiteral("%1 (%2)").arg(def.help, def.name), QStringLiteral("VALUE")});
}

namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    }
    return out;
}

std::optional<QUrl> parseServiceUrl(QString text)
{
    if (!text.contains(QLatin1String("://")))
        text.prepend(QLatin1String("http://"));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return std::nullopt;
    return url;
}

// Converts the text of one setting to its typed value, or names what is wrong with it.
std::optional<QVariant> convert(const Settings::Definition &def, const QString &text, QString *why)
{
    switch (def.type) {
    case Type::String:
        return QVariant(text);
    case Type::Int:
    case Type::Port: {
        // A port without a default (OPS_PORT) may stay unset: 0.
        if (def.type == Type::Port && def.defaultValue.isEmpty() && text.trimmed().isEmpty())
            return QVariant(0);
        bool ok = false;
        const int value = text.trimmed().toInt(&ok);
        const int lo = def.type == Type::Port ? 1 : def.minimum;
        const int hi = def.type == Type::Port ? 65535 : def.maximum;
        if (!ok || value < lo || value > hi) {
            *why = def.type == Type::Port ? QStringLiteral("not a port (1-65535)")
                                          : QStringLiteral("not a number in %1-%2").arg(lo).arg(hi);
            return std::nullopt;
        }
        return QVariant(value);
    }
    case Type::Address: {
        const auto address = parseIpAddress(text);
        if (!address) {
            *why = QStringLiteral("not an IP address");
            return std::nullopt;
        }
        return QVariant(address->toString());
    }
    case Type::DatabaseUrl: {
        if (!DatabaseUrl::parse(text, why))
            return std::nullopt;
        return QVariant(text);
    }
    case Type::Url: {
        if (text.isEmpty())
            return QVariant(QUrl());
        const auto url = parseServiceUrl(text);
        if (!url) {
            *why = QStringLiteral("not an http(s) URL");
            return std::nullopt;
        }
        return QVariant(*url);
    }
    case Type::UrlList: {
        QList<QUrl> urls;
        for (const QString &part : splitList(text)) {
            const auto url = parseServiceUrl(part);
            if (!url) {
                *why = QStringLiteral("\"%1\" is not an http(s) URL").arg(part);
                return std::nullopt;
            }
            urls.append(*url);
        }
        if (urls.isEmpty()) {
            *why = QStringLiteral("needs at least one URL");
            return std::nullopt;
        }
        return QVariant::fromValue(urls);
    }
    case Type::StringList:
        return QVariant(splitList(text));
    case Type::UrlPath: {
        const QString path = text.trimmed();
        const QUrl url(path, QUrl::StrictMode);
        if (!path.startsWith(QLatin1Char('/')) || path.startsWith(QLatin1String("//")) || !url.isValid()
            || !url.isRelative() || url.hasFragment()) {
            *why = QStringLiteral("must be a path starting with /, like /health");
            return std::nullopt;
        }
        return QVariant(path);
    }
    case Type::RedisUrl:
        if (!text.trimmed().isEmpty() && !RedisUrl::parse(text, why))
            return std::nullopt;
        return QVariant(text.trimmed());
    case Type::PlanTiers:
        if (!PlanTierMap::parse(text, why))
            return std::nullopt;
        return QVariant(text.trimmed());
    case Type::Choice: {
        // Any case; "warning|warn" names the value and the spellings other tools use for it.
        QStringList accepted;
        for (const QString &choice : def.choices) {
            const QStringList spellings = choice.split(QLatin1Char('|'));
            for (const QString &spelling : spellings) {
                if (text.trimmed().compare(spelling, Qt::CaseInsensitive) == 0)
                    return QVariant(spellings.first());
            }
            accepted.append(spellings.size() > 1 ? QStringLiteral("%1 (or %2)").arg(spellings.first(), spellings.mid(1).join(QStringLiteral(", ")))
                                                 : spellings.first());
        }
        *why = QStringLiteral("must be one of %1").arg(accepted.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    }
    return std::nullopt;
}

// Start-up errors are printed and logged: a URL's password must not be in them.
QString withoutPassword(QString text)
{
    static const QRegularExpression userInfo(QStringLiteral("(://[^/@:]*):[^/@]*@"));
    return text.replace(userInfo, QStringLiteral("\\1:***@"));
}

struct IniFile
{
    QHash<QString, QHash<QString, QString>> sections;  // "" is the top level ([General])
    QHash<QString, int> lines;                         // "section\nkey" and "[section]" -> 1-based line
};

// QSettings splits unquoted commas into lists and drops the spaces after them; settings want the line
// as written, so the file is read here: KEY=VALUE lines by section, "" being the top level ([General]).
std::optional<IniFile> readIni(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return std::nullopt;
    IniFile ini;
    QString section;
    int number = 0;
    for (const QByteArray &rawLine : file.readAll().split('\n')) {
        ++number;
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char(';')) || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            section = line.mid(1, line.size() - 2).trimmed();
            if (section.compare(QLatin1String("General"), Qt::CaseInsensitive) == 0)
                section.clear();
            ini.sections[section];
            ini.lines.insert(QLatin1Char('[') + section + QLatin1Char(']'), number);
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            ini.lines.insert(QStringLiteral("?"), number);  // a line that is neither: reported by load()
            continue;
        }
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        const QString key = line.left(eq).trimmed();
        ini.sections[section].insert(key, value);
        ini.lines.insert(section + QLatin1Char('\n') + key, number);
    }
    return ini;
}

// Edit distance, for "did you mean PORT?" under a misspelled key.
int distance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1), current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j)
            current[j] = qMin(qMin(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        std::swap(previous, current);
    }
    return previous[b.size()];
}

// The sections a config file may have besides the top level.
const QStringList &knownSections()
{
    static const QStringList sections{QStringLiteral("routes")};
    return sections;
}

// An unknown key or section is as wrong as a bad value: a misspelled PROT= silently ignored leaves the
// daemon on a port nobody asked for.
QString checkIniNames(const IniFile &ini, const QString &path)
{
    for (auto it = ini.sections.constBegin(); it != ini.sections.constEnd(); ++it) {
        if (!it.key().isEmpty() && !knownSections().contains(it.key()))
            return QStringLiteral("%1:%2: unknown section [%3] (known: [%4])")
                .arg(path).arg(ini.lines.value(QLatin1Char('[') + it.key() + QLatin1Char(']')))
                .arg(it.key(), knownSections().join(QStringLiteral("], [")));
    }
    if (ini.lines.contains(QStringLiteral("?")))
        return QStringLiteral("%1:%2: expected KEY=VALUE, [section] or a comment").arg(path).arg(ini.lines.value(QStringLiteral("?")));
    QStringList keys = ini.sections.value(QString()).keys();
    std::sort(keys.begin(), keys.end(), [&](const QString &a, const QString &b) {
        return ini.lines.value(QLatin1Char('\n') + a) < ini.lines.value(QLatin1Char('\n') + b);
    });
    for (const QString &key : keys) {
        bool known = false;
        QString closest;
        int best = 3;
        for (const Settings::Definition &def : Settings::table()) {
            known = known || def.name == key;
            if (const int d = distance(key.toUpper(), def.name); d < best) {
                best = d;
                closest = def.name;
            }
        }
        if (!known)
            return QStringLiteral("%1:%2: unknown setting \"%3\"%4").arg(path).arg(ini.lines.value(QLatin1Char('\n') + key)).arg(key,
                closest.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(closest));
    }
    return {};
}

} // namespace

std::optional<Settings> Settings::load(const QCommandLineParser *parser, const QProcessEnvironment &env,
                                       Profile profile, QString *error)
{
    Settings settings;
    QHash<QString, QString> file;
    if (parser && parser->isSet(QStringLiteral("config"))) {
        settings.m_configFile = parser->value(QStringLiteral("config"));
        const auto ini = readIni(settings.m_configFile);
        if (!ini) {
            *error = QStringLiteral("--config: cannot read \"%1\"").arg(settings.m_configFile);
            return std::nullopt;
        }
        if (const QString problem = checkIniNames(*ini, settings.m_configFile); !problem.isEmpty()) {
            *error = problem;
            return std::nullopt;
        }
        file = ini->sections.value(QString());
        settings.m_sections = ini->sections;
        settings.m_sections.remove(QString());
    }

    for (const Definition &def : table()) {
        QString text;
        QString source;
        if (parser && parser->isSet(def.flag())) {
            text = parser->value(def.flag());
            source = QStringLiteral("--") + def.flag();
        } else if (env.contains(def.name)) {
            text = env.value(def.name);
            source = def.name;
        } else if (file.contains(def.name)) {
            text = file.value(def.name);
            source = QStringLiteral("%1 in %2").arg(def.name, settings.m_configFile);
        } else {
            text = def.defaultValue;
            if (def.name == QLatin1String("LISTEN_ADDRESS") && profile == Profile::Console)
                text = QStringLiteral("127.0.0.1");
            if (def.name == QLatin1String("DATABASE_URL"))
                text = DatabaseUrl::defaultSqliteUrl();
            source = QStringLiteral("default");
        }
        QString why;
        const auto value = convert(def, text, &why);
        if (!value) {
            *error = QStringLiteral("%1: invalid value \"%2\": %3").arg(source, withoutPassword(text), why);
            return std::nullopt;
        }
        settings.m_values.insert(def.name, *value);
        settings.m_sources.insert(def.name, source);
    }
    // A plan map without a secret is billing half set up: the webhook would stay off and no plan change would arrive.
    if (!settings.value(QStringLiteral("BILLING_PLAN_TIERS")).toString().isEmpty()
        && settings.value(QStringLiteral("BILLING_WEBHOOK_SECRET")).toString().trimmed().isEmpty()) {
        *error = QStringLiteral("%1: set, but BILLING_WEBHOOK_SECRET is not; the billing webhook needs both")
                     .arg(settings.source(QStringLiteral("BILLING_PLAN_TIERS")));
        return std::nullopt;
    }
    // Unsigned events could be sent by anyone who knows the receiver's address: a URL needs its secret.
    if (!settings.value(QStringLiteral("WEBHOOK_URL")).toString().isEmpty()
        && settings.value(QStringLiteral("WEBHOOK_SECRET")).toString().trimmed().isEmpty()) {
        *error = QStringLiteral("%1: set, but WEBHOOK_SECRET is not; events are signed with it")
                     .arg(settings.source(QStringLiteral("WEBHOOK_URL")));
        return std::nullopt;
    }
    settings.m_database = *DatabaseUrl::parse(settings.value(QStringLiteral("DATABASE_URL")).toString());
    return settings;
}

Settings Settings::defaults(Profile profile)
{
    QString error;
    return *load(nullptr, QProcessEnvironment(), profile, &error);
}

RedisUrl Settings::redis() const
{
    const QString url = value(QStringLiteral("REDIS_URL")).toString();
    if (!url.isEmpty())
        return *RedisUrl::parse(url);  // validated by load()
    RedisUrl parts;
    parts.host = redisHost();
    parts.port = redisPort();
    parts.password = redisPassword();
    return parts;
}

QUrl Settings::jwksUrl() const
{
    const QUrl explicitUrl = value(QStringLiteral("JWKS_URL")).toUrl();
    if (!explicitUrl.isEmpty())
        return explicitUrl;
    QUrl auth = value(QStringLiteral("MANA_CORE_AUTH_URL")).toUrl();
    if (auth.isEmpty())
        return {};
    QString path = auth.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    auth.setPath(path + QStringLiteral("/api/v1/auth/jwks"));
    return auth;
}

} // namespace tollgate
