// /admin/…: every key, tiers, system usage, the audit log and the instance's status. Admins only.
#include "server/api/AdminRoutes.h"

#include "core/ratelimit/RedisRateLimiter.h"
#include "core/service/GatewayCore.h"
#include "core/storage/AuditStore.h"
#include "core/storage/UsageStore.h"
#include "server/api/KeyRoutes.h"
#include "server/api/RouteSupport.h"
#include "server/gateway/GatewayContext.h"
#include "server/gateway/UpstreamReport.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QRegularExpression>

#include <limits>

namespace tollgate::api {

namespace {

using Request = ManagementApi::Request;

Tier tierFromJson(const QJsonValue &value, int index)
{
    if (!value.isObject())
        throw BodyError{QStringLiteral("tiers[%1]: must be an object").arg(index)};
    const QJsonObject object = value.toObject();
    auto field = [index](const char *name) { return QStringLiteral("tiers[%1].%2").arg(index).arg(QLatin1String(name)); };
    Tier tier;
    const QJsonValue slug = object.value(QStringLiteral("slug"));
    if (!slug.isString())
        throw BodyError{field("slug") + QStringLiteral(": must be a string")};
    tier.slug = slug.toString();
    tier.name = object.value(QStringLiteral("name")).toString(tier.slug);
    for (const char *name : {"rateLimit", "rateWindowSeconds", "monthlyCredits", "priceCents"}) {
        const QJsonValue number = object.value(QLatin1String(name));
        if (!number.isUndefined() && (!number.isDouble() || number.toDouble() != double(qint64(number.toDouble()))))
            throw BodyError{field(name) + QStringLiteral(": must be a whole number")};
    }
    tier.rateLimit = object.value(QStringLiteral("rateLimit")).toInt();
    tier.rateWindowSeconds = object.value(QStringLiteral("rateWindowSeconds")).toInt(60);
    tier.monthlyCredits = qint64(object.value(QStringLiteral("monthlyCredits")).toDouble());
    tier.priceCents = object.value(QStringLiteral("priceCents")).toInt();
    const QJsonValue endpoints = object.value(QStringLiteral("endpoints"));
    if (!endpoints.isArray())
        throw BodyError{field("endpoints") + QStringLiteral(": must be an array of endpoint groups")};
    for (const QJsonValue &group : endpoints.toArray())
        tier.endpoints.append(group.toString());
    QString problem;
    const auto endpointLimits = Tier::endpointLimitsFromJson(object.value(QStringLiteral("endpointLimits")), field("endpointLimits"), &problem);
    if (!endpointLimits)
        throw BodyError{problem};
    tier.endpointLimits = *endpointLimits;
    return tier;
}

QJsonArray tiersJson(const QList<Tier> &tiers)
{
    QJsonArray out;
    for (const Tier &tier : tiers)
        out.append(tier.toJson());
    return out;
}

} // namespace

void adminCreateKey(ManagementApi &api, const Request &request)
{
    static const QStringList allowed{QStringLiteral("userId"), QStringLiteral("name"), QStringLiteral("description"),
                                     QStringLiteral("tier"), QStringLiteral("isTest"), QStringLiteral("expiresAt"),
                                     QStringLiteral("allowedEndpoints"), QStringLiteral("allowedIps"), QStringLiteral("rateLimit"),
                                     QStringLiteral("rateWindowSeconds"), QStringLiteral("monthlyCredits")};
    for (const QString &field : request.body.keys()) {
        if (!allowed.contains(field))
            throw BodyError{QStringLiteral("%1: unknown field (allowed: %2)").arg(field, allowed.join(QStringLiteral(", ")))};
    }
    CreateKeyRequest create;
    const auto userId = optionalString(request.body, "userId");
    if (!userId || userId->trimmed().isEmpty())
        throw BodyError{QStringLiteral("userId: required")};
    create.userId = *userId;
    readKeyFields(request.body, create);
    // null: the tier's value, as with PATCH.
    if (const auto rate = optionalNumber(request.body, "rateLimit", true, 1); rate && *rate)
        create.rateLimit = int(qMin<qint64>(**rate, std::numeric_limits<int>::max()));
    if (const auto window = optionalNumber(request.body, "rateWindowSeconds", true, 1); window && *window)
        create.rateWindowSeconds = int(qMin<qint64>(**window, std::numeric_limits<int>::max()));
    if (const auto credits = optionalNumber(request.body, "monthlyCredits", true, 0); credits && *credits)
        create.monthlyCredits = **credits;
    // Admins are not capped by MAX_KEYS_PER_USER, and may give any tier; the sizes and checks are those of /api-keys.
    create.maxSelfCreatedActive = 0;
    whenDone<CreatedKey>(api, request, api.core().keyService().createKey(create, request.principal.actor),
                         [&api, request](const CreatedKey &created) { respondReloaded(api, request, 201, created.view, created.rawKey); });
}

void adminRegenerateKey(ManagementApi &api, const Request &request)
{
    regenerate(api, request);
}

void adminListKeys(ManagementApi &api, const Request &request)
{
    KeyFilter filter;
    filter.userId = request.query.value(QStringLiteral("userId"));
    filter.tier = request.query.value(QStringLiteral("tier"));
    filter.query = request.query.value(QStringLiteral("q")).trimmed();
    if (filter.query.size() > 200)
        throw BodyError{QStringLiteral("q: at most 200 characters")};
    filter.status = request.query.value(QStringLiteral("status"));
    if (!filter.status.isEmpty() && filter.status != QLatin1String("active") && filter.status != QLatin1String("revoked")
        && filter.status != QLatin1String("expired"))
        throw BodyError{QStringLiteral("status: must be active, revoked or expired")};
    const QString active = request.query.value(QStringLiteral("active"));
    if (active == QLatin1String("true"))
        filter.active = true;
    else if (active == QLatin1String("false"))
        filter.active = false;
    else if (!active.isEmpty())
        throw BodyError{QStringLiteral("active: must be true or false")};
    listKeys(api, request, filter);
}

void adminShowKey(ManagementApi &api, const Request &request)
{
    whenDone<KeyView>(api, request, api.core().keyService().showKey(request.params.value(0)),
                      [&api, request](const KeyView &view) { api.respond(request, 200, keyJson(api, view)); });
}

void adminPatchKey(ManagementApi &api, const Request &request)
{
    static const QStringList allowed{QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("allowedEndpoints"),
                                     QStringLiteral("allowedIps"), QStringLiteral("expiresAt"), QStringLiteral("tier"),
                                     QStringLiteral("rateLimit"), QStringLiteral("rateWindowSeconds"), QStringLiteral("monthlyCredits"),
                                     QStringLiteral("grantCredits")};
    for (const QString &field : request.body.keys()) {
        if (!allowed.contains(field))
            throw BodyError{QStringLiteral("%1: unknown field (allowed: %2)").arg(field, allowed.join(QStringLiteral(", ")))};
    }
    KeyPatch patch;
    patch.name = optionalString(request.body, "name");
    patch.description = optionalString(request.body, "description");
    patch.allowedEndpoints = optionalStringList(request.body, "allowedEndpoints");
    patch.allowedIps = optionalStringList(request.body, "allowedIps");
    patch.expiresAt = optionalTime(request.body, "expiresAt", true);
    patch.tier = optionalString(request.body, "tier");
    if (const auto rate = optionalNumber(request.body, "rateLimit", true, 1))
        patch.rateLimit = rate->has_value() ? std::optional<int>(int(**rate)) : std::nullopt;
    if (const auto window = optionalNumber(request.body, "rateWindowSeconds", true, 1))
        patch.rateWindowSeconds = window->has_value() ? std::optional<int>(int(**window)) : std::nullopt;
    patch.monthlyCredits = optionalNumber(request.body, "monthlyCredits", true, 0);
    const auto grant = optionalNumber(request.body, "grantCredits", false, 1);
    if (!grant)
        return applyPatch(api, request, patch);
    // Changes first, then the grant, so the answer shows both.
    const QString id = request.params.value(0);
    const qint64 credits = **grant;
    whenDone<KeyView>(api, request, api.core().keyService().updateKey(id, patch, request.principal.actor),
                      [&api, request, id, credits](const KeyView &) {
                          whenDone<KeyView>(api, request, api.core().keyService().grantCredits(id, credits, request.principal.actor),
                                            [&api, request](const KeyView &view) { respondReloaded(api, request, 200, view); });
                      });
}

void adminRevokeKey(ManagementApi &api, const Request &request)
{
    revoke(api, request);
}

void adminUsageSummary(ManagementApi &api, const Request &request)
{
    const int days = queryInt(request, "days", 30, 1, 366);
    const QString from = fromDay(days);
    whenDone<QList<UsageRow>>(api, request,
                              api.core().storage().run<QList<UsageRow>>([from](QSqlDatabase &db) { return UsageStore::system(db, from); }),
                              [&api, request, days](const QList<UsageRow> &rows) {
                                  QJsonObject summary = totalsJson(rows);
                                  summary.insert(QStringLiteral("days"), days);
                                  summary.insert(QStringLiteral("byDay"), usageJson(rows));
                                  api.respond(request, 200, summary);
                              });
}

void adminTopUsers(ManagementApi &api, const Request &request)
{
    const int days = queryInt(request, "days", 30, 1, 366);
    const int limit = queryInt(request, "limit", 10, 1, 1000);
    const QString from = fromDay(days);
    using Users = QList<QPair<QString, UsageCounters>>;
    whenDone<Users>(api, request,
                    api.core().storage().run<Users>([from, limit](QSqlDatabase &db) { return UsageStore::topUsers(db, from, limit); }),
                    [&api, request, days, limit](const Users &users) {
                        QJsonArray out;
                        for (const auto &user : users) {
                            QJsonObject entry = totalsJson({UsageRow{{}, {}, {}, user.second}});
                            entry.insert(QStringLiteral("userId"), user.first);
                            out.append(entry);
                        }
                        api.respond(request, 200, out, {{QStringLiteral("days"), days}, {QStringLiteral("limit"), limit}});
                    });
}

void adminUsageDaily(ManagementApi &api, const Request &request)
{
    const int days = queryInt(request, "days", 30, 1, 366);
    const QString keyId = request.query.value(QStringLiteral("keyId"));
    const QString endpoint = request.query.value(QStringLiteral("endpoint"));
    const QString from = fromDay(days);
    whenDone<QList<UsageRow>>(api, request,
                              api.core().storage().run<QList<UsageRow>>([from, keyId, endpoint](QSqlDatabase &db) {
                                  return UsageStore::daily(db, from, keyId, endpoint);
                              }),
                              [&api, request, days, from, keyId, endpoint](const QList<UsageRow> &rows) {
                                  QJsonObject meta{{QStringLiteral("days"), days}, {QStringLiteral("from"), from},
                                                   {QStringLiteral("count"), rows.size()}};
                                  if (!keyId.isEmpty())
                                      meta.insert(QStringLiteral("keyId"), keyId);
                                  if (!endpoint.isEmpty())
                                      meta.insert(QStringLiteral("endpoint"), endpoint);
                                  api.respond(request, 200, usageJson(rows), meta);
                              });
}

void adminTopKeys(ManagementApi &api, const Request &request)
{
    const int days = queryInt(request, "days", 1, 1, 366);
    const int limit = queryInt(request, "limit", 10, 1, 1000);
    const QString from = fromDay(days);
    whenDone<QList<KeyUsage>>(api, request,
                              api.core().storage().run<QList<KeyUsage>>([from, limit](QSqlDatabase &db) { return UsageStore::topKeys(db, from, limit); }),
                              [&api, request, days, limit](const QList<KeyUsage> &keys) {
                                  QJsonArray out;
                                  for (const KeyUsage &key : keys) {
                                      QJsonObject entry{{QStringLiteral("keyId"), key.keyId}, {QStringLiteral("name"), key.name},
                                                        {QStringLiteral("userId"), key.userId}, {QStringLiteral("tier"), key.tier}};
                                      const QJsonObject totals = totalsJson({UsageRow{{}, {}, {}, key.counters}});
                                      for (auto it = totals.begin(); it != totals.end(); ++it)
                                          entry.insert(it.key(), it.value());
                                      out.append(entry);
                                  }
                                  api.respond(request, 200, out, {{QStringLiteral("days"), days}, {QStringLiteral("limit"), limit}});
                              });
}

void adminListTiers(ManagementApi &api, const Request &request)
{
    whenDone<QList<Tier>>(api, request, api.core().keyService().listTiers(),
                          [&api, request](const QList<Tier> &tiers) { api.respond(request, 200, tiersJson(tiers)); });
}

void adminReplaceTiers(ManagementApi &api, const Request &request)
{
    // Three spellings of the same list: a bare array (the dispatcher hands it over as "items"), {"tiers": [...]}, and
    // the whole document GET /admin/tiers answers, {"data": [...], "meta": {...}}, so that GET > file, PUT < file works.
    QJsonValue list;
    int spellings = 0;
    for (const char *name : {"items", "tiers", "data"}) {
        if (request.body.contains(QLatin1String(name))) {
            list = request.body.value(QLatin1String(name));
            ++spellings;
        }
    }
    for (const QString &field : request.body.keys()) {
        if (field != QLatin1String("items") && field != QLatin1String("tiers") && field != QLatin1String("data")
            && field != QLatin1String("meta"))
            throw BodyError{QStringLiteral("%1: unknown field (the body is an array of tiers, {\"tiers\": [...]} or what GET /admin/tiers answers)").arg(field)};
    }
    if (spellings != 1 || !list.isArray())
        throw BodyError{QStringLiteral("tiers: the body must be an array of tiers, {\"tiers\": [...]} or what GET /admin/tiers answers ({\"data\": [...]})")};
    QList<Tier> tiers;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i)
        tiers.append(tierFromJson(array.at(i), int(i)));
    whenDone<QList<Tier>>(api, request, api.core().keyService().replaceTiers(tiers, request.principal.actor),
                          [&api, request](const QList<Tier> &saved) {
                              api.core().changeFeed().reloadTiers();
                              api.respond(request, 200, tiersJson(saved));
                          });
}

// An audit filter's value: exact, of a bounded length, and of the characters such values have; else a 400 that
// names the parameter.
QString auditFilterValue(const Request &request, const char *name, const QRegularExpression &pattern, const char *what)
{
    const QString value = request.query.value(QLatin1String(name));
    if (!value.isEmpty() && !pattern.match(value).hasMatch())
        throw BodyError{QStringLiteral("%1: %2").arg(QLatin1String(name), QLatin1String(what))};
    return value;
}

void adminAudit(ManagementApi &api, const Request &request)
{
    // Actors are "cli", a user id (a JWT's sub) or "admin-token:<name>": printable, no control characters.
    static const QRegularExpression actorPattern(QRegularExpression::anchoredPattern(QStringLiteral("[^\\x00-\\x1f\\x7f]{1,200}")));
    static const QRegularExpression actionPattern(QRegularExpression::anchoredPattern(QStringLiteral("[a-z][a-z_]{0,31}(\\.[a-z][a-z_]{0,31}){0,3}")));
    static const QRegularExpression idPattern(QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9_.:-]{1,128}")));
    const QString cursor = request.query.value(QStringLiteral("cursor"));
    AuditFilter filter;
    filter.actor = auditFilterValue(request, "actor", actorPattern, "at most 200 characters, no control characters");
    filter.action = auditFilterValue(request, "action", actionPattern, "an action such as key.create or tier.update");
    filter.keyId = auditFilterValue(request, "keyId", idPattern, "a key id such as key_AbC123");
    filter.targetId = auditFilterValue(request, "targetId", idPattern, "a key or tier id");
    const int limit = queryInt(request, "limit", 50, 1, 500);
    whenDone<AuditPage>(api, request,
                        api.core().storage().run<AuditPage>([cursor, limit, filter](QSqlDatabase &db) {
                            return AuditStore::list(db, cursor, limit, filter);
                        }),
                        [&api, request](const AuditPage &page) {
                            QJsonArray entries;
                            for (const AuditEntry &entry : page.entries)
                                entries.append(entry.toJson());
                            QJsonObject meta{{QStringLiteral("count"), entries.size()}};
                            if (!page.nextCursor.isEmpty())
                                meta.insert(QStringLiteral("next_cursor"), page.nextCursor);
                            api.respond(request, 200, entries, meta);
                        });
}

void adminStatus(ManagementApi &api, const Request &request, const gateway::GatewayContext &context)
{
    // Every instance with its state (up, down, open, half-open, unknown), breaker, probe latency and
    // last check: see UpstreamReport.
    QJsonObject upstreams;
    for (auto it = context.upstreamStates.constBegin(); it != context.upstreamStates.constEnd(); ++it)
        upstreams.insert(it.key(), gateway::UpstreamReport::of(*it.value()).toJson(true));
    const gateway::LiveCounters &live = context.counters;
    qint64 total = 0;
    QJsonObject requests;
    for (int statusClass = 1; statusClass <= 5; ++statusClass) {
        const qint64 n = qint64(live.byClass[size_t(statusClass)].load());
        total += n;
        if (statusClass >= 2)
            requests.insert(QStringLiteral("%1xx").arg(statusClass), n);
    }
    requests.insert(QStringLiteral("total"), total);
    QJsonObject redis{{QStringLiteral("status"), QStringLiteral("disabled")}};
    if (const RedisRateLimiter *limiter = api.core().redisLimiter()) {
        redis = QJsonObject{{QStringLiteral("status"), limiter->isUp() ? QStringLiteral("up") : QStringLiteral("down")},
                            {QStringLiteral("url"), limiter->target()},
                            {QStringLiteral("instanceId"), QString::fromLatin1(limiter->instanceId())},
                            {QStringLiteral("liveInstances"), limiter->liveInstances()},
                            {QStringLiteral("failureMode"), api.core().settings().redisRefusesWhenDown() ? QStringLiteral("refuse")
                                                                                                         : QStringLiteral("local")}};
    }
    const auto usage = api.core().usage().stats();
    api.respond(request, 200, QJsonObject{
        {QStringLiteral("instance"), QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid())},
        {QStringLiteral("version"), QStringLiteral(TOLLGATE_VERSION)},
        {QStringLiteral("uptimeSeconds"), (QDateTime::currentMSecsSinceEpoch() - context.startedAtMs) / 1000},
        {QStringLiteral("database"), QJsonObject{{QStringLiteral("status"), api.core().storage().isAvailable() ? QStringLiteral("up") : QStringLiteral("down")},
                                                 {QStringLiteral("url"), api.core().settings().database().redacted()}}},
        {QStringLiteral("redis"), redis},
        {QStringLiteral("upstreams"), upstreams},
        {QStringLiteral("requestsPerSecond"), context.requestRate.load()},
        {QStringLiteral("counters"), QJsonObject{
            {QStringLiteral("requests"), requests},
            {QStringLiteral("creditsCharged"), qint64(live.creditsCharged.load())},
            {QStringLiteral("inFlight"), context.inFlight ? context.inFlight() : 0},
            {QStringLiteral("rateLimited"), qint64(live.rateLimited.load())},
            {QStringLiteral("rateDecisions"), qint64(live.rateDecisions.load())},
            {QStringLiteral("overAdmitted"), qint64(live.overAdmitted.load())}}},
        {QStringLiteral("usage"), QJsonObject{{QStringLiteral("pendingRows"), qint64(usage.pendingRows)},
                                              {QStringLiteral("writing"), usage.writing},
                                              {QStringLiteral("failedWrites"), usage.failedFlushes}}},
    });
}

} // namespace tollgate::api
