#pragma once

#include "core/billing/BillingEvent.h"
#include "core/storage/StorageWorker.h"
#include "core/util/Clock.h"

#include <QFuture>

#include <memory>

namespace tollgate {

// What applying one billing event came to.
struct BillingOutcome
{
    enum class Kind {
        Applied,      // the user's keys are on the tier now (keysMoved of them moved; 0 when none had to)
        Replay,       // this event id was applied before: nothing changed
        Superseded,   // a newer event of the same user was applied already: recorded, nothing moved
        UnknownTier,  // the mapped tier does not exist: nothing recorded, so a retry once it does applies it
    };
    Kind kind = Kind::Applied;
    int keysMoved = 0;
};

// Applies the billing webhook's tier moves. The event id is recorded in the same transaction as the keys it moves
// (and their audit entries and change-feed rows): a crash either keeps both or neither, and a replay, or the same
// delivery at a second instance, finds the id and changes nothing. Events of one user apply in the order Stripe made
// them (`created`): one older than what was applied already is recorded but not applied, since Stripe does not
// deliver in order and a late "updated" must not undo a "deleted".
class BillingService
{
public:
    static inline const QString Actor = QStringLiteral("billing");

    BillingService(StorageWorker *storage, std::shared_ptr<const Clock> clock);
    // decision.action must be MoveKeys.
    QFuture<BillingOutcome> apply(const BillingEvent &event, const BillingDecision &decision);

private:
    StorageWorker *m_storage;
    std::shared_ptr<const Clock> m_clock;
};

} // namespace tollgate
