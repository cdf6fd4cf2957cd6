#pragma once

// Helpers for the Keys view tests: keys made in bulk with the real CLI, synchronous admin API reads, and a
// capture of every log message the process writes.
#include "ConsoleFixture.h"
#include "gui/client/AdminClient.h"
#include "gui/client/ApiCall.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QSignalSpy>

namespace tollgate::test {

// n keys through `tollgated keys create`, several processes at once (one by one is far too slow for 250).
// SQLite refuses a concurrent writer now and then ("database is locked": a deferred transaction that upgrades to a
// write lock gets SQLITE_BUSY without the busy timeout); such a run is simply made again.
inline bool createKeysWithCli(const ConsoleFixture &f, int n, const QString &namePrefix, const QString &tier = QStringLiteral("free"),
                              int parallel = 4)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DATABASE_URL"), f.db.url());
    QList<int> todo;
    for (int i = 0; i < n; ++i)
        todo.append(i);
    QList<QPair<int, QProcess *>> running;
    int retries = 0;
    while (!todo.isEmpty() || !running.isEmpty()) {
        while (!todo.isEmpty() && running.size() < parallel) {
            const int i = todo.takeFirst();
            auto *process = new QProcess;
            process->setProcessEnvironment(env);
            process->start(QStringLiteral(TOLLGATED_PATH),
                           {QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), QStringLiteral("user%1").arg(i % 7),
                            QStringLiteral("--name"), QStringLiteral("%1 %2").arg(namePrefix).arg(i, 3, 10, QLatin1Char('0')),
                            QStringLiteral("--tier"), tier, QStringLiteral("--json")});
            running.append({i, process});
        }
        auto [i, process] = running.takeFirst();
        const bool finished = process->waitForFinished(60000);
        const bool ok = finished && process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
        const QByteArray err = process->readAllStandardError();
        delete process;
        if (!ok) {
            if (!err.contains("locked") || ++retries > n) {
                qWarning("keys create failed: %s", err.constData());
                for (auto &other : running) {
                    other.second->waitForFinished(10000);
                    delete other.second;
                }
                return false;
            }
            todo.append(i);
        }
    }
    return true;
}

struct SyncAnswer
{
    bool ok = false;
    QJsonValue data;
    QJsonObject meta;
    gui::ApiError error;
};

inline SyncAnswer waitFor(gui::ApiCall *call, int timeoutMs = 10000)
{
    SyncAnswer answer;
    bool done = false;
    QObject::connect(call, &gui::ApiCall::succeeded, [&](const QJsonValue &data, const QJsonObject &meta) {
        answer.ok = true;
        answer.data = data;
        answer.meta = meta;
        done = true;
    });
    QObject::connect(call, &gui::ApiCall::failed, [&](const gui::ApiError &error) {
        answer.error = error;
        done = true;
    });
    QTest::qWaitFor([&] { return done; }, timeoutMs);
    return answer;
}

inline QJsonObject getKey(gui::AdminClient *client, const QString &id)
{
    return waitFor(client->get(QStringLiteral("/admin/api-keys/") + gui::AdminClient::segment(id))).data.toObject();
}

// Every message of every category (debug included), for "the raw key is in no log".
class LogCapture
{
public:
    LogCapture()
    {
        s_self = this;
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        m_previous = qInstallMessageHandler(&LogCapture::handler);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
        s_self = nullptr;
    }
    QString text() const
    {
        QMutexLocker lock(&m_mutex);
        return m_text;
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (s_self) {
            QMutexLocker lock(&s_self->m_mutex);
            s_self->m_text += QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') + message + QLatin1Char('\n');
        }
        if (type == QtFatalMsg)
            abort();
    }
    static inline LogCapture *s_self = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QString m_text;
};

} // namespace tollgate::test
