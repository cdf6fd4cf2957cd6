#pragma once

#include "core/auth/JwkSet.h"
#include "core/util/Clock.h"

#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <QReadWriteLock>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace tollgate::auth {

// The auth service's signing keys, fetched from its JWKS URL and kept in memory. Fetching is
// asynchronous (QNetworkAccessManager on this object's thread, normally the main thread); readers on
// any thread only ever take a shared_ptr snapshot under a read lock, so an unreachable JWKS never
// blocks a request: it keeps the last good keys, or has none and verification says "jwks_unavailable".
//
// Fetches: start(); then every refreshIntervalMs after a success, every minFetchGapMs after a failure;
// and on demand (an unknown kid), but never sooner than minFetchGapMs after the previous fetch began, so
// tokens with made-up kids cannot make us hammer the auth service. Due times are read from the injected
// Clock, checked every pollIntervalMs, so tests drive the five minutes with a ManualClock.
class JwksCache : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qint64 refreshIntervalMs = 5 * 60 * 1000;
        qint64 minFetchGapMs = 30 * 1000;
        int pollIntervalMs = 1000;
        int fetchTimeoutMs = 10 * 1000;
        qint64 maxBodyBytes = 1024 * 1024;
    };

    JwksCache(QUrl url, std::shared_ptr<const Clock> clock, QObject *parent = nullptr);
    JwksCache(QUrl url, std::shared_ptr<const Clock> clock, Options options, QObject *parent = nullptr);
    ~JwksCache() override;

    // This object's thread: first fetch and the refresh timer.
    void start();

    // Any thread.
    std::shared_ptr<const JwkSet> snapshot() const;
    std::shared_ptr<const Jwk> find(const QString &kid) const;
    bool hasKeys() const;
    // Fetch again unless a fetch is running or began less than minFetchGapMs ago; returns at once.
    void requestRefresh();
    // Same, and a future for the key set once that fetch has finished (successful or not); the current
    // set when no fetch may start yet. Each call gets its own future (a Qt 6.4 QFuture runs only its last
    // continuation). Any continuation runs on this object's thread, or the caller's if already finished.
    QFuture<std::shared_ptr<const JwkSet>> refreshAsync();

    QUrl url() const { return m_url; }

Q_SIGNALS:
    // After every fetch: ok = the key set was replaced by a freshly fetched one.
    void refreshed(bool ok);

private:
    void poll();
    void onDemand();
    void fetch();
    void finishFetch(QNetworkReply *reply);
    void publish(std::shared_ptr<const JwkSet> set);
    void answerWaiters();

    const QUrl m_url;
    const std::shared_ptr<const Clock> m_clock;
    const Options m_options;

    // This object's thread only.
    QNetworkAccessManager *m_network = nullptr;
    QNetworkReply *m_reply = nullptr;
    QTimer m_timer;
    qint64 m_lastFetchStartMs = 0;
    bool m_everFetched = false;
    bool m_lastFetchOk = false;
    int m_failuresInRow = 0;

    mutable QReadWriteLock m_lock;
    std::shared_ptr<const JwkSet> m_set;

    QMutex m_waitMutex;
    QList<std::shared_ptr<QPromise<std::shared_ptr<const JwkSet>>>> m_waiters;
    std::atomic<bool> m_demandQueued{false};
};

} // namespace tollgate::auth
