#include "server/http/HttpListener.h"

#include "server/http/HttpLogging.h"
#include "server/http/SocketAddress.h"

#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::http {

namespace {

// Back-off when accept() finds no free descriptor: long enough not to spin, short enough that
// a freed descriptor is used quickly.
constexpr int AcceptRetryMs = 75;
// Accepts per readiness notification before the event loop gets a turn (fairness to open connections).
constexpr int AcceptBatch = 64;

} // namespace

HttpListener::HttpListener(int fd, AcceptedFn accepted, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_accepted(std::move(accepted))
    , m_notifier(new QSocketNotifier(qintptr(fd), QSocketNotifier::Read, this))
{
    m_retry.setSingleShot(true);
    m_retry.setTimerType(Qt::PreciseTimer);
    m_retry.setInterval(AcceptRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &HttpListener::retry);
    connect(m_notifier, &QSocketNotifier::activated, this, &HttpListener::acceptReady);
    // Touched once here so that the EMFILE path (where even a sanitizer cannot open a pipe) only
    // calls into objects whose types have been seen before.
    m_notifier->setEnabled(true);
}

HttpListener::~HttpListener()
{
    close();
}

void HttpListener::close()
{
    m_retry.stop();
    if (m_fd < 0)
        return;
    m_notifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
}

void HttpListener::acceptReady()
{
    for (int i = 0; i < AcceptBatch && m_fd >= 0; ++i) {
        sockaddr_storage ss;
        socklen_t len = sizeof ss;
        const int fd = ::accept4(m_fd, reinterpret_cast<sockaddr *>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            m_failing = false;
            quint16 port = 0;
            const QHostAddress peer = SocketAddress::fromSockaddr(ss, &port);
            m_accepted(fd, peer, port);
            continue;
        }
        switch (errno) {
        case EAGAIN:
#if EAGAIN != EWOULDBLOCK
        case EWOULDBLOCK:
#endif
            return;
        case EINTR:
        case ECONNABORTED: // the client gave up while queued: next one
        case EPROTO:
            continue;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            // The pending connection stays in the backlog; a level-triggered notifier would spin on it.
            // Pause accepting, keep serving the open connections, try again shortly.
            if (!m_failing && (!m_lastWarning.isValid() || m_lastWarning.hasExpired(10000))) {
                qCWarning(lcTollgateHttp) << "accept() failed:" << strerror(errno)
                                          << "- serving open connections, accepting again in" << AcceptRetryMs << "ms";
                m_lastWarning.start();
            }
            m_failing = true;
            m_notifier->setEnabled(false);
            m_retry.start();
            return;
        default:
            qCWarning(lcTollgateHttp) << "accept() failed:" << strerror(errno);
            return;
        }
    }
}

void HttpListener::retry()
{
    if (m_fd < 0)
        return;
    m_notifier->setEnabled(true);
    acceptReady();
}

int HttpListener::openSocket(const QHostAddress &address, quint16 port, int backlog, bool reusePort, QString *error)
{
    const auto fail = [error](int fd, const char *what) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QLatin1StringView(what), QString::fromLocal8Bit(strerror(errno)));
        if (fd >= 0)
            ::close(fd);
        return -1;
    };

    sockaddr_storage ss;
    std::memset(&ss, 0, sizeof ss);
    socklen_t len = 0;
    bool dualStack = false;
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&ss);
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_any;
        in6->sin6_port = htons(port);
        len = sizeof *in6;
        dualStack = true;
    } else if (!SocketAddress::toSockaddr(address, port, &ss, &len)) {
        if (error)
            *error = QStringLiteral("unsupported listen address %1").arg(address.toString());
        return -1;
    }

    int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 && dualStack && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)) {
        // No IPv6 on this host: Any means IPv4 any.
        auto *in = reinterpret_cast<sockaddr_in *>(&ss);
        std::memset(&ss, 0, sizeof ss);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_ANY);
        in->sin_port = htons(port);
        len = sizeof *in;
        dualStack = false;
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    }
    if (fd < 0)
        return fail(fd, "socket");
    const int one = 1;
    const int zero = 0;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        return fail(fd, "SO_REUSEADDR");
    if (reusePort && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        return fail(fd, "SO_REUSEPORT");
    if (dualStack && ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) != 0)
        return fail(fd, "IPV6_V6ONLY");
    if (::bind(fd, reinterpret_cast<sockaddr *>(&ss), len) != 0)
        return fail(fd, "bind");
    if (backlog >= 0 && ::listen(fd, backlog) != 0)
        return fail(fd, "listen");
    return fd;
}

quint16 HttpListener::localPort(int fd)
{
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&ss), &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return ntohs(reinterpret_cast<sockaddr_in *>(&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&ss)->sin6_port);
    return 0;
}

} // namespace tollgate::http
