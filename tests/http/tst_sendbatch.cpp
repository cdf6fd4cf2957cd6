// SendBatch: sends of one event-loop round made together after it.
#include "server/http/SendBatch.h"

#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using tollgate::http::SendBatch;

namespace {

class Member : public SendBatch::Member
{
public:
    explicit Member(std::vector<int> *log, int id) : m_log(log), m_id(id) {}
    using SendBatch::Member::inBatch;
    using SendBatch::Member::joinBatch;
    using SendBatch::Member::leaveBatch;
    std::function<void()> whenSent;

protected:
    void sendBatched() override
    {
        m_log->push_back(m_id);
        if (whenSent)
            whenSent();
    }

private:
    std::vector<int> *m_log;
    int m_id;
};

} // namespace

class TestSendBatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsAfterTheRoundOncePerMember()
    {
        std::vector<int> log;
        Member a(&log, 1), b(&log, 2);
        a.joinBatch();
        b.joinBatch();
        a.joinBatch(); // asked twice, sent once
        QVERIFY(log.empty()); // nothing inside the round that asked
        QVERIFY(a.inBatch());
        QCoreApplication::processEvents();
        QCOMPARE(log, (std::vector<int>{1, 2}));
        QVERIFY(!a.inBatch());
        QCoreApplication::processEvents();
        QCOMPARE(log.size(), size_t(2));
    }

    void leavingAndDestroyedMembersAreSkipped()
    {
        std::vector<int> log;
        Member kept(&log, 1);
        auto destroyed = std::make_unique<Member>(&log, 2);
        Member left(&log, 3);
        kept.joinBatch();
        destroyed->joinBatch();
        left.joinBatch();
        destroyed.reset();
        left.leaveBatch();
        QCoreApplication::processEvents();
        QCOMPARE(log, (std::vector<int>{1}));
    }

    void membersMayJoinAndDieWhileTheBatchRuns()
    {
        std::vector<int> log;
        Member first(&log, 1);
        auto second = std::make_unique<Member>(&log, 2);
        Member late(&log, 3);
        bool rejoined = false;
        first.whenSent = [&] {
            if (rejoined)
                return;
            rejoined = true;
            second.reset();    // queued behind us: must not be called
            late.joinBatch();  // joins the batch that is running
            first.joinBatch(); // and itself again
        };
        first.joinBatch();
        second->joinBatch();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(log, (std::vector<int>{1, 3, 1}));
        // A new round works as before.
        late.joinBatch();
        QCoreApplication::processEvents();
        QCOMPARE(log.back(), 3);
    }
};

QTEST_GUILESS_MAIN(TestSendBatch)
#include "tst_sendbatch.moc"
