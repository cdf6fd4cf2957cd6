#include "server/http/SocketWatcher.h"

#include "server/http/EventPoller.h"

namespace tollgate::http {

SocketWatcher::SocketWatcher(int fd, Handler *handler, bool read, bool write)
    : m_poller(EventPoller::current()), m_handler(handler), m_fd(fd), m_read(read), m_write(write)
{
    apply();
}

SocketWatcher::~SocketWatcher()
{
    m_poller.forget(m_fd, m_registered);
}

void SocketWatcher::setReadEnabled(bool enabled)
{
    if (m_read == enabled)
        return;
    m_read = enabled;
    apply();
}

void SocketWatcher::setWriteEnabled(bool enabled)
{
    if (m_write == enabled)
        return;
    m_write = enabled;
    apply();
}

void SocketWatcher::apply()
{
    m_poller.update(m_fd, this, m_read, m_write, m_registered);
    m_registered = m_read || m_write;
}

} // namespace tollgate::http
