// /api-keys…: a user's own keys. Another user's key answers 404, exactly like a missing one.
#include "server/api/KeyRoutes.h"

#include "core/service/GatewayCore.h"
#include "core/storage/UsageStore.h"
#include "server/api/RouteSupport.h"
#include "server/gateway/GatewayContext.h"

#include <QPointer>

namespace tollgate::api {

namespace {

using Request = ManagementApi::Request;


// The tier a user may give its own keys: at most the one its JWT plan names (free without a plan).
bool tierAllowedByPlan(GatewayCore &core, const Principal &principal, const QString &tierSlug)
{
    if (principal.admin)
        return true;
    const auto wanted = core.tiers().find(tierSlug);
    const auto plan = core.tiers().find(principal.plan.isEmpty() ? QStringLiteral("free") : principal.plan);
    const int ceiling = plan ? plan->priceCents : 0;
    return wanted && wanted->priceCents <= ceiling;
}

// Loads the key, checks it belongs to the caller, then continues; 404 otherwise.
void withOwnKey(ManagementApi &api, const Request &request, std::function<void(const KeyView &)> next)
{
    whenDone<KeyView>(api, request, api.core().keyService().showKey(request.params.value(0)),
                      [&api, request, next](const KeyView &view) {
                          if (view.key.userId != request.principal.userId)
                              return api.fail(request, 404, "NOT_FOUND", QStringLiteral("Not found."));
                          next(view);
                      });
}

} // namespace

QJsonObject outcomesJson(const UsageCounters &c)
{
    return QJsonObject{{QStringLiteral("ok"), c.ok},
                       {QStringLiteral("upstreamError"), c.upstreamError},
                       {QStringLiteral("rateLimited"), c.rateLimited},
                       {QStringLiteral("insufficientCredits"), c.insufficientCredits},
                       {QStringLiteral("forbidden"), c.forbidden},
                       {QStringLiteral("clientError"), c.clientError},
                       {QStringLiteral("clientClosed"), c.clientClosed}};
}

QJsonObject usageRowJson(const UsageRow &row)
{
    const UsageCounters &c = row.counters;
    return QJsonObject{{QStringLiteral("date"), row.day},
                       {QStringLiteral("endpoint"), row.endpoint},
                       {QStringLiteral("requests"), c.requests},
                       {QStringLiteral("credits"), c.credits},
                       {QStringLiteral("errors"), c.errors},
                       {QStringLiteral("avgLatencyMs"), c.requests ? double(c.latencyMsSum) / double(c.requests) : 0.0},
                       {QStringLiteral("bytesIn"), c.bytesIn},
                       {QStringLiteral("bytesOut"), c.bytesOut},
                       {QStringLiteral("outcomes"), outcomesJson(c)}};
}

QJsonObject keyJson(ManagementApi &api, const KeyView &view)
{
    // The ledger is what the next /v1 call is judged by: the database lags it by the unwritten usage, and
    // a change (grant, tier, override) reaches it once the key is reloaded (respondReloaded).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    CreditLedger &ledger = api.core().ledger();
    if (ledger.isLeasing() && ledger.knows(view.key.id)) {
        // Shared by every instance (CreditLeaser): the database's books, which hold the other instances' use, plus
        // what this one has not handed to the write-behind yet. Credits leased but unspent still count as remaining.
        const qint64 unwritten = ledger.unwrittenUsed(view.key.id);
        return view.key.toJson(view.tier, view.creditsUsed + unwritten, qMax<qint64>(0, view.creditsRemaining() - unwritten), now);
    }
    if (!ledger.knows(view.key.id))
        return view.key.toJson(view.tier, view.creditsUsed, qMax<qint64>(0, view.creditsRemaining()), now);
    const CreditBalance balance = ledger.balance(view.key.id);
    return view.key.toJson(view.tier, balance.used, qMax<qint64>(0, balance.remaining()), now);
}

void respondReloaded(ManagementApi &api, const Request &request, int status, const KeyView &view, const QString &rawKey)
{
    QPointer<QObject> context = api.threadContext();
    ManagementApi *self = &api;
    auto answer = [self, request, status, view, rawKey] {
        const QJsonObject key = keyJson(*self, view);
        self->respond(request, status, rawKey.isNull() ? QJsonValue(key)
                                                       : QJsonValue(QJsonObject{{QStringLiteral("key"), rawKey}, {QStringLiteral("apiKey"), key}}));
    };
    api.core().keyCache().refresh(view.key.id)
        .then(QtFuture::Launch::Sync, [context, answer] { QMetaObject::invokeMethod(context, answer, Qt::QueuedConnection); })
        .onFailed([context, answer](const StorageError &) {
            // Written, but not reloaded (the database went away just now): the change feed reloads it later.
            QMetaObject::invokeMethod(context, answer, Qt::QueuedConnection);
        });
}

QString fromDay(int days)
{
    return QDateTime::currentDateTimeUtc().date().addDays(-(days - 1)).toString(Qt::ISODate);
}

QJsonObject totalsJson(const QList<UsageRow> &rows)
{
    UsageCounters sum;
    for (const UsageRow &row : rows)
        sum += row.counters;
    return QJsonObject{{QStringLiteral("requests"), sum.requests},
                       {QStringLiteral("credits"), sum.credits},
                       {QStringLiteral("errors"), sum.errors},
                       {QStringLiteral("avgLatencyMs"), sum.requests ? double(sum.latencyMsSum) / double(sum.requests) : 0.0},
                       {QStringLiteral("bytesIn"), sum.bytesIn},
                       {QStringLiteral("bytesOut"), sum.bytesOut},
                       {QStringLiteral("outcomes"), outcomesJson(sum)}};
}

QJsonArray usageJson(const QList<UsageRow> &rows)
{
    QJsonArray out;
    for (const UsageRow &row : rows)
        out.append(usageRowJson(row));
    return out;
}

void createKey(ManagementApi &api, const Request &request)
{
    CreateKeyRequest create;
    create.userId = request.principal.userId;
    readKeyFields(request.body, create);
    // MAX_KEYS_PER_USER: counted and enforced in the create's own storage job, so concurrent creates cannot overshoot.
    create.maxSelfCreatedActive = request.principal.admin ? 0 : qMax(1, api.context().maxKeysPerUser);
    if (!api.core().tiers().find(create.tier))
        throw BodyError{QStringLiteral("tier: unknown tier \"%1\"").arg(create.tier)};
    if (!tierAllowedByPlan(api.core(), request.principal, create.tier))
        return api.fail(request, 403, "FORBIDDEN", QStringLiteral("Your plan does not allow the %1 tier.").arg(create.tier));
    whenDone<CreatedKey>(api, request, api.core().keyService().createKey(create, request.principal.actor),
                         [&api, request](const CreatedKey &created) { respondReloaded(api, request, 201, created.view, created.rawKey); });
}

void listKeys(ManagementApi &api, const Request &request, const KeyFilter &base)
{
    KeyFilter filter = base;
    filter.cursor = request.query.value(QStringLiteral("cursor"));
    filter.limit = queryInt(request, "limit", 50, 1, 200);
    whenDone<KeyService::ViewPage>(api, request, api.core().keyService().listKeyViews(filter),
                                   [&api, request](const KeyService::ViewPage &page) {
                                       QJsonArray keys;
                                       for (const KeyView &view : page.views)
                                           keys.append(keyJson(api, view));
                                       QJsonObject meta{{QStringLiteral("count"), keys.size()}};
                                       if (!page.nextCursor.isEmpty())
                                           meta.insert(QStringLiteral("next_cursor"), page.nextCursor);
                                       api.respond(request, 200, keys, meta);
                                   });
}

void listOwnKeys(ManagementApi &api, const Request &request)
{
    KeyFilter filter;
    filter.userId = request.principal.userId;
    listKeys(api, request, filter);
}

void showOwnKey(ManagementApi &api, const Request &request)
{
    withOwnKey(api, request, [&api, request](const KeyView &view) { api.respond(request, 200, keyJson(api, view)); });
}

void applyPatch(ManagementApi &api, const Request &request, const KeyPatch &patch)
{
    whenDone<KeyView>(api, request, api.core().keyService().updateKey(request.params.value(0), patch, request.principal.actor),
                      [&api, request](const KeyView &view) { respondReloaded(api, request, 200, view); });
}

KeyPatch ownerPatch(const QJsonObject &body)
{
    static const QStringList allowed{QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("allowedEndpoints"),
                                     QStringLiteral("allowedIps"), QStringLiteral("expiresAt")};
    for (const QString &field : body.keys()) {
        if (!allowed.contains(field))
            throw BodyError{QStringLiteral("%1: cannot be changed here (allowed: %2)").arg(field, allowed.join(QStringLiteral(", ")))};
    }
    KeyPatch patch;
    patch.name = optionalString(body, "name");
    patch.description = optionalString(body, "description");
    patch.allowedEndpoints = optionalStringList(body, "allowedEndpoints");
    patch.allowedIps = optionalStringList(body, "allowedIps");
    patch.expiresAt = optionalTime(body, "expiresAt", true);
    return patch;
}

void patchOwnKey(ManagementApi &api, const Request &request)
{
    const KeyPatch patch = ownerPatch(request.body);
    withOwnKey(api, request, [&api, request, patch](const KeyView &) { applyPatch(api, request, patch); });
}

void revoke(ManagementApi &api, const Request &request)
{
    whenDone<KeyView>(api, request, api.core().keyService().revokeKey(request.params.value(0), request.principal.actor),
                      [&api, request](const KeyView &view) { respondReloaded(api, request, 200, view); });
}

void revokeOwnKey(ManagementApi &api, const Request &request)
{
    withOwnKey(api, request, [&api, request](const KeyView &) { revoke(api, request); });
}

void regenerate(ManagementApi &api, const Request &request)
{
    const int grace = int(optionalNumber(request.body, "graceSeconds", false, 0).value_or(0).value_or(0));
    whenDone<CreatedKey>(api, request, api.core().keyService().regenerateKey(request.params.value(0), grace, request.principal.actor),
                         [&api, request](const CreatedKey &created) { respondReloaded(api, request, 200, created.view, created.rawKey); });
}

void regenerateOwnKey(ManagementApi &api, const Request &request)
{
    // The body is checked before the key is looked up: a bad graceSeconds is a 400 either way.
    optionalNumber(request.body, "graceSeconds", false, 0);
    withOwnKey(api, request, [&api, request](const KeyView &) { regenerate(api, request); });
}

// The caller's key and its usage rows of the last `days` days (the `days` query, 1-366, default 30).
void withOwnUsage(ManagementApi &api, const Request &request,
                  std::function<void(int days, const KeyView &, const QList<UsageRow> &)> next)
{
    const int days = queryInt(request, "days", 30, 1, 366);
    withOwnKey(api, request, [&api, request, days, next](const KeyView &view) {
        const QString id = view.key.id;
        const QString from = fromDay(days);
        whenDone<QList<UsageRow>>(api, request, api.core().storage().run<QList<UsageRow>>([id, from](QSqlDatabase &db) {
                                      return UsageStore::forKey(db, id, from);
                                  }),
                                  [days, view, next](const QList<UsageRow> &rows) { next(days, view, rows); });
    });
}

void ownUsage(ManagementApi &api, const Request &request)
{
    withOwnUsage(api, request, [&api, request](int days, const KeyView &, const QList<UsageRow> &rows) {
        api.respond(request, 200, usageJson(rows), {{QStringLiteral("days"), days}});
    });
}

void ownUsageSummary(ManagementApi &api, const Request &request)
{
    withOwnUsage(api, request, [&api, request](int days, const KeyView &view, const QList<UsageRow> &rows) {
        QJsonObject summary = totalsJson(rows);
        summary.insert(QStringLiteral("days"), days);
        const QJsonObject live = keyJson(api, view);
        summary.insert(QStringLiteral("monthlyCredits"), view.key.effectiveMonthlyCredits(view.tier));
        summary.insert(QStringLiteral("creditsUsed"), live.value(QStringLiteral("creditsUsed")));
        summary.insert(QStringLiteral("creditsRemaining"), live.value(QStringLiteral("creditsRemaining")));
        api.respond(request, 200, summary);
    });
}

} // namespace tollgate::api
