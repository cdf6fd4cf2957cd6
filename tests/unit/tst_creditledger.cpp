#include "core/credits/CreditLedger.h"

#include <QtTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace tollgate;

namespace {

qint64 utcMs(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::utc()).toMSecsSinceEpoch();
}

const QString kKey = QStringLiteral("key-1");
const qint64 kNov15 = utcMs(2026, 11, 15, 12);

struct Sum { qint64 used = 0; qint64 granted = 0; };

Sum sum(const QList<CreditDelta> &deltas, const QString &keyId, const QString &period)
{
    Sum s;
    for (const CreditDelta &d : deltas) {
        if (d.keyId == keyId && d.period == period) {
            s.used += d.used;
            s.granted += d.granted;
        }
    }
    return s;
}

} // namespace

class TestCreditLedger : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<ManualClock> m_clock;
    std::unique_ptr<CreditLedger> m_ledger;

private slots:
    void init();

    void periodOf_data();
    void periodOf();
    void settleArithmetic_data();
    void settleArithmetic();
    void insufficient_data();
    void insufficient();
    void unknownKey();
    void reservationsHoldCredits();
    void doubleSettleAndRelease();
    void grants();
    void allowanceChange();
    void monthRolloverUtc();
    void settleAtDatesTheCharge();
    void noRolloverInLocalMidnight();
    void clockSteppingBackDoesNotReset();
    void syncFromStore();
    void takeAndRestoreLoseNothing();
    void restoreAfterSync();
    void forgetKeepsDeltas();
    void concurrentReserveNeverOverspends();
    void concurrentReleaseRaces();
    void concurrentDeltasLoseNothing();
    void leasingDrawsOnlyOnTheLease();
    void leasingOverrunAndDeltas();
    void leasingIdleReturnAndGiveBack();
    void leasingInvalidAndDropped();
    void leasingConcurrentNeverExceedsLease();
    void countUsedAtLeast();
};

// The keys_credits_low metric: keys at 80 % or more of this month's credits (grants included), none without credits.
void TestCreditLedger::countUsedAtLeast()
{
    m_ledger->setAllowance(QStringLiteral("a"), 100);
    m_ledger->syncFromStore(QStringLiteral("a"), "2026-11", 80, 0);   // 80 of 100
    m_ledger->setAllowance(QStringLiteral("b"), 100);
    m_ledger->syncFromStore(QStringLiteral("b"), "2026-11", 80, 50);  // 80 of 150
    m_ledger->setAllowance(QStringLiteral("c"), 0);                   // no credits at all: not "low"
    m_ledger->setAllowance(QStringLiteral("d"), 10);
    m_ledger->syncFromStore(QStringLiteral("d"), "2026-10", 10, 0);   // an old month says nothing about this one
    QCOMPARE(m_ledger->countUsedAtLeast(0.8), 1);
    const CreditReservation held = m_ledger->reserve(QStringLiteral("b"), 40);
    QVERIFY(held.ok());
    QCOMPARE(m_ledger->countUsedAtLeast(0.8), 1);  // reserved is not used
    m_ledger->release(held);
    m_ledger->settle(m_ledger->reserve(QStringLiteral("b"), 50), 50);
    QCOMPARE(m_ledger->countUsedAtLeast(0.8), 2);  // 130 of 150
    QCOMPARE(m_ledger->countUsedAtLeast(1.0), 0);
}

// Leasing (CreditLeaser): the database holds the shared balance; a reservation draws only on what this
// instance leased, and what is spent of the lease travels with the used delta.
void TestCreditLedger::leasingDrawsOnlyOnTheLease()
{
    m_ledger->setLeasing(true);
    m_ledger->setAllowance(kKey, 100);
    m_ledger->syncFromStore(kKey, "2026-11", 0, 0, 0);
    QCOMPARE(m_ledger->reserve(kKey, 1).status(), CreditReservation::Status::NeedsLease);
    QVERIFY(m_ledger->reserve(kKey, 0).ok());  // free calls never need a lease
    // 5 leased; the database has 95 left unleased (granted - used - leased = -5).
    m_ledger->addLease(kKey, "2026-11", 5, -5);
    QCOMPARE(m_ledger->balance(kKey).remaining(), 100);
    const CreditReservation a = m_ledger->reserve(kKey, 3);
    QVERIFY(a.ok());
    QCOMPARE(a.remaining(), 97);
    QCOMPARE(m_ledger->reserve(kKey, 3).status(), CreditReservation::Status::NeedsLease);  // 2 left in the lease
    const CreditReservation b = m_ledger->reserve(kKey, 2);
    QVERIFY(b.ok());
    m_ledger->release(b);
    QCOMPARE(m_ledger->settle(a, 3), 97);
    QCOMPARE(m_ledger->leaseHeld(kKey), 2);
    // A lease for another month goes straight back.
    m_ledger->addLease(kKey, "2026-10", 4, 0);
    const QList<LeaseReturn> back = m_ledger->takeIdleLeases(1000000);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().period, QStringLiteral("2026-10"));
    QCOMPARE(back.first().amount, 4);
}

void TestCreditLedger::leasingOverrunAndDeltas()
{
    m_ledger->setLeasing(true);
    m_ledger->setAllowance(kKey, 100);
    m_ledger->syncFromStore(kKey, "2026-11", 0, 0, 0);
    m_ledger->addLease(kKey, "2026-11", 10, -10);
    const CreditReservation stt = m_ledger->reserve(kKey, 8);
    QVERIFY(stt.ok());
    // STT settles at 15: 10 come out of the lease, 5 are charged to the shared balance directly.
    QCOMPARE(m_ledger->settle(stt, 15), 85);
    QCOMPARE(m_ledger->leaseHeld(kKey), 0);
    QList<CreditDelta> deltas = m_ledger->takeDeltas();
    QCOMPARE(deltas.size(), 1);
    QCOMPARE(deltas.first().used, 15);
    QCOMPARE(deltas.first().fromLease, 10);
    // A failed write puts fromLease back with the rest.
    m_ledger->restoreDeltas(deltas);
    deltas = m_ledger->takeDeltas();
    QCOMPARE(deltas.first().fromLease, 10);
    QVERIFY(m_ledger->takeDeltas().isEmpty());
}

void TestCreditLedger::leasingIdleReturnAndGiveBack()
{
    m_ledger->setLeasing(true);
    m_ledger->setAllowance(kKey, 100);
    m_ledger->syncFromStore(kKey, "2026-11", 0, 0, 0);
    m_ledger->addLease(kKey, "2026-11", 10, -10);
    const CreditReservation held = m_ledger->reserve(kKey, 4);
    QVERIFY(held.ok());
    QVERIFY(m_ledger->takeIdleLeases(1000).isEmpty());  // just used
    m_clock->advanceMs(1000);
    const QList<LeaseReturn> back = m_ledger->takeIdleLeases(1000);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().amount, 6);       // the reserved 4 stay
    QCOMPARE(m_ledger->leaseHeld(kKey), 4);
    QCOMPARE(m_ledger->balance(kKey).remaining(), 96);  // back in the shared balance, still counted
    // The database write failed: held again.
    m_ledger->giveBack(back);
    QCOMPARE(m_ledger->leaseHeld(kKey), 10);
    QCOMPARE(m_ledger->balance(kKey).remaining(), 96);
    m_ledger->settle(held, 4);
    QCOMPARE(m_ledger->balance(kKey).remaining(), 96);
}

void TestCreditLedger::leasingInvalidAndDropped()
{
    m_ledger->setLeasing(true);
    m_ledger->setAllowance(kKey, 100);
    m_ledger->syncFromStore(kKey, "2026-11", 0, 0, 0);
    m_ledger->addLease(kKey, "2026-11", 10, -10);
    m_ledger->setLeaseValid(false);
    QCOMPARE(m_ledger->reserve(kKey, 1).status(), CreditReservation::Status::NeedsLease);
    m_ledger->setLeaseValid(true);
    QVERIFY(m_ledger->reserve(kKey, 1).ok());
    m_ledger->dropLeasesNotIn({kKey + QStringLiteral("\n2026-11")});
    QCOMPARE(m_ledger->leaseHeld(kKey), 10);
    m_ledger->dropLeasesNotIn({});  // reclaimed while we were away
    QCOMPARE(m_ledger->leaseHeld(kKey), 0);
    QCOMPARE(m_ledger->reserve(kKey, 1).status(), CreditReservation::Status::NeedsLease);
}

void TestCreditLedger::leasingConcurrentNeverExceedsLease()
{
    m_ledger->setLeasing(true);
    m_ledger->setAllowance(kKey, 1000000);
    m_ledger->syncFromStore(kKey, "2026-11", 0, 0, 0);
    m_ledger->addLease(kKey, "2026-11", 500, -500);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                const CreditReservation r = m_ledger->reserve(kKey, 1);
                if (r.ok()) {
                    ok.fetch_add(1);
                    m_ledger->settle(r, 1);
                }
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(ok.load(), 500);
    QCOMPARE(m_ledger->leaseHeld(kKey), 0);
    qint64 fromLease = 0;
    for (const CreditDelta &d : m_ledger->takeDeltas())
        fromLease += d.fromLease;
    QCOMPARE(fromLease, 500);
}

void TestCreditLedger::init()
{
    m_clock = std::make_shared<ManualClock>(kNov15);
    m_ledger = std::make_unique<CreditLedger>(m_clock);
}

void TestCreditLedger::periodOf_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("period");
    QTest::newRow("epoch") << qint64(0) << "1970-01";
    QTest::newRow("last ms of Nov") << utcMs(2026, 11, 30, 23, 59, 59, 999) << "2026-11";
    QTest::newRow("first ms of Dec") << utcMs(2026, 12, 1) << "2026-12";
    QTest::newRow("leap day") << utcMs(2024, 2, 29, 12) << "2024-02";
    QTest::newRow("new year") << utcMs(2027, 1, 1) << "2027-01";
    // 2026-12-01T00:30+01:00 is still November in UTC.
    QTest::newRow("Dec in UTC+1") << utcMs(2026, 11, 30, 23, 30) << "2026-11";
}

void TestCreditLedger::periodOf()
{
    QFETCH(qint64, ms);
    QFETCH(QString, period);
    QCOMPARE(CreditLedger::periodOf(ms), period);
}

void TestCreditLedger::settleArithmetic_data()
{
    QTest::addColumn<qint64>("reserve");
    QTest::addColumn<qint64>("actual");
    QTest::addColumn<qint64>("remaining");
    // allowance 100
    QTest::newRow("actual == reserved") << qint64(10) << qint64(10) << qint64(90);
    QTest::newRow("actual < reserved: refund") << qint64(10) << qint64(3) << qint64(97);
    QTest::newRow("actual 0") << qint64(10) << qint64(0) << qint64(100);
    QTest::newRow("actual > reserved: charge more") << qint64(10) << qint64(30) << qint64(70);
    QTest::newRow("STT overrun crosses zero") << qint64(100) << qint64(120) << qint64(-20);
    QTest::newRow("free call") << qint64(0) << qint64(0) << qint64(100);
}

void TestCreditLedger::settleArithmetic()
{
    QFETCH(qint64, reserve);
    QFETCH(qint64, actual);
    QFETCH(qint64, remaining);
    m_ledger->setAllowance(kKey, 100);
    const CreditReservation r = m_ledger->reserve(kKey, reserve);
    QVERIFY(r.ok());
    QCOMPARE(r.amount(), reserve);
    QCOMPARE(r.remaining(), 100 - reserve);
    QCOMPARE(m_ledger->balance(kKey).reserved, reserve);

    QCOMPARE(m_ledger->settle(r, actual), remaining);
    const CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.reserved, 0);
    QCOMPARE(b.used, actual);
    QCOMPARE(b.remaining(), remaining);
}

void TestCreditLedger::insufficient_data()
{
    QTest::addColumn<qint64>("used");
    QTest::addColumn<qint64>("cost");
    QTest::addColumn<bool>("ok");
    // allowance 10
    QTest::newRow("exactly remaining") << qint64(0) << qint64(10) << true;
    QTest::newRow("one more than remaining") << qint64(0) << qint64(11) << false;
    QTest::newRow("exactly the last credit") << qint64(9) << qint64(1) << true;
    QTest::newRow("none left") << qint64(10) << qint64(1) << false;
    QTest::newRow("free when none left") << qint64(10) << qint64(0) << true;
    QTest::newRow("free when overdrawn") << qint64(25) << qint64(0) << true;
    QTest::newRow("overdrawn") << qint64(25) << qint64(1) << false;
}

void TestCreditLedger::insufficient()
{
    QFETCH(qint64, used);
    QFETCH(qint64, cost);
    QFETCH(bool, ok);
    m_ledger->setAllowance(kKey, 10);
    m_ledger->settle(m_ledger->reserve(kKey, 0), used);

    const CreditReservation r = m_ledger->reserve(kKey, cost);
    QCOMPARE(r.ok(), ok);
    QCOMPARE(r.status(), ok ? CreditReservation::Status::Ok : CreditReservation::Status::Insufficient);
    QCOMPARE(r.amount(), cost);
    QCOMPARE(r.remaining(), 10 - used - (ok ? cost : 0));
    QCOMPARE(m_ledger->balance(kKey).reserved, ok ? cost : 0);
    // A refused reservation holds nothing, and settling it charges nothing.
    if (!ok) {
        m_ledger->settle(r, cost);
        QCOMPARE(m_ledger->balance(kKey).used, used);
    }
}

void TestCreditLedger::unknownKey()
{
    QVERIFY(!m_ledger->knows(kKey));
    const CreditReservation r = m_ledger->reserve(kKey, 0);
    QVERIFY(!r.ok());
    QCOMPARE(r.status(), CreditReservation::Status::UnknownKey);
    QVERIFY(!m_ledger->knows(kKey)); // reserve() does not create entries
    const CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.period, QStringLiteral("2026-11"));
    QCOMPARE(b.remaining(), 0);

    QVERIFY(!CreditReservation().ok());
    QCOMPARE(CreditReservation().status(), CreditReservation::Status::None);
    m_ledger->setAllowance(kKey, 5);
    m_ledger->release(CreditReservation()); // harmless
    m_ledger->settle(CreditReservation(), 3);
    QCOMPARE(m_ledger->balance(kKey).remaining(), 5);
    QVERIFY(m_ledger->takeDeltas().isEmpty());
}

void TestCreditLedger::reservationsHoldCredits()
{
    m_ledger->setAllowance(kKey, 10);
    const CreditReservation a = m_ledger->reserve(kKey, 6);
    QVERIFY(a.ok());
    QVERIFY(!m_ledger->reserve(kKey, 5).ok()); // 4 left while a is in flight
    const CreditReservation b = m_ledger->reserve(kKey, 4);
    QVERIFY(b.ok());
    QCOMPARE(b.remaining(), 0);
    QVERIFY(a.id() != b.id());
    m_ledger->release(a);
    QCOMPARE(m_ledger->balance(kKey).remaining(), 6);
    QCOMPARE(m_ledger->settle(b, 4), 6);
    QCOMPARE(m_ledger->balance(kKey).used, 4);
}

void TestCreditLedger::doubleSettleAndRelease()
{
    m_ledger->setAllowance(kKey, 100);
    const CreditReservation r = m_ledger->reserve(kKey, 10);
    const CreditReservation copy = r;
    QVERIFY(r.isOpen());
    QCOMPARE(m_ledger->settle(r, 10), 90);
    QVERIFY(!copy.isOpen());
    QCOMPARE(m_ledger->settle(r, 10), 90);
    QCOMPARE(m_ledger->settle(copy, 50), 90);
    m_ledger->release(copy);
    CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.used, 10);
    QCOMPARE(b.reserved, 0);

    const CreditReservation s = m_ledger->reserve(kKey, 20);
    m_ledger->release(s);
    m_ledger->release(s);
    QCOMPARE(m_ledger->settle(s, 20), 90);
    b = m_ledger->balance(kKey);
    QCOMPARE(b.used, 10);
    QCOMPARE(b.reserved, 0);
    QCOMPARE(b.remaining(), 90);
}

void TestCreditLedger::grants()
{
    m_ledger->setAllowance(kKey, 10);
    m_ledger->settle(m_ledger->reserve(kKey, 10), 10);
    QVERIFY(!m_ledger->reserve(kKey, 1).ok());
    m_ledger->grant(kKey, 5);
    m_ledger->grant(kKey, 0);
    m_ledger->grant(kKey, -3); // ignored: grants only add
    const CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.granted, 5);
    QCOMPARE(b.remaining(), 5);
    QVERIFY(m_ledger->reserve(kKey, 5).ok());

    // A grant to a key not loaded here still reaches the store.
    m_ledger->grant(QStringLiteral("other"), 7);
    QVERIFY(!m_ledger->knows(QStringLiteral("other")));
    const QList<CreditDelta> deltas = m_ledger->takeDeltas();
    QCOMPARE(sum(deltas, QStringLiteral("other"), QStringLiteral("2026-11")).granted, 7);
    QCOMPARE(sum(deltas, kKey, QStringLiteral("2026-11")).granted, 5);
}

void TestCreditLedger::allowanceChange()
{
    m_ledger->setAllowance(kKey, 10);
    m_ledger->settle(m_ledger->reserve(kKey, 8), 8);
    m_ledger->setAllowance(kKey, 100); // tier upgrade keeps usage
    QCOMPARE(m_ledger->balance(kKey).remaining(), 92);
    m_ledger->setAllowance(kKey, 5); // downgrade may leave the key overdrawn
    QCOMPARE(m_ledger->balance(kKey).remaining(), -3);
    QVERIFY(!m_ledger->reserve(kKey, 1).ok());
}

void TestCreditLedger::monthRolloverUtc()
{
    m_clock->setMs(utcMs(2026, 11, 30, 23, 59, 59, 999));
    m_ledger->setAllowance(kKey, 100);
    // November usage in every state: in the store, taken by the write-behind, pending, in flight.
    m_ledger->syncFromStore(kKey, QStringLiteral("2026-11"), 20, 1);
    m_ledger->settle(m_ledger->reserve(kKey, 30), 30);
    m_ledger->grant(kKey, 5);
    QList<CreditDelta> deltas = m_ledger->takeDeltas();
    m_ledger->settle(m_ledger->reserve(kKey, 4), 4);
    const CreditReservation inFlight = m_ledger->reserve(kKey, 10);
    QVERIFY(inFlight.ok());
    CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.period, QStringLiteral("2026-11"));
    QCOMPARE(b.used, 54);
    QCOMPARE(b.granted, 6);
    QCOMPARE(b.remaining(), 42);

    m_clock->advanceMs(1); // 2026-12-01T00:00:00.000Z
    QCOMPARE(m_ledger->currentPeriod(), QStringLiteral("2026-12"));
    b = m_ledger->balance(kKey);
    QCOMPARE(b.period, QStringLiteral("2026-12"));
    QCOMPARE(b.used, 0);
    QCOMPARE(b.granted, 0);
    QCOMPARE(b.reserved, 10); // still running
    QCOMPARE(b.remaining(), 90);

    // The call started in November settles into December.
    QCOMPARE(m_ledger->settle(inFlight, 10), 90);
    deltas += m_ledger->takeDeltas();
    QCOMPARE(sum(deltas, kKey, QStringLiteral("2026-11")).used, 34);
    QCOMPARE(sum(deltas, kKey, QStringLiteral("2026-11")).granted, 5);
    QCOMPARE(sum(deltas, kKey, QStringLiteral("2026-12")).used, 10);
    // A late sync for the old month must not overwrite December.
    m_ledger->syncFromStore(kKey, QStringLiteral("2026-11"), 54, 6);
    QCOMPARE(m_ledger->balance(kKey).used, 10);
    QCOMPARE(m_ledger->balance(kKey).granted, 0);
}

void TestCreditLedger::settleAtDatesTheCharge()
{
    // Two calls settle around midnight on different threads; the later instant rolls the key over first.
    const qint64 lastMs = utcMs(2026, 11, 30, 23, 59, 59, 999);
    m_clock->setMs(lastMs);
    m_ledger->setAllowance(kKey, 100);
    const CreditReservation late = m_ledger->reserve(kKey, 3);
    const CreditReservation early = m_ledger->reserve(kKey, 2);
    m_clock->advanceMs(1);
    CreditLedger::Settlement s = m_ledger->settleAt(late, 3, lastMs + 1);
    QVERIFY(s.settled);
    QCOMPARE(s.charged, 3);
    // Dated in November: charged to November, although the account has moved on to December.
    s = m_ledger->settleAt(early, 2, lastMs);
    QVERIFY(s.settled);
    QCOMPARE(s.charged, 2);
    CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.period, QStringLiteral("2026-12"));
    QCOMPARE(b.used, 3);
    QCOMPARE(b.reserved, 0);
    QCOMPARE(b.remaining(), 97);
    // Settled already: nothing charged again.
    s = m_ledger->settleAt(early, 2, lastMs + 1);
    QVERIFY(!s.settled);
    QCOMPARE(s.charged, 0);
    const QList<CreditDelta> deltas = m_ledger->takeDeltas();
    QCOMPARE(sum(deltas, kKey, QStringLiteral("2026-11")).used, 2);
    QCOMPARE(sum(deltas, kKey, QStringLiteral("2026-12")).used, 3);
}

void TestCreditLedger::noRolloverInLocalMidnight()
{
    m_clock->setMs(utcMs(2026, 11, 30, 20));
    m_ledger->setAllowance(kKey, 100);
    m_ledger->settle(m_ledger->reserve(kKey, 40), 40);
    // 2026-12-01T00:30:00+01:00: December in Berlin, November in UTC.
    m_clock->setMs(QDateTime(QDate(2026, 12, 1), QTime(0, 30), QTimeZone(3600)).toMSecsSinceEpoch());
    const CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.period, QStringLiteral("2026-11"));
    QCOMPARE(b.used, 40);
    QCOMPARE(b.remaining(), 60);
}

void TestCreditLedger::clockSteppingBackDoesNotReset()
{
    m_clock->setMs(utcMs(2026, 12, 1, 0, 0, 1));
    m_ledger->setAllowance(kKey, 100);
    m_ledger->settle(m_ledger->reserve(kKey, 40), 40);
    m_clock->setMs(utcMs(2026, 11, 30, 23, 59, 59)); // NTP correction
    QCOMPARE(m_ledger->balance(kKey).period, QStringLiteral("2026-12"));
    QCOMPARE(m_ledger->balance(kKey).used, 40);
}

void TestCreditLedger::syncFromStore()
{
    m_ledger->setAllowance(kKey, 100);
    m_ledger->settle(m_ledger->reserve(kKey, 5), 5);
    m_ledger->grant(kKey, 2);
    // The store knows usage from before this process (or another instance); ours is unwritten.
    m_ledger->syncFromStore(kKey, QStringLiteral("2026-11"), 40, 3);
    CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.used, 45);
    QCOMPARE(b.granted, 5);
    QCOMPARE(b.remaining(), 60);

    m_ledger->syncFromStore(kKey, QStringLiteral("2026-10"), 999, 0); // not the current period
    QCOMPARE(m_ledger->balance(kKey).used, 45);

    // Once written, the store's numbers include our deltas: no double count.
    const QList<CreditDelta> deltas = m_ledger->takeDeltas();
    QCOMPARE(m_ledger->balance(kKey).used, 45); // no dip while the write runs
    m_ledger->syncFromStore(kKey, QStringLiteral("2026-11"), 40 + sum(deltas, kKey, "2026-11").used,
                            3 + sum(deltas, kKey, "2026-11").granted);
    b = m_ledger->balance(kKey);
    QCOMPARE(b.used, 45);
    QCOMPARE(b.granted, 5);

    // Sync may arrive before the allowance when a key loads.
    m_ledger->syncFromStore(QStringLiteral("k2"), QStringLiteral("2026-11"), 7, 0);
    QVERIFY(m_ledger->knows(QStringLiteral("k2")));
    m_ledger->setAllowance(QStringLiteral("k2"), 10);
    QCOMPARE(m_ledger->balance(QStringLiteral("k2")).remaining(), 3);
}

void TestCreditLedger::takeAndRestoreLoseNothing()
{
    m_ledger->setAllowance(kKey, 1000);
    m_ledger->setAllowance(QStringLiteral("k2"), 1000);
    m_ledger->settle(m_ledger->reserve(kKey, 10), 10);
    m_ledger->settle(m_ledger->reserve(QStringLiteral("k2"), 4), 4);
    m_ledger->grant(kKey, 3);

    QList<CreditDelta> first = m_ledger->takeDeltas();
    QCOMPARE(first.size(), 2);
    QCOMPARE(sum(first, kKey, "2026-11").used, 10);
    QCOMPARE(sum(first, kKey, "2026-11").granted, 3);
    QVERIFY(m_ledger->takeDeltas().isEmpty());

    // More traffic while the write fails.
    m_ledger->settle(m_ledger->reserve(kKey, 7), 7);
    QCOMPARE(m_ledger->balance(kKey).used, 17);
    m_ledger->restoreDeltas(first);
    QCOMPARE(m_ledger->balance(kKey).used, 17); // restoring does not double count
    QCOMPARE(m_ledger->balance(kKey).granted, 3);

    const QList<CreditDelta> second = m_ledger->takeDeltas();
    QCOMPARE(second.size(), 2); // merged, one per key and period
    QCOMPARE(sum(second, kKey, "2026-11").used, 17);
    QCOMPARE(sum(second, kKey, "2026-11").granted, 3);
    QCOMPARE(sum(second, QStringLiteral("k2"), "2026-11").used, 4);

    // Restored after the month turned and the key was dropped: kept for its own period.
    m_clock->setMs(utcMs(2026, 12, 2));
    m_ledger->forget(QStringLiteral("k2"));
    m_ledger->settle(m_ledger->reserve(kKey, 1), 1);
    m_ledger->restoreDeltas(second);
    QCOMPARE(m_ledger->balance(kKey).used, 1); // November deltas do not leak into December
    const QList<CreditDelta> third = m_ledger->takeDeltas();
    QCOMPARE(sum(third, kKey, "2026-11").used, 17);
    QCOMPARE(sum(third, kKey, "2026-11").granted, 3);
    QCOMPARE(sum(third, QStringLiteral("k2"), "2026-11").used, 4);
    QCOMPARE(sum(third, kKey, "2026-12").used, 1);
}

void TestCreditLedger::restoreAfterSync()
{
    m_ledger->setAllowance(kKey, 100);
    m_ledger->syncFromStore(kKey, "2026-11", 20, 0);
    m_ledger->settle(m_ledger->reserve(kKey, 5), 5);
    const QList<CreditDelta> taken = m_ledger->takeDeltas();
    // The write failed, and a reload read the store (without our 5) before the restore.
    m_ledger->syncFromStore(kKey, "2026-11", 20, 0);
    m_ledger->restoreDeltas(taken);
    QCOMPARE(m_ledger->balance(kKey).used, 25);
    QCOMPARE(sum(m_ledger->takeDeltas(), kKey, "2026-11").used, 5);
}

void TestCreditLedger::forgetKeepsDeltas()
{
    m_ledger->setAllowance(kKey, 100);
    m_ledger->settle(m_ledger->reserve(kKey, 10), 10);
    const CreditReservation inFlight = m_ledger->reserve(kKey, 20);
    m_ledger->forget(kKey);
    QVERIFY(!m_ledger->knows(kKey));

    // Reloaded while the old call still runs: its hold belongs to the old entry.
    m_ledger->setAllowance(kKey, 100);
    QCOMPARE(m_ledger->balance(kKey).reserved, 0);
    const CreditReservation fresh = m_ledger->reserve(kKey, 5);
    QCOMPARE(m_ledger->settle(inFlight, 20), 75);
    CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.reserved, 5); // only the new entry's own hold
    QCOMPARE(b.used, 20);
    m_ledger->release(fresh);

    // Forgotten for good: still billed for the store.
    const CreditReservation late = m_ledger->reserve(kKey, 3);
    m_ledger->forget(kKey);
    QCOMPARE(m_ledger->settle(late, 3), 0);
    const QList<CreditDelta> deltas = m_ledger->takeDeltas();
    QCOMPARE(sum(deltas, kKey, "2026-11").used, 10 + 20 + 3);
}

void TestCreditLedger::concurrentReserveNeverOverspends()
{
    m_ledger->setAllowance(kKey, 100);
    std::atomic<int> successes{0};
    std::atomic<qint64> minRemaining{100};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) {
                const CreditReservation r = m_ledger->reserve(kKey, 1);
                if (!r.ok())
                    continue;
                ++successes;
                const qint64 left = m_ledger->settle(r, 1);
                qint64 seen = minRemaining.load();
                while (qMin(left, r.remaining()) < seen && !minRemaining.compare_exchange_weak(seen, qMin(left, r.remaining()))) {}
            }
        });
    }
    for (auto &t : threads)
        t.join();
    QCOMPARE(successes.load(), 100);
    QVERIFY(minRemaining.load() >= 0);
    const CreditBalance b = m_ledger->balance(kKey);
    QCOMPARE(b.used, 100);
    QCOMPARE(b.reserved, 0);
    QCOMPARE(b.remaining(), 0);
}

void TestCreditLedger::concurrentReleaseRaces()
{
    const QStringList keys{"a", "b", "c", "d"};
    for (const QString &k : keys)
        m_ledger->setAllowance(k, 1'000'000);

    // Reservations made on 8 threads across keys...
    std::vector<std::vector<CreditReservation>> made(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i)
                made[t].push_back(m_ledger->reserve(keys[(t + i) % keys.size()], 1 + i % 5));
        });
    }
    for (auto &t : threads)
        t.join();
    threads.clear();
    qint64 held = 0;
    for (const QString &k : keys)
        held += m_ledger->balance(k).reserved;
    QCOMPARE(held, qint64(8 * 100 * (1 + 2 + 3 + 4 + 5)));

    // ...then every thread releases all of them at once (or settles at 0): only one wins each.
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int owner = 0; owner < 8; ++owner)
                for (const CreditReservation &r : made[(owner + t) % 8])
                    t % 2 ? m_ledger->release(r) : void(m_ledger->settle(r, 0));
        });
    }
    for (auto &t : threads)
        t.join();
    for (const QString &k : keys) {
        const CreditBalance b = m_ledger->balance(k);
        QCOMPARE(b.reserved, 0);
        QCOMPARE(b.used, 0);
        QCOMPARE(b.remaining(), 1'000'000);
    }
}

void TestCreditLedger::concurrentDeltasLoseNothing()
{
    const QStringList keys{"a", "b", "c"};
    for (const QString &k : keys)
        m_ledger->setAllowance(k, 1'000'000);
    std::atomic<bool> done{false};
    QList<CreditDelta> written;
    // The write-behind fails every other time while 6 threads spend.
    std::thread writer([&] {
        bool fail = false;
        while (!done.load()) {
            QList<CreditDelta> d = m_ledger->takeDeltas();
            if ((fail = !fail))
                m_ledger->restoreDeltas(d);
            else
                written += d;
        }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i)
                m_ledger->settle(m_ledger->reserve(keys[(t + i) % keys.size()], 2), 1);
        });
    }
    for (auto &t : threads)
        t.join();
    done = true;
    writer.join();
    written += m_ledger->takeDeltas();
    qint64 total = 0;
    for (const QString &k : keys) {
        total += sum(written, k, "2026-11").used;
        QCOMPARE(m_ledger->balance(k).used, 4000);
    }
    QCOMPARE(total, 6 * 2000);
}

QTEST_APPLESS_MAIN(TestCreditLedger)
#include "tst_creditledger.moc"
