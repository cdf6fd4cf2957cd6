#include "gui/client/StatusPoller.h"

#include "gui/client/AdminClient.h"

#include <QDateTime>

namespace tollgate::gui {

namespace {

constexpr int MaxBackoffMs = 30000;
constexpr qint64 RateSpanMs = 10000;

double number(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toDouble();
}

} // namespace

StatusPoller::StatusPoller(AdminClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &StatusPoller::poll);
}

void StatusPoller::start()
{
    if (!m_timer.isActive() && !m_inFlight)
        poll();
}

void StatusPoller::stop()
{
    m_timer.stop();
    if (m_inFlight)
        m_inFlight->abort();
}

void StatusPoller::pollNow()
{
    m_timer.stop();
    if (!m_inFlight)
        poll();
}

void StatusPoller::poll()
{
    ApiCall *call = m_client->get(QStringLiteral("/admin/status"));
    m_inFlight = call;
    connect(call, &ApiCall::succeeded, this, [this](const QJsonValue &data) { onStatus(data.toObject()); });
    connect(call, &ApiCall::failed, this, &StatusPoller::onFailure);
}

void StatusPoller::onStatus(const QJsonObject &status)
{
    m_status = status;
    const QJsonObject counters = status.value(QStringLiteral("counters")).toObject();
    const QJsonObject requests = counters.value(QStringLiteral("requests")).toObject();
    Sample sample;
    sample.atMs = QDateTime::currentMSecsSinceEpoch();
    sample.requests = number(requests, "total");
    sample.serverErrors = number(requests, "5xx");
    sample.errors = sample.serverErrors + number(requests, "4xx");
    sample.creditsCharged = number(counters, "creditsCharged");
    sample.inFlight = number(counters, "inFlight");
    // A restarted gateway starts its counters at zero again: the old history no longer adds up.
    if (!m_history.empty() && sample.requests < m_history.back().requests)
        m_history.clear();
    m_history.push_back(sample);
    while (!m_history.empty() && m_history.front().atMs < sample.atMs - HistoryMs)
        m_history.pop_front();

    m_backoffMs = IntervalMs;
    if (!m_reachable) {
        m_reachable = true;
        Q_EMIT reachabilityChanged(true, {});
    }
    Q_EMIT updated();
    schedule(IntervalMs);
}

void StatusPoller::onFailure(const ApiError &error)
{
    if (error.isAborted())
        return;
    if (error.isConnectionProblem() || error.status == 401) {
        const bool changed = m_reachable;
        m_reachable = false;
        if (changed)
            m_backoffMs = IntervalMs;
        else
            m_backoffMs = qMin(m_backoffMs * 2, MaxBackoffMs);
        Q_EMIT reachabilityChanged(false, error.message);
        schedule(m_backoffMs);
        return;
    }
    schedule(IntervalMs);
}

void StatusPoller::schedule(int ms)
{
    m_nextPollMs = QDateTime::currentMSecsSinceEpoch() + ms;
    m_timer.start(ms);
}

int StatusPoller::retryInSeconds() const
{
    return int(qMax<qint64>(0, (m_nextPollMs - QDateTime::currentMSecsSinceEpoch() + 999) / 1000));
}

const StatusPoller::Sample &StatusPoller::rateSpanStart() const
{
    // The oldest sample within RateSpanMs of the newest; history has at least two samples.
    const Sample &last = m_history.back();
    auto first = m_history.rbegin();
    while (std::next(first) != m_history.rend() && last.atMs - std::next(first)->atMs <= RateSpanMs)
        ++first;
    return *first;
}

double StatusPoller::requestsPerSecond() const
{
    if (m_history.size() < 2)
        return 0;
    const Sample &first = rateSpanStart();
    const double seconds = (m_history.back().atMs - first.atMs) / 1000.0;
    return seconds > 0 ? (m_history.back().requests - first.requests) / seconds : 0;
}

double StatusPoller::errorShare() const
{
    if (m_history.size() < 2)
        return 0;
    const Sample &first = rateSpanStart();
    const double requests = m_history.back().requests - first.requests;
    return requests > 0 ? (m_history.back().errors - first.errors) / requests : 0;
}

} // namespace tollgate::gui
