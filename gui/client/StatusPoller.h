#pragma once

#include "gui/client/ApiError.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

namespace tollgate::gui {

class AdminClient;
class ApiCall;

// Polls GET /admin/status every 2 s and keeps the last 5 minutes of its monotonic counters, from which the
// console derives live rates (requests/s, error share) for the status bar and the Overview chart. While the
// gateway cannot be reached it retries with backoff (2, 4, 8 … 30 s) instead of every 2 s, and says so.
class StatusPoller : public QObject
{
    Q_OBJECT

public:
    struct Sample
    {
        qint64 atMs = 0;          // local monotonic-ish wall clock of the answer
        double requests = 0;      // counters.requests.total
        double errors = 0;        // counters.requests 5xx + 4xx answered by the gateway
        double serverErrors = 0;  // 5xx only
        double creditsCharged = 0;
        double inFlight = 0;
    };

    explicit StatusPoller(AdminClient *client, QObject *parent = nullptr);

    void start();
    void stop();
    // Ask now (F5, or the banner's Retry), whatever the backoff says.
    void pollNow();

    const QJsonObject &status() const { return m_status; }
    bool hasStatus() const { return !m_status.isEmpty(); }
    const std::deque<Sample> &history() const { return m_history; }
    // Over the last ~10 s of samples; 0 until two samples exist.
    double requestsPerSecond() const;
    double errorShare() const;  // 0…1 of the requests in the same span
    bool isReachable() const { return m_reachable; }
    int retryInSeconds() const;

    static constexpr int IntervalMs = 2000;
    static constexpr qint64 HistoryMs = 5 * 60 * 1000;

Q_SIGNALS:
    void updated();
    void reachabilityChanged(bool reachable, const QString &message);

private:
    void poll();
    void onStatus(const QJsonObject &status);
    void onFailure(const ApiError &error);
    void schedule(int ms);
    const Sample &rateSpanStart() const;

    AdminClient *m_client;
    QTimer m_timer;
    QPointer<ApiCall> m_inFlight;
    QJsonObject m_status;
    std::deque<Sample> m_history;
    bool m_reachable = true;
    int m_backoffMs = IntervalMs;
    qint64 m_nextPollMs = 0;
};

} // namespace tollgate::gui
