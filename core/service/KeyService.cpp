#include "core/service/KeyService.h"

#include "core/credits/CreditLedger.h"
#include "core/keys/FieldLimits.h"
#include "core/keys/IpAllowList.h"
#include "core/keys/SecretGenerator.h"
#include "core/service/KeyEvents.h"
#include "core/storage/AuditStore.h"
#include "core/storage/ChangeFeed.h"
#include "core/storage/Migrations.h"
#include "core/storage/Sql.h"
#include "core/storage/TierStore.h"

namespace tollgate {

namespace {

[[noreturn]] void invalid(const QString &message)
{
    throw StorageError(StorageError::Kind::Invalid, message);
}

[[noreturn]] void notFound(const QString &what, const QString &id)
{
    throw StorageError(StorageError::Kind::NotFound, QStringLiteral("%1 %2 not found").arg(what, id));
}

Tier requireTier(QSqlDatabase &db, const QString &slug)
{
    const auto tier = TierStore::find(db, slug);
    if (!tier)
        invalid(QStringLiteral("tier: unknown tier \"%1\"").arg(slug));
    return *tier;
}

KeyView viewOf(QSqlDatabase &db, const ApiKey &key, qint64 nowMs)
{
    const auto tier = TierStore::find(db, key.tier);
    const CreditPeriodRow period = KeyStore::creditPeriod(db, key.id, CreditLedger::periodOf(nowMs));
    return KeyView{key, tier.value_or(Tier{key.tier, key.tier}), period.used, period.granted};
}

ApiKey requireKey(QSqlDatabase &db, const QString &id)
{
    const auto key = KeyStore::findById(db, id);
    if (!key)
        notFound(QStringLiteral("key"), id);
    return *key;
}

void requireEndpointsInTier(const Tier &tier, const ApiKey &key)
{
    for (const QString &group : key.allowedEndpoints) {
        if (!EndpointGroups::all().contains(group))
            invalid(QStringLiteral("allowedEndpoints: unknown endpoint group \"%1\" (known: %2)")
                        .arg(group, EndpointGroups::all().join(QStringLiteral(", "))));
        if (!tier.endpoints.contains(group))
            invalid(QStringLiteral("allowedEndpoints: \"%1\" is not in tier %2 (%3)")
                        .arg(group, tier.slug, tier.endpoints.join(QStringLiteral(", "))));
    }
}

void requireWithin(const QString &problem)
{
    if (!problem.isEmpty())
        invalid(problem);
}

// A name, description or list as a key stores it; Invalid naming the field when over its limit.
QString checkedName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        invalid(QStringLiteral("name: must not be empty"));
    requireWithin(limits::textProblem(u"name", trimmed, limits::MaxNameCharacters));
    return trimmed;
}

QString checkedDescription(const QString &description)
{
    requireWithin(limits::textProblem(u"description", description, limits::MaxDescriptionCharacters));
    return description;
}

QStringList checkedList(QStringView field, const QStringList &list)
{
    requireWithin(limits::listProblem(field, list.size()));
    return limits::deduplicated(list);
}

QStringList checkedIps(const QStringList &entries)
{
    QString why;
    const auto ips = IpAllowList::parse(checkedList(u"allowedIps", entries), &why);
    if (!ips)
        invalid(QStringLiteral("allowedIps: ") + why);
    // "10.0.0.1" and "10.0.0.1/32" are one entry once written the same way.
    return limits::deduplicated(ips->toStringList());
}

// A tier as stored: valid (Tier::validate, which bounds its name and endpoints) and its endpoints without repeats.
// `field` prefixes the problem, e.g. "tiers[2].".
Tier checkedTier(const Tier &tier, const QString &field = {})
{
    const QString problem = tier.validate();
    if (!problem.isEmpty())
        invalid(field + problem);
    Tier out = tier;
    out.endpoints = limits::deduplicated(tier.endpoints);
    return out;
}

// Refuses a key the user would create for itself beyond `max` active ones. Runs inside the create's transaction,
// in the storage worker's one job with the insert, so concurrent creates of one process cannot both pass; on
// PostgreSQL a per-user transaction lock also orders the creates of several instances sharing the database.
void requireUnderKeyCap(QSqlDatabase &db, const QString &userId, int max, qint64 now)
{
    if (max <= 0)
        return;
    if (sql::dialectOf(db) == sql::Dialect::Postgres)
        sql::exec(db, QStringLiteral("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(CAST(? AS TEXT)))) AS l"),
                  {QStringLiteral("tollgate.keycap:") + userId});
    const qint64 held = KeyStore::countSelfCreatedActive(db, userId, now);
    if (held == max)
        throw StorageError(StorageError::Kind::LimitReached,
                           QStringLiteral("You already have %1 active keys, the most allowed; revoke one first.").arg(held));
    if (held > max)  // the limit was lowered since
        throw StorageError(StorageError::Kind::LimitReached,
                           QStringLiteral("You already have %1 active keys, more than the %2 allowed; revoke some first.").arg(held).arg(max));
}

void audit(QSqlDatabase &db, qint64 nowMs, const QString &actor, const QString &action, const QString &type,
           const QString &id, const QJsonObject &before, const QJsonObject &after)
{
    AuditStore::append(db, {0, QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()), actor, action, type, id, before, after});
}

} // namespace

QJsonObject KeyView::toJson(const QDateTime &now) const
{
    return key.toJson(tier, creditsUsed, creditsRemaining(), now);
}

QJsonObject CreatedKey::toJson(const QDateTime &now) const
{
    return QJsonObject{{QStringLiteral("key"), rawKey}, {QStringLiteral("apiKey"), view.toJson(now)}};
}

KeyService::KeyService(StorageWorker *storage, std::shared_ptr<const Clock> clock, QString livePrefix, QString testPrefix)
    : m_storage(storage), m_clock(std::move(clock)), m_livePrefix(std::move(livePrefix)), m_testPrefix(std::move(testPrefix))
{
}

QFuture<int> KeyService::migrate()
{
    return m_storage->run<int>([](QSqlDatabase &db) { return Migrations::migrate(db); });
}

QFuture<CreatedKey> KeyService::createKey(const CreateKeyRequest &request, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    const QString prefix = request.isTest ? m_testPrefix : m_livePrefix;
    return m_storage->run<CreatedKey>([request, actor, now, prefix](QSqlDatabase &db) {
        if (request.userId.trimmed().isEmpty())
            invalid(QStringLiteral("user: must not be empty"));
        const QString name = checkedName(request.name);
        const QString description = checkedDescription(request.description);
        const QStringList endpoints = checkedList(u"allowedEndpoints", request.allowedEndpoints);
        const QStringList ips = checkedIps(request.allowedIps);
        if (request.expiresAt.isValid() && request.expiresAt.toMSecsSinceEpoch() <= now)
            invalid(QStringLiteral("expiresAt: must be in the future"));
        if (request.rateLimit && *request.rateLimit <= 0)
            invalid(QStringLiteral("rateLimit: must be a positive number"));
        if (request.rateWindowSeconds && *request.rateWindowSeconds <= 0)
            invalid(QStringLiteral("rateWindowSeconds: must be a positive number"));
        if (request.monthlyCredits && *request.monthlyCredits < 0)
            invalid(QStringLiteral("monthlyCredits: must not be negative"));

        sql::Transaction tx(db);
        const Tier tier = requireTier(db, request.tier);
        const GeneratedSecret secret = SecretGenerator::generate(prefix);
        ApiKey key;
        key.id = SecretGenerator::newId(QStringLiteral("key"));
        key.keyHash = secret.hash;
        key.prefix = secret.prefix;
        key.last4 = secret.last4;
        key.userId = request.userId.trimmed();
        key.name = name;
        key.description = description;
        key.tier = tier.slug;
        key.isTest = request.isTest;
        key.allowedEndpoints = endpoints;
        key.allowedIps = ips;
        key.expiresAt = request.expiresAt;
        key.rateLimit = request.rateLimit;
        key.rateWindowSeconds = request.rateWindowSeconds;
        key.monthlyCredits = request.monthlyCredits;
        requireEndpointsInTier(tier, key);
        requireUnderKeyCap(db, key.userId, request.maxSelfCreatedActive, now);
        key.createdAt = key.updatedAt = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc());
        KeyStore::insert(db, key);
        const KeyView view{key, tier, 0, 0};
        audit(db, now, actor, QStringLiteral("key.create"), QStringLiteral("key"), key.id, {},
              view.toJson(key.createdAt));
        ChangeFeed::append(db, ChangeFeed::Key, key.id, now);
        KeyEvents::created(db, key, actor, now);
        tx.commit();
        return CreatedKey{secret.raw, view};
    });
}

QFuture<QList<KeyView>> KeyService::listKeys(const KeyFilter &filter)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<QList<KeyView>>([filter, now](QSqlDatabase &db) {
        QList<KeyView> views;
        KeyFilter page = filter;
        page.limit = 500;
        do {
            const KeyPage result = KeyStore::list(db, page, now);
            for (const ApiKey &key : result.keys)
                views.append(viewOf(db, key, now));
            page.cursor = result.nextCursor;
        } while (!page.cursor.isEmpty());
        return views;
    });
}

QFuture<KeyView> KeyService::showKey(const QString &id)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<KeyView>([id, now](QSqlDatabase &db) { return viewOf(db, requireKey(db, id), now); });
}

QFuture<KeyView> KeyService::revokeKey(const QString &id, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<KeyView>([id, actor, now](QSqlDatabase &db) {
        sql::Transaction tx(db);
        ApiKey key = requireKey(db, id);
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc());
        const QJsonObject before = viewOf(db, key, now).toJson(at);
        if (!key.revoked) {
            key.revoked = true;
            key.revokedAt = key.updatedAt = at;
            key.previousHash.clear();
            key.previousHashUntil = {};
            KeyStore::update(db, key);
            ChangeFeed::append(db, ChangeFeed::Key, key.id, now);
            KeyEvents::revoked(db, key, actor, now);  // once: revoking a revoked key changes nothing
        }
        const KeyView view = viewOf(db, key, now);
        audit(db, now, actor, QStringLiteral("key.revoke"), QStringLiteral("key"), key.id, before, view.toJson(at));
        tx.commit();
        return view;
    });
}

QFuture<KeyView> KeyService::grantCredits(const QString &id, qint64 credits, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<KeyView>([id, credits, actor, now](QSqlDatabase &db) {
        if (credits <= 0 || credits > 1'000'000'000)
            invalid(QStringLiteral("credits: must be a positive number up to 1000000000"));
        sql::Transaction tx(db);
        const ApiKey key = requireKey(db, id);
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc());
        const QJsonObject before = viewOf(db, key, now).toJson(at);
        KeyStore::addGrant(db, key.id, CreditLedger::periodOf(now), credits, actor, now);
        const KeyView view = viewOf(db, key, now);
        QJsonObject after = view.toJson(at);
        after.insert(QStringLiteral("granted"), credits);
        audit(db, now, actor, QStringLiteral("key.grant"), QStringLiteral("key"), key.id, before, after);
        ChangeFeed::append(db, ChangeFeed::Credits, key.id, now);
        tx.commit();
        return view;
    });
}

QFuture<KeyView> KeyService::updateKey(const QString &id, const KeyPatch &patch, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<KeyView>([id, patch, actor, now](QSqlDatabase &db) {
        sql::Transaction tx(db);
        ApiKey key = requireKey(db, id);
        const QString tierBefore = key.tier;
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc());
        const QJsonObject before = viewOf(db, key, now).toJson(at);
        if (patch.name)
            key.name = checkedName(*patch.name);
        if (patch.description)
            key.description = checkedDescription(*patch.description);
        if (patch.tier)
            key.tier = requireTier(db, *patch.tier).slug;
        if (patch.allowedEndpoints)
            key.allowedEndpoints = checkedList(u"allowedEndpoints", *patch.allowedEndpoints);
        if (patch.allowedIps)
            key.allowedIps = checkedIps(*patch.allowedIps);
        if (patch.expiresAt) {
            if (patch.expiresAt->isValid() && patch.expiresAt->toMSecsSinceEpoch() <= now)
                invalid(QStringLiteral("expiresAt: must be in the future"));
            key.expiresAt = *patch.expiresAt;
        }
        if (patch.rateLimit) {
            if (*patch.rateLimit && **patch.rateLimit <= 0)
                invalid(QStringLiteral("rateLimit: must be a positive number"));
            key.rateLimit = *patch.rateLimit;
        }
        if (patch.rateWindowSeconds) {
            if (*patch.rateWindowSeconds && **patch.rateWindowSeconds <= 0)
                invalid(QStringLiteral("rateWindowSeconds: must be a positive number"));
            key.rateWindowSeconds = *patch.rateWindowSeconds;
        }
        if (patch.monthlyCredits) {
            if (*patch.monthlyCredits && **patch.monthlyCredits < 0)
                invalid(QStringLiteral("monthlyCredits: must not be negative"));
            key.monthlyCredits = *patch.monthlyCredits;
        }
        requireEndpointsInTier(requireTier(db, key.tier), key);
        key.updatedAt = at;
        KeyStore::update(db, key);
        const KeyView view = viewOf(db, key, now);
        audit(db, now, actor, QStringLiteral("key.update"), QStringLiteral("key"), key.id, before, view.toJson(at));
        ChangeFeed::append(db, ChangeFeed::Key, key.id, now);
        if (key.tier != tierBefore)
            KeyEvents::tierChanged(db, key, tierBefore, key.tier, actor, now);
        tx.commit();
        return view;
    });
}

QFuture<CreatedKey> KeyService::regenerateKey(const QString &id, int graceSeconds, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    const QString live = m_livePrefix;
    const QString test = m_testPrefix;
    return m_storage->run<CreatedKey>([id, graceSeconds, actor, now, live, test](QSqlDatabase &db) {
        if (graceSeconds < 0 || graceSeconds > MaxGraceSeconds)
            invalid(QStringLiteral("graceSeconds: 0 to %1 (7 days)").arg(MaxGraceSeconds));
        sql::Transaction tx(db);
        ApiKey key = requireKey(db, id);
        if (key.revoked)
            invalid(QStringLiteral("key: a revoked key cannot be regenerated"));
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc());
        const QJsonObject before = viewOf(db, key, now).toJson(at);
        const GeneratedSecret secret = SecretGenerator::generate(key.isTest ? test : live);
        if (graceSeconds > 0) {
            key.previousHash = key.keyHash;
            key.previousHashUntil = at.addSecs(graceSeconds);
        } else {
            key.previousHash.clear();
            key.previousHashUntil = {};
        }
        key.keyHash = secret.hash;
        key.prefix = secret.prefix;
        key.last4 = secret.last4;
        key.updatedAt = at;
        KeyStore::update(db, key);
        const KeyView view = viewOf(db, key, now);
        QJsonObject after = view.toJson(at);
        after.insert(QStringLiteral("graceSeconds"), graceSeconds);
        audit(db, now, actor, QStringLiteral("key.regenerate"), QStringLiteral("key"), key.id, before, after);
        ChangeFeed::append(db, ChangeFeed::Key, key.id, now);
        KeyEvents::regenerated(db, key, graceSeconds, actor, now);
        tx.commit();
        return CreatedKey{secret.raw, view};
    });
}

QFuture<KeyService::ViewPage> KeyService::listKeyViews(const KeyFilter &filter)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<ViewPage>([filter, now](QSqlDatabase &db) {
        const KeyPage page = KeyStore::list(db, filter, now);
        ViewPage views{{}, page.nextCursor};
        if (page.keys.isEmpty())
            return views;
        // A page of up to 500 keys: its tiers and credit periods in two queries, not two per key.
        QHash<QString, Tier> tiers;
        for (const Tier &tier : TierStore::list(db))
            tiers.insert(tier.slug, tier);
        QStringList ids;
        for (const ApiKey &key : page.keys)
            ids << key.id;
        const QHash<QString, CreditPeriodRow> periods = KeyStore::creditPeriods(db, ids, CreditLedger::periodOf(now));
        for (const ApiKey &key : page.keys) {
            const CreditPeriodRow period = periods.value(key.id);
            views.views.append(KeyView{key, tiers.value(key.tier, Tier{key.tier, key.tier}), period.used, period.granted});
        }
        return views;
    });
}

QFuture<QList<Tier>> KeyService::replaceTiers(const QList<Tier> &tiers, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<QList<Tier>>([given = tiers, actor, now](QSqlDatabase &db) {
        if (given.isEmpty())
            invalid(QStringLiteral("tiers: at least one tier"));
        requireWithin(limits::listProblem(u"tiers", given.size()));
        QList<Tier> tiers;
        QStringList slugs;
        for (qsizetype i = 0; i < given.size(); ++i) {
            tiers.append(checkedTier(given[i], QStringLiteral("tiers[%1].").arg(i)));
            if (slugs.contains(tiers[i].slug))
                invalid(QStringLiteral("tiers[%1].slug: \"%2\" appears twice").arg(i).arg(tiers[i].slug));
            slugs.append(tiers[i].slug);
        }
        sql::Transaction tx(db);
        // Keys point at tiers: a tier still in use cannot disappear.
        // Revoked keys count too: they keep their tier (and their usage), and the schema refers to it.
        for (const Tier &existing : TierStore::list(db)) {
            if (slugs.contains(existing.slug))
                continue;
            const qint64 used = sql::scalar(db, QStringLiteral("SELECT COUNT(*) FROM api_keys WHERE tier = ?"), {existing.slug}).toLongLong();
            if (used > 0)
                invalid(QStringLiteral("tiers: \"%1\" is still used by %2 key%3 (revoked ones included); move %4 to another tier first")
                            .arg(existing.slug).arg(used).arg(used == 1 ? QString() : QStringLiteral("s"),
                                                              used == 1 ? QStringLiteral("it") : QStringLiteral("them")));
        }
        for (const Tier &existing : TierStore::list(db)) {
            if (!slugs.contains(existing.slug)) {
                sql::exec(db, QStringLiteral("DELETE FROM tiers WHERE slug = ?"), {existing.slug});
                audit(db, now, actor, QStringLiteral("tier.delete"), QStringLiteral("tier"), existing.slug, existing.toJson(), {});
                ChangeFeed::append(db, ChangeFeed::Tier, existing.slug, now);
            }
        }
        for (const Tier &tier : tiers) {
            const auto before = TierStore::find(db, tier.slug);
            if (before && *before == tier)
                continue;
            TierStore::upsert(db, tier, now);
            audit(db, now, actor, before ? QStringLiteral("tier.update") : QStringLiteral("tier.create"), QStringLiteral("tier"),
                  tier.slug, before ? before->toJson() : QJsonObject(), tier.toJson());
            ChangeFeed::append(db, ChangeFeed::Tier, tier.slug, now);
        }
        tx.commit();
        return TierStore::list(db);
    });
}

int KeyService::moveKeysOfUser(QSqlDatabase &db, const QString &userId, const QString &tier, const QString &actor,
                               qint64 nowMs, const QJsonObject &auditExtra)
{
    const Tier target = requireTier(db, tier);
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc());
    QList<ApiKey> keys;
    KeyFilter filter;
    filter.userId = userId;
    filter.limit = 500;
    do {
        const KeyPage page = KeyStore::list(db, filter, nowMs);
        keys += page.keys;
        filter.cursor = page.nextCursor;
    } while (!filter.cursor.isEmpty());
    int moved = 0;
    for (ApiKey key : keys) {
        if (key.revoked || key.tier == target.slug)
            continue;
        const QJsonObject before = viewOf(db, key, nowMs).toJson(at);
        const QString tierBefore = key.tier;
        key.tier = target.slug;
        key.updatedAt = at;
        KeyStore::update(db, key);
        KeyEvents::tierChanged(db, key, tierBefore, key.tier, actor, nowMs);  // the webhook, in this transaction
        QJsonObject after = viewOf(db, key, nowMs).toJson(at);
        for (auto it = auditExtra.constBegin(); it != auditExtra.constEnd(); ++it)
            after.insert(it.key(), it.value());
        audit(db, nowMs, actor, QStringLiteral("key.update"), QStringLiteral("key"), key.id, before, after);
        ChangeFeed::append(db, ChangeFeed::Key, key.id, nowMs);
        ++moved;
    }
    return moved;
}

QFuture<QList<Tier>> KeyService::listTiers()
{
    return m_storage->run<QList<Tier>>([](QSqlDatabase &db) { return TierStore::list(db); });
}

QFuture<Tier> KeyService::setTier(const Tier &tier, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<Tier>([given = tier, actor, now](QSqlDatabase &db) {
        const Tier tier = checkedTier(given);
        sql::Transaction tx(db);
        const auto before = TierStore::find(db, tier.slug);
        TierStore::upsert(db, tier, now);
        audit(db, now, actor, before ? QStringLiteral("tier.update") : QStringLiteral("tier.create"), QStringLiteral("tier"),
              tier.slug, before ? before->toJson() : QJsonObject(), tier.toJson());
        ChangeFeed::append(db, ChangeFeed::Tier, tier.slug, now);
        tx.commit();
        return tier;
    });
}

QFuture<CreatedAdminToken> KeyService::createAdminToken(const QString &name, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<CreatedAdminToken>([name, actor, now](QSqlDatabase &db) {
        if (name.trimmed().isEmpty())
            invalid(QStringLiteral("name: must not be empty"));
        const GeneratedSecret secret = SecretGenerator::generate(QString::fromLatin1(AdminTokenPrefix));
        AdminToken token{SecretGenerator::newId(QStringLiteral("tok")), name.trimmed(), secret.hash, secret.prefix,
                         secret.last4, QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc()), {}, {}};
        sql::Transaction tx(db);
        AdminTokenStore::insert(db, token);
        audit(db, now, actor, QStringLiteral("admin_token.create"), QStringLiteral("admin_token"), token.id, {}, token.toJson());
        tx.commit();
        return CreatedAdminToken{secret.raw, token};
    });
}

QFuture<QList<AdminToken>> KeyService::listAdminTokens()
{
    return m_storage->run<QList<AdminToken>>([](QSqlDatabase &db) { return AdminTokenStore::list(db); });
}

QFuture<AdminToken> KeyService::revokeAdminToken(const QString &id, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<AdminToken>([id, actor, now](QSqlDatabase &db) {
        sql::Transaction tx(db);
        const auto before = AdminTokenStore::findById(db, id);
        if (!before)
            notFound(QStringLiteral("admin token"), id);
        AdminTokenStore::revoke(db, id, now);
        const AdminToken after = *AdminTokenStore::findById(db, id);
        audit(db, now, actor, QStringLiteral("admin_token.revoke"), QStringLiteral("admin_token"), id, before->toJson(), after.toJson());
        // Other instances drop the token from their caches at once (NOTIFY) or at their next poll.
        ChangeFeed::append(db, ChangeFeed::AdminToken, id, now);
        tx.commit();
        return after;
    });
}

} // namespace tollgate
