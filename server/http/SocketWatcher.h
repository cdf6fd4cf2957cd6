#pragma once

namespace tollgate::http {

class EventPoller;

// One non-blocking socket's read and write readiness, through the thread's EventPoller: the
// interface of two QSocketNotifiers (enable, disable, a callback each), at the cost of an epoll_ctl
// when interest changes rather than a pollfd in every event-loop round.
//
// Destroy it before closing the descriptor (its number may come back with the next socket).
// Destroying it from inside its own callback is allowed.
class SocketWatcher
{
public:
    class Handler
    {
    public:
        virtual void socketReadable() = 0;
        virtual void socketWritable() = 0;

    protected:
        ~Handler() = default;
    };

    SocketWatcher(int fd, Handler *handler, bool read, bool write);
    ~SocketWatcher();
    SocketWatcher(const SocketWatcher &) = delete;
    SocketWatcher &operator=(const SocketWatcher &) = delete;

    bool readEnabled() const { return m_read; }
    bool writeEnabled() const { return m_write; }
    void setReadEnabled(bool enabled);
    void setWriteEnabled(bool enabled);

private:
    friend class EventPoller;
    void apply();

    EventPoller &m_poller;
    Handler *m_handler;
    int m_fd;
    bool m_read;
    bool m_write;
    bool m_registered = false; // in the epoll set (only while some interest is on)
};

} // namespace tollgate::http
