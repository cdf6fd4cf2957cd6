#include "core/storage/StorageWorker.h"

#include "core/storage/DatabaseConnection.h"

#include <QLoggingCategory>
#include <QMetaObject>

Q_LOGGING_CATEGORY(lcStorage, "tollgate.core.storage")

namespace tollgate {

class StorageWorker::Executor : public QObject
{
public:
    Executor(const DatabaseUrl &url, StorageWorker *owner) : m_url(url), m_owner(owner) {}

    ~Executor() override
    {
        if (!m_connectionName.isEmpty()) {
            m_db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connectionName);
        }
    }

    void execute(const Job &job)
    {
        StorageError openError(StorageError::Kind::Unavailable, QString());
        const bool open = ensureOpen(&openError);
        const bool ok = job(open ? &m_db : nullptr, open ? nullptr : &openError);
        if (open && !ok && !DatabaseConnection::stillAlive(m_db)) {
            // The server went away under us; drop the connection so the next job reconnects.
            qCWarning(lcStorage) << "database connection lost:" << m_url.redacted();
            m_db.close();
            setAvailable(false);
        }
    }

private:
    bool ensureOpen(StorageError *error)
    {
        if (m_db.isValid() && m_db.isOpen())
            return true;
        if (m_connectionName.isEmpty())
            m_connectionName = QStringLiteral("tollgate-storage-%1").arg(quintptr(this), 0, 16);
        QString why;
        if (!DatabaseConnection::open(m_url, m_connectionName, &m_db, &why)) {
            *error = StorageError(StorageError::Kind::Unavailable, QStringLiteral("database unavailable: ") + why);
            setAvailable(false);
            return false;
        }
        setAvailable(true);
        return true;
    }

    void setAvailable(bool available)
    {
        if (m_owner->m_available.exchange(available) != available) {
            if (available)
                qCInfo(lcStorage) << "database connected:" << m_url.redacted();
            QMetaObject::invokeMethod(m_owner, [owner = m_owner, available] {
                Q_EMIT owner->availabilityChanged(available);
            }, Qt::QueuedConnection);
        }
    }

    DatabaseUrl m_url;
    StorageWorker *m_owner;
    QString m_connectionName;
    QSqlDatabase m_db;
};

StorageWorker::StorageWorker(DatabaseUrl url, QObject *parent)
    : QObject(parent), m_url(std::move(url))
{
    m_thread.setObjectName(QStringLiteral("tollgate-storage"));
    m_executor = new Executor(m_url, this);
    m_executor->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_executor, &QObject::deleteLater);
    m_thread.start();
}

StorageWorker::~StorageWorker()
{
    // quit() is queued behind every posted job, so they all run before the thread ends.
    QMetaObject::invokeMethod(m_executor, [thread = &m_thread] { thread->quit(); }, Qt::QueuedConnection);
    m_thread.wait();
}

void StorageWorker::post(Job job)
{
    QMetaObject::invokeMethod(m_executor, [executor = m_executor, job = std::move(job)] {
        executor->execute(job);
    }, Qt::QueuedConnection);
}

} // namespace tollgate
