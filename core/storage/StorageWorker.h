#pragma once

#include "core/config/DatabaseUrl.h"
#include "core/storage/StorageError.h"
#include "core/util/PromiseHome.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QSqlDatabase>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace tollgate {

// Owns the one database connection of this process on its own thread and runs jobs on it in order,
// as qBittorrent's DBResumeDataStorage::Worker does. Callers get a QFuture and never wait on the
// event loop; a job that throws StorageError fails its future. The connection is (re)opened lazily,
// so the database may be away at start-up and come back later.
class StorageWorker : public QObject
{
    Q_OBJECT

public:
    explicit StorageWorker(DatabaseUrl url, QObject *parent = nullptr);
    // Runs every job already queued, then closes the connection.
    ~StorageWorker() override;

    template<typename T>
    QFuture<T> run(std::function<T(QSqlDatabase &)> job)
    {
        auto promise = std::make_shared<QPromise<T>>();
        QFuture<T> future = promise->future();
        promise->start();
        post([promise, job = std::move(job), home = PromiseHome()](QSqlDatabase *db, const StorageError *openError) {
            bool ok = true;
            try {
                if (openError)
                    throw *openError;
                if constexpr (std::is_void_v<T>)
                    job(*db);
                else
                    promise->addResult(job(*db));
            } catch (const StorageError &) {
                ok = false;
                promise->setException(std::current_exception());
            } catch (const std::exception &e) {
                ok = false;
                promise->setException(std::make_exception_ptr(
                    StorageError(StorageError::Kind::Failed, QString::fromUtf8(e.what()))));
            }
            home.finish(promise);
            return ok;
        });
        return future;
    }

    const DatabaseUrl &url() const { return m_url; }
    // True while the last attempt to reach the database worked (for /health/ready).
    bool isAvailable() const { return m_available.load(); }

Q_SIGNALS:
    void availabilityChanged(bool available);

private:
    // Returns false when the job failed, so the executor can check whether the connection is still alive.
    using Job = std::function<bool(QSqlDatabase *, const StorageError *)>;
    void post(Job job);

    class Executor;
    DatabaseUrl m_url;
    QThread m_thread;
    Executor *m_executor = nullptr;
    std::atomic<bool> m_available{false};
};

} // namespace tollgate
