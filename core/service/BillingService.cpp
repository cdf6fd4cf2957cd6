#include "core/service/BillingService.h"

#include "core/service/KeyService.h"
#include "core/storage/BillingEventStore.h"
#include "core/storage/Sql.h"
#include "core/storage/TierStore.h"

#include <QJsonObject>

namespace tollgate {

BillingService::BillingService(StorageWorker *storage, std::shared_ptr<const Clock> clock)
    : m_storage(storage), m_clock(std::move(clock))
{
}

QFuture<BillingOutcome> BillingService::apply(const BillingEvent &event, const BillingDecision &decision)
{
    const qint64 now = m_clock->nowMs();
    return m_storage->run<BillingOutcome>([event, decision, now](QSqlDatabase &db) {
        BillingOutcome outcome;
        sql::retrying([&] {
            outcome = {};
            sql::Transaction tx(db);
            if (!TierStore::find(db, decision.tier)) {
                outcome.kind = BillingOutcome::Kind::UnknownTier;
                return;  // rolled back: nothing recorded
            }
            // One user's events at a time across instances, so "is there a newer one?" and the insert are one step.
            if (sql::dialectOf(db) == sql::Dialect::Postgres)
                sql::exec(db, QStringLiteral("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(CAST(? AS TEXT)))) AS l"),
                          {QStringLiteral("tollgate.billing:") + event.userId});
            const BillingEventStore::Row row{event.id, event.type, event.userId, event.created, decision.tier,
                                             QStringLiteral("applied"), 0, now};
            if (!BillingEventStore::insertIfNew(db, row)) {
                outcome.kind = BillingOutcome::Kind::Replay;
                return;  // rolled back: nothing was written
            }
            if (BillingEventStore::newestFor(db, event.userId, event.id) > event.created) {
                BillingEventStore::setResult(db, event.id, QStringLiteral("superseded"), 0);
                tx.commit();
                outcome.kind = BillingOutcome::Kind::Superseded;
                return;
            }
            const QJsonObject extra{{QStringLiteral("billingEvent"),
                                     QJsonObject{{QStringLiteral("id"), event.id}, {QStringLiteral("type"), event.type}}}};
            outcome.keysMoved = KeyService::moveKeysOfUser(db, event.userId, decision.tier, Actor, now, extra);
            BillingEventStore::setResult(db, event.id, QStringLiteral("applied"), outcome.keysMoved);
            tx.commit();
            outcome.kind = BillingOutcome::Kind::Applied;
        });
        return outcome;
    });
}

} // namespace tollgate
