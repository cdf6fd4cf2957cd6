#include "core/service/KeyService.h"

#include "core/credits/CreditLedger.h"
#include "core/keys/IpAllowList.h"
#include "core/keys/SecretGenerator.h"
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
        if (request.name.trimmed().isEmpty())
            invalid(QStringLiteral("name: must not be empty"));
        if (request.name.size() > 200)
            invalid(QStringLiteral("name: at most 200 characters"));
        if (request.expiresAt.isValid() && request.expiresAt.toMSecsSinceEpoch() <= now)
            invalid(QStringLiteral("expiresAt: must be in the future"));
        QString why;
        const auto ips = IpAllowList::parse(request.allowedIps, &why);
        if (!ips)
            invalid(QStringLiteral("allowedIps: ") + why);

        sql::Transaction tx(db);
        const Tier tier = requireTier(db, request.tier);
        for (const QString &group : request.allowedEndpoints) {
            if (!tier.endpoints.contains(group))
                invalid(QStringLiteral("allowedEndpoints: \"%1\" is not in tier %2 (%3)")
                            .arg(group, tier.slug, tier.endpoints.join(QStringLiteral(", "))));
        }
        const GeneratedSecret secret = SecretGenerator::generate(prefix);
        ApiKey key;
        key.id = SecretGenerator::newId(QStringLiteral("key"));
        key.keyHash = secret.hash;
        key.prefix = secret.prefix;
        key.last4 = secret.last4;
        key.userId = request.userId.trimmed();
        key.name = request.name.trimmed();
        key.description = request.description;
        key.tier = tier.slug;
        key.isTest = request.isTest;
        key.allowedEndpoints = request.allowedEndpoints;
        key.allowedIps = ips->toStringList();
        key.expiresAt = request.expiresAt;
        key.createdAt = key.updatedAt = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc());
        KeyStore::insert(db, key);
        const KeyView view{key, tier, 0, 0};
        audit(db, now, actor, QStringLiteral("key.create"), QStringLiteral("key"), key.id, {},
              view.toJson(key.createdAt));
        ChangeFeed::append(db, ChangeFeed::Key, key.id, now);
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

QFuture<QList<Tier>> KeyService::listTiers()
{
    return m_storage->run<QList<Tier>>([](QSqlDatabase &db) { return TierStore::list(db); });
}

QFuture<Tier> KeyService::setTier(const Tier &tier, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<Tier>([tier, actor, now](QSqlDatabase &db) {
        const QString problem = tier.validate();
        if (!problem.isEmpty())
            invalid(problem);
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
        tx.commit();
        return after;
    });
}

} // namespace tollgate
