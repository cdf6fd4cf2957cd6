#pragma once

namespace tollgate::http {

// Sends produced while the event loop handles one round of ready sockets, made together after that
// round instead of one by one in between.
//
// Why: on loopback, and on any busy host, a send() to a peer that sleeps in epoll_wait wakes it; a
// peer woken for every single response (or upstream request) handles one at a time and sleeps again,
// and each wake-up is paid by the sender. Sent back to back, the first send wakes the peer and the
// rest are already waiting when it looks.
//
// One batch per thread; members are connections of that thread. The batch runs as a posted event,
// so it follows every socket notification of the current round.
class SendBatch
{
public:
    class Member
    {
    public:
        Member() = default;
        Member(const Member &) = delete;
        Member &operator=(const Member &) = delete;

    protected:
        ~Member() { leaveBatch(); }
        // Schedules sendBatched() after the current round; once, however often it is asked.
        void joinBatch();
        // Drops a scheduled sendBatched() (closing, or the sends were made some other way).
        void leaveBatch();
        bool inBatch() const { return m_inBatch; }
        virtual void sendBatched() = 0;

    private:
        friend class SendBatch;
        bool m_inBatch = false;
    };

private:
    static void run();
};

} // namespace tollgate::http
