#include "core/service/KeyEvents.h"

#include "core/storage/EventOutbox.h"

namespace tollgate::KeyEvents {

namespace {

QJsonObject keyData(const ApiKey &key, const QString &actor)
{
    return QJsonObject{{QStringLiteral("keyId"), key.id},
                       {QStringLiteral("userId"), key.userId},
                       {QStringLiteral("tier"), key.tier},
                       {QStringLiteral("actor"), actor}};
}

} // namespace

void created(QSqlDatabase &db, const ApiKey &key, const QString &actor, qint64 nowMs)
{
    QJsonObject data = keyData(key, actor);
    data.insert(QStringLiteral("name"), key.name);
    data.insert(QStringLiteral("isTest"), key.isTest);
    data.insert(QStringLiteral("maskedKey"), key.maskedKey());
    EventOutbox::append(db, EventOutbox::KeyCreated, data, nowMs);
}

void revoked(QSqlDatabase &db, const ApiKey &key, const QString &actor, qint64 nowMs)
{
    QJsonObject data = keyData(key, actor);
    data.insert(QStringLiteral("revokedAt"), toIsoUtcOrNull(key.revokedAt));
    EventOutbox::append(db, EventOutbox::KeyRevoked, data, nowMs);
}

void regenerated(QSqlDatabase &db, const ApiKey &key, int graceSeconds, const QString &actor, qint64 nowMs)
{
    QJsonObject data = keyData(key, actor);
    data.insert(QStringLiteral("maskedKey"), key.maskedKey());
    data.insert(QStringLiteral("graceSeconds"), graceSeconds);
    data.insert(QStringLiteral("previousKeyValidUntil"), toIsoUtcOrNull(key.previousHashUntil));
    EventOutbox::append(db, EventOutbox::KeyRegenerated, data, nowMs);
}

void tierChanged(QSqlDatabase &db, const ApiKey &key, const QString &fromTier, const QString &toTier, const QString &actor,
                 qint64 nowMs)
{
    QJsonObject data = keyData(key, actor);
    data.insert(QStringLiteral("tier"), toTier);
    data.insert(QStringLiteral("previousTier"), fromTier);
    EventOutbox::append(db, EventOutbox::TierChanged, data, nowMs);
}

} // namespace tollgate::KeyEvents
