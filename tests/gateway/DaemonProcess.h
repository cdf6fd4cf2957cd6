#pragma once

#include "GatewayFixture.h"
#include "HttpTestClient.h"

#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTest>

namespace tollgate::test {

// The real `tollgated serve` as a child process on a loopback port, for tests of what only a whole process
// shows: signals, kill -9, its memory.
struct DaemonProcess
{
    QProcess process;
    quint16 port = 0;
    QString stdoutFile;  // where its stdout (logs, access log) goes; empty: nowhere
    bool withOpsPort = false;  // OPS_PORT on a free port of its own (then opsPort), where readiness is asked
    quint16 opsPort = 0;
    bool accessLogOff = true;  // ACCESS_LOG=off in its environment (which would hide a config file's ACCESS_LOG)

    ~DaemonProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

    // QProcess::waitForFinished() says false for a process that already ended while an event loop ran.
    bool waitForExit(int timeoutMs)
    {
        return process.state() == QProcess::NotRunning || process.waitForFinished(timeoutMs);
    }

    // environment: extra "NAME=value" settings. An empty databaseUrl leaves DATABASE_URL to its default.
    // arguments: after `serve`, e.g. --config FILE.
    bool start(const QString &databaseUrl, const QByteArray &upstreamUrl, const QStringList &environment = {},
               const QStringList &arguments = {})
    {
        port = freePort();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (databaseUrl.isEmpty())
            env.remove(QStringLiteral("DATABASE_URL"));  // the default: sqlite in $STATE_DIRECTORY or the app-data dir
        else
            env.insert(QStringLiteral("DATABASE_URL"), databaseUrl);
        env.insert(QStringLiteral("PORT"), QString::number(port));
        if (withOpsPort) {
            do
                opsPort = freePort();
            while (opsPort == port);
            env.insert(QStringLiteral("OPS_PORT"), QString::number(opsPort));
        }
        env.insert(QStringLiteral("LISTEN_ADDRESS"), QStringLiteral("127.0.0.1"));
        env.insert(QStringLiteral("SEARCH_SERVICE_URL"), QString::fromLatin1(upstreamUrl));
        if (accessLogOff)
            env.insert(QStringLiteral("ACCESS_LOG"), QStringLiteral("off"));
        else
            env.remove(QStringLiteral("ACCESS_LOG"));
        for (const QString &pair : environment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.setStandardOutputFile(stdoutFile.isEmpty() ? QProcess::nullDevice() : stdoutFile, QIODevice::Append);
        process.start(QStringLiteral(TOLLGATED_PATH), QStringList{QStringLiteral("serve")} + arguments);
        if (!process.waitForStarted())
            return false;
        const HttpTestClient client(withOpsPort ? opsPort : port);
        return QTest::qWaitFor([&] { return client.send({"GET", "/health/ready", {}, {}}, 1000).status == 200; }, 15000);
    }

    // What it wrote to stdout so far (with stdoutFile set): its log lines.
    QByteArray stdoutText() const
    {
        QFile log(stdoutFile);
        return log.open(QIODevice::ReadOnly) ? log.readAll() : QByteArray();
    }
    // Replaces a file's content (a config file, before a SIGHUP); false when it cannot be written.
    static bool writeFile(const QString &path, const QByteArray &text)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
    }

    QString residentSplit() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
        status.open(QIODevice::ReadOnly);
        QString out;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("RssAnon") || line.startsWith("RssFile"))
                out += QString::fromLatin1(line.simplified()) + QLatin1Char(' ');
        }
        return out;
    }
    // Resident memory in bytes (VmRSS), 0 when the process is gone.
    qint64 residentBytes() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
        if (!status.open(QIODevice::ReadOnly))
            return 0;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
        }
        return 0;
    }
};

} // namespace tollgate::test
