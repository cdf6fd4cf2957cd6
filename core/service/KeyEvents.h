#pragma once

#include "core/keys/ApiKey.h"

#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// The outgoing events of key changes (webhooks, the Redis stream), written into the outbox inside the caller's
// transaction, so a change and its event commit together. Every `data` names the key and its user; `actor` is who
// made the change (an admin token id, a JWT subject, "cli", "billing", …).
//
// tier.changed is a key moving from one tier to another — through the admin API, the CLI, or the billing webhook
// (KeyService::moveKeysOfUser calls tierChanged() in its transaction). A tier's definition changing (PUT /admin/tiers, `tiers
// set`) sends nothing: it would be one event per key of the tier, and the tier is not what receivers follow.
namespace KeyEvents {

void created(QSqlDatabase &db, const ApiKey &key, const QString &actor, qint64 nowMs);
void revoked(QSqlDatabase &db, const ApiKey &key, const QString &actor, qint64 nowMs);
void regenerated(QSqlDatabase &db, const ApiKey &key, int graceSeconds, const QString &actor, qint64 nowMs);
void tierChanged(QSqlDatabase &db, const ApiKey &key, const QString &fromTier, const QString &toTier, const QString &actor,
                 qint64 nowMs);

} // namespace KeyEvents

} // namespace tollgate
