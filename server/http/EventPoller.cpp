#include "server/http/EventPoller.h"

#include "server/http/HttpLogging.h"
#include "server/http/SocketWatcher.h"

#include <QAbstractEventDispatcher>
#include <QPointer>
#include <QSocketNotifier>

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tollgate::http {

namespace {

constexpr int MaxEventsPerRound = 256;

std::uint64_t key(int fd, std::uint32_t generation)
{
    return (std::uint64_t(generation) << 32) | std::uint32_t(fd);
}

} // namespace

EventPoller &EventPoller::current()
{
    thread_local QPointer<EventPoller> poller;
    if (!poller)
        poller = new EventPoller(QAbstractEventDispatcher::instance());
    return *poller;
}

EventPoller::EventPoller(QObject *parent) : QObject(parent), m_epollFd(::epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epollFd < 0)
        qFatal("epoll_create1 failed: %s", std::strerror(errno));
    m_notifier = new QSocketNotifier(qintptr(m_epollFd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &EventPoller::dispatch);
}

EventPoller::~EventPoller()
{
    delete m_notifier;
    ::close(m_epollFd);
}

EventPoller::Slot &EventPoller::slot(int fd)
{
    if (size_t(fd) >= m_slots.size())
        m_slots.resize(qMax(size_t(fd) + 1, m_slots.size() * 2));
    return m_slots[size_t(fd)];
}

void EventPoller::update(int fd, SocketWatcher *watcher, bool read, bool write, bool registered)
{
    Slot &s = slot(fd);
    if (s.watcher != watcher) {
        // A new watcher for this number: events still queued for the old one must not reach it.
        ++s.generation;
        s.watcher = watcher;
    }
    if (!read && !write) {
        // Out of the set rather than registered with no interest: epoll reports hang-ups and errors
        // regardless, and level-triggered that would be reported on every round.
        if (registered)
            ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
        return;
    }
    epoll_event event = {};
    event.events = (read ? EPOLLIN : 0u) | (write ? EPOLLOUT : 0u);
    event.data.u64 = key(fd, s.generation);
    if (::epoll_ctl(m_epollFd, registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0)
        qCWarning(lcTollgateHttp) << "epoll_ctl on descriptor" << fd << "failed:" << std::strerror(errno);
}

void EventPoller::forget(int fd, bool registered)
{
    if (registered)
        ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
    Slot &s = slot(fd);
    s.watcher = nullptr;
    ++s.generation;
}

void EventPoller::dispatch()
{
    epoll_event events[MaxEventsPerRound];
    const int count = ::epoll_wait(m_epollFd, events, MaxEventsPerRound, 0);
    for (int i = 0; i < count; ++i) {
        const int fd = int(std::uint32_t(events[i].data.u64));
        const auto generation = std::uint32_t(events[i].data.u64 >> 32);
        const std::uint32_t ready = events[i].events;
        // As QEventDispatcherUNIX maps poll() results onto read and write notifiers.
        const bool readable = ready & (EPOLLIN | EPOLLHUP | EPOLLERR);
        const bool writable = ready & (EPOLLOUT | EPOLLHUP | EPOLLERR);
        // Looked up afresh before each call: a callback may destroy any watcher, its own included.
        const auto live = [&]() -> SocketWatcher * {
            const Slot &s = m_slots[size_t(fd)];
            return s.generation == generation ? s.watcher : nullptr;
        };
        if (SocketWatcher *watcher = live(); watcher && readable && watcher->readEnabled())
            watcher->m_handler->socketReadable();
        if (SocketWatcher *watcher = live(); watcher && writable && watcher->writeEnabled())
            watcher->m_handler->socketWritable();
    }
}

} // namespace tollgate::http
