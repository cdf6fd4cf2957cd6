#pragma once

#include "GatewayFixture.h"

#include <QProcess>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tollgate::test {

// A throwaway redis-server on a loopback port (no persistence), started and stopped by the test itself.
struct RedisProcess
{
    QProcess process;
    quint16 port = 0;

    ~RedisProcess() { stop(); }

    // fixedPort 0: a free one. Restarting on the same port brings "the" Redis back for the gateways.
    bool start(quint16 fixedPort = 0)
    {
        port = fixedPort ? fixedPort : freePort();
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.setStandardOutputFile(QProcess::nullDevice());
        process.start(QStringLiteral("redis-server"),
                      {QStringLiteral("--port"), QString::number(port), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                       QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"), QStringLiteral("no")});
        if (!process.waitForStarted(5000))
            return false;
        return QTest::qWaitFor([this] { return command("PING\r\n").startsWith("+PONG"); }, 10000);
    }

    void stop()
    {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(5000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(port); }

    // One inline command on its own connection; the first reply chunk ("" when Redis does not answer).
    QByteArray command(const QByteArray &inlineCommand) const
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        timeval timeout{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QByteArray reply;
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
            && ::send(fd, inlineCommand.constData(), size_t(inlineCommand.size()), MSG_NOSIGNAL) == inlineCommand.size()) {
            char buffer[4096];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n > 0)
                reply = QByteArray(buffer, n);
        }
        ::close(fd);
        return reply;
    }
};

} // namespace tollgate::test
