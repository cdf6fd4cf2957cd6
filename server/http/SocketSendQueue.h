#pragma once

#include <QByteArray>
#include <QList>

namespace tollgate::http {

// Output a non-blocking stream socket has not taken yet, shared by the client side (HttpConnection)
// and the upstream side (proxy::UpstreamConnection). Pieces stay as they were queued, no copy into
// one buffer; one send (or sendmsg gathering up to MaxPieces of them) takes what the kernel will.
// Knows nothing of readiness: the owner turns write interest on while the queue is not empty.
class SocketSendQueue
{
public:
    static constexpr int MaxPieces = 16;

    bool isEmpty() const { return m_bytes == 0; }
    qint64 size() const { return m_bytes; }
    // Queues bytes from offset on (the rest of a buffer a direct send() took only part of).
    void append(QByteArray bytes, qsizetype offset = 0);
    void clear();

    // One send/sendmsg of the front pieces. Returns the bytes the kernel took (0 when its buffer is
    // full), or -1 with errno set when the socket failed (the queue is left as it was). *offered: how
    // many bytes were handed over, so that a short send (the buffer is full, wait for room) shows.
    qint64 sendSome(int fd, qint64 *offered);

    // One send() of a buffer of one's own, EINTR retried, never SIGPIPE. Same results as sendSome().
    static qint64 send(int fd, const char *data, qsizetype size);

private:
    void consume(qint64 sent);

    QList<QByteArray> m_pieces;
    qsizetype m_offset = 0; // of the front piece: what an earlier send took
    qint64 m_bytes = 0;
};

} // namespace tollgate::http
