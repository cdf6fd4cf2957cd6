#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class QSocketNotifier;

namespace tollgate::http {

// A non-blocking listening socket and its accept loop, in the thread that creates it.
// Running out of file descriptors never stops it: it pauses for a moment and tries again, and the
// connections already open keep being served meanwhile.
class HttpListener : public QObject
{
public:
    using AcceptedFn = std::function<void(int fd, const QHostAddress &peer, quint16 peerPort)>;

    // Takes ownership of a listening fd made by openSocket().
    HttpListener(int fd, AcceptedFn accepted, QObject *parent = nullptr);
    ~HttpListener() override;

    // Stops accepting and closes the socket.
    void close();

    // socket, SO_REUSEADDR (+ SO_REUSEPORT when shared by several threads), bind, listen.
    // Any and "::" listen dual-stack (IPv4 clients too). Returns the fd or -1 with *error set.
    // A negative backlog binds without listening (a probe whether the port is free).
    static int openSocket(const QHostAddress &address, quint16 port, int backlog, bool reusePort, QString *error);
    static quint16 localPort(int fd);

private:
    void acceptReady();
    void retry();

    int m_fd;
    AcceptedFn m_accepted;
    QSocketNotifier *m_notifier;
    QTimer m_retry;
    bool m_failing = false;
    QElapsedTimer m_lastWarning; // one warning per 10 s while descriptors stay short
};

} // namespace tollgate::http
