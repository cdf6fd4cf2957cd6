#include "server/http/SocketSendQueue.h"

#include <cerrno>

#include <sys/socket.h>
#include <sys/uio.h>

namespace tollgate::http {

void SocketSendQueue::append(QByteArray bytes, qsizetype offset)
{
    if (offset >= bytes.size())
        return;
    if (m_pieces.isEmpty()) {
        m_offset = offset; // no copy: the offset skips what was sent
    } else if (offset > 0) {
        bytes = bytes.sliced(offset); // only the front piece has an offset
    }
    m_bytes += bytes.size() - (m_pieces.isEmpty() ? offset : 0);
    m_pieces.append(std::move(bytes));
}

void SocketSendQueue::clear()
{
    m_pieces.clear();
    m_offset = 0;
    m_bytes = 0;
}

qint64 SocketSendQueue::send(int fd, const char *data, qsizetype size)
{
    for (;;) {
        const ssize_t n = ::send(fd, data, size_t(size), MSG_NOSIGNAL);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
}

qint64 SocketSendQueue::sendSome(int fd, qint64 *offered)
{
    *offered = 0;
    if (m_pieces.isEmpty())
        return 0;
    if (m_pieces.size() == 1) {
        const QByteArray &piece = m_pieces.constFirst();
        *offered = piece.size() - m_offset;
        const qint64 sent = send(fd, piece.constData() + m_offset, piece.size() - m_offset);
        if (sent > 0)
            consume(sent);
        return sent;
    }
    iovec pieces[MaxPieces];
    int count = 0;
    for (const QByteArray &piece : std::as_const(m_pieces)) {
        if (count == MaxPieces)
            break;
        const qsizetype skip = count == 0 ? m_offset : 0;
        pieces[count].iov_base = const_cast<char *>(piece.constData() + skip);
        pieces[count].iov_len = size_t(piece.size() - skip);
        *offered += qint64(pieces[count].iov_len);
        ++count;
    }
    msghdr message{};
    message.msg_iov = pieces;
    message.msg_iovlen = size_t(count);
    ssize_t sent;
    do {
        sent = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    consume(sent);
    return sent;
}

void SocketSendQueue::consume(qint64 sent)
{
    m_bytes -= sent;
    while (sent > 0) {
        const qint64 rest = m_pieces.constFirst().size() - m_offset;
        if (sent < rest) {
            m_offset += qsizetype(sent);
            return;
        }
        sent -= rest;
        m_pieces.removeFirst();
        m_offset = 0;
    }
}

} // namespace tollgate::http
