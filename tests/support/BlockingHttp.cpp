#include "BlockingHttp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::test {

HttpTestResponse blockingRequest(quint16 port, const QByteArray &method, const QByteArray &target,
                                 const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                                 int timeoutMs)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return {};
    timeval timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    HttpTestResponse response;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0) {
        QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
            request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) == request.size()) {
            QByteArray answer;
            char buffer[8192];
            while (true) {
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0)
                    break;
                answer.append(buffer, n);
            }
            // Counted only when the whole answer arrived: head complete and as many body bytes as announced.
            HttpTestResponse parsed = HttpTestClient::parse(answer);
            const qsizetype headEnd = answer.indexOf("\r\n\r\n");
            const QByteArray length = parsed.header("content-length");
            if (headEnd >= 0 && (length.isEmpty() || answer.size() - headEnd - 4 >= length.toLongLong()))
                response = parsed;
        }
    }
    ::close(fd);
    return response;
}

} // namespace tollgate::test
