#pragma once

#include <hiredis/hiredis.h>

#include <QByteArrayList>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

#include <memory>

#include <signal.h>

namespace tollgate::test {

// A real redis-server of the test's own on a random loopback port, with nothing saved; stopped (or killed, or
// restarted on the same port) by the test, and always stopped with the object.
class RedisTestServer
{
public:
    // With a password, the server requires AUTH and command() sends it.
    explicit RedisTestServer(QByteArray password = {}) : m_password(std::move(password))
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
    }
    ~RedisTestServer() { kill(); }

    bool start()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->setStandardOutputFile(QProcess::nullDevice());
        QStringList args{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"), QStringLiteral("no")};
        if (!m_password.isEmpty())
            args << QStringLiteral("--requirepass") << QString::fromLatin1(m_password);
        m_process->start(QStringLiteral("redis-server"), args);
        if (!m_process->waitForStarted(5000))
            return false;
        return QTest::qWaitFor([this] { return command({"PING"}) == "PONG"; }, 5000);
    }
    // SIGKILL: gone at once, as a crashed Redis would be.
    void kill()
    {
        if (!m_process)
            return;
        m_process->kill();
        m_process->waitForFinished(5000);
        m_process.reset();
    }
    // SIGSTOP / SIGCONT: a Redis that keeps its connections open but answers nothing (a hung host).
    void freeze(bool frozen)
    {
        if (m_process)
            ::kill(pid_t(m_process->processId()), frozen ? SIGSTOP : SIGCONT);
    }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }

    // One blocking command over its own connection (tests only); the reply as text, an integer as its digits,
    // an error as "ERR …"; empty when Redis cannot be reached.
    QByteArray command(const QByteArrayList &argv, int db = 0) const
    {
        const timeval timeout{1, 0};
        redisContext *c = redisConnectWithTimeout("127.0.0.1", m_port, timeout);
        if (!c || c->err) {
            if (c)
                redisFree(c);
            return {};
        }
        auto simple = [c](const char *text) { freeReplyObject(redisCommand(c, text)); };
        if (!m_password.isEmpty())
            freeReplyObject(redisCommand(c, "AUTH %b", m_password.constData(), size_t(m_password.size())));
        if (db != 0)
            simple(QByteArray("SELECT " + QByteArray::number(db)).constData());
        std::vector<const char *> parts;
        std::vector<size_t> sizes;
        for (const QByteArray &arg : argv) {
            parts.push_back(arg.constData());
            sizes.push_back(size_t(arg.size()));
        }
        auto *reply = static_cast<redisReply *>(redisCommandArgv(c, int(parts.size()), parts.data(), sizes.data()));
        QByteArray out;
        if (reply) {
            if (reply->type == REDIS_REPLY_INTEGER)
                out = QByteArray::number(reply->integer);
            else if (reply->str)
                out = QByteArray(reply->str, int(reply->len));
            else if (reply->type == REDIS_REPLY_ARRAY) {
                QByteArrayList items;
                for (size_t i = 0; i < reply->elements; ++i) {
                    const redisReply *item = reply->element[i];
                    items.append(item->type == REDIS_REPLY_INTEGER ? QByteArray::number(item->integer)
                                                                   : QByteArray(item->str, item->str ? int(item->len) : 0));
                }
                out = items.join(',');
            }
            freeReplyObject(reply);
        }
        redisFree(c);
        return out;
    }

private:
    QByteArray m_password;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

} // namespace tollgate::test
