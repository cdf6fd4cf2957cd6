#pragma once

#include <QObject>

#include <cstdint>
#include <vector>

class QSocketNotifier;

namespace tollgate::http {

class SocketWatcher;

// The readiness of every socket a thread drives (client connections, upstream connections) through
// one epoll descriptor, which is all the thread's Qt event loop watches for them.
//
// Why: a QSocketNotifier per socket puts every descriptor into the pollfd array that
// QEventDispatcherUNIX rebuilds from a hash and hands to ppoll() on every round, and the kernel
// then registers a wait on each. The cost grows with open connections, idle ones included: with
// 10,000 idle keep-alive connections open, 64 active ones got 13.6k req/s that way and 61k with epoll
// (bench.sh's machine). With epoll the kernel keeps the interest list and a round costs what is
// ready, not what is open.
//
// Level-triggered, and interest only while a watcher wants it, so SocketWatcher behaves like the
// pair of QSocketNotifiers it replaces. One per thread, made on first use, owned by the thread's
// event dispatcher (so it goes when the thread's event loop goes).
class EventPoller : public QObject
{
public:
    static EventPoller &current();
    ~EventPoller() override;

private:
    friend class SocketWatcher;
    explicit EventPoller(QObject *parent);

    // From watchers: interest changed (0 removes the descriptor from the set).
    void update(int fd, SocketWatcher *watcher, bool read, bool write, bool registered);
    void forget(int fd, bool registered);
    void dispatch();

    struct Slot
    {
        SocketWatcher *watcher = nullptr;
        std::uint32_t generation = 0;
    };
    Slot &slot(int fd);

    int m_epollFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::vector<Slot> m_slots; // by descriptor number
};

} // namespace tollgate::http
