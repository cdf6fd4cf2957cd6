#pragma once

#include "gui/client/StatusPoller.h"

#include <QChartView>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace tollgate::gui {

// Requests/s and errors/s over the last 5 minutes, from the StatusPoller's counter samples: each point is the
// rate between two consecutive samples (a counter delta over its interval), at the later sample's local time.
// Each update appends the new points and removes those older than the history, so the series are never
// re-created, the chart does not flicker and the point count stays bounded by the poller's 5 minutes.
class LiveRateChart : public QChartView
{
    Q_OBJECT

public:
    explicit LiveRateChart(QWidget *parent = nullptr);

    // Brings the series up to date with the history (call on StatusPoller::updated).
    void updateFrom(const std::deque<StatusPoller::Sample> &history);
    QLineSeries *requestsSeries() const { return m_requests; }
    QLineSeries *errorsSeries() const { return m_errors; }
    int pointCount() const;
    void retranslate();

private:
    void rebuild(const std::deque<StatusPoller::Sample> &history);
    void appendRate(const StatusPoller::Sample &from, const StatusPoller::Sample &to);
    void updateAxes(qint64 nowMs);

    QLineSeries *m_requests;
    QLineSeries *m_errors;
    QDateTimeAxis *m_time;
    QValueAxis *m_rate;
    qint64 m_lastAtMs = 0;  // the sample of the newest point
};

} // namespace tollgate::gui
