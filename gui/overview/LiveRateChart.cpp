#include "gui/overview/LiveRateChart.h"

#include "gui/widgets/ChartPalette.h"
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace tollgate::gui {

LiveRateChart::LiveRateChart(QWidget *parent)
    : QChartView(new QChart, parent), m_requests(new QLineSeries(this)), m_errors(new QLineSeries(this)),
      m_time(new QDateTimeAxis(this)), m_rate(new QValueAxis(this))
{
    setObjectName(QStringLiteral("overviewLiveChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    QChart *c = chart();
    c->setAnimationOptions(QChart::NoAnimation);  // an animation per 2 s update would be the flicker
    c->setLocalizeNumbers(true);
    c->setMargins(QMargins(4, 4, 4, 4));
    c->legend()->setAlignment(Qt::AlignTop);
    c->addSeries(m_requests);
    c->addSeries(m_errors);
    c->addAxis(m_time, Qt::AlignBottom);
    c->addAxis(m_rate, Qt::AlignLeft);
    for (QLineSeries *series : {m_requests, m_errors}) {
        series->attachAxis(m_time);
        series->attachAxis(m_rate);
    }
    m_requests->setPen(QPen(QColor(0x15, 0x65, 0xc0), 2));
    m_requests->setColor(QColor(0x15, 0x65, 0xc0));
    m_errors->setPen(QPen(QColor(0xc6, 0x28, 0x28), 2));
    m_errors->setColor(QColor(0xc6, 0x28, 0x28));
    m_time->setFormat(QStringLiteral("HH:mm:ss"));
    m_time->setTickCount(6);
    m_rate->setLabelFormat(QStringLiteral("%.1f"));
    m_rate->setTickCount(6);  // 1, 2, 5 × 10^n tops split into round steps
    updateAxes(QDateTime::currentMSecsSinceEpoch());
    retranslate();
    followPalette(this);
}

int LiveRateChart::pointCount() const
{
    return int(m_requests->count());
}

void LiveRateChart::appendRate(const StatusPoller::Sample &from, const StatusPoller::Sample &to)
{
    const double seconds = double(to.atMs - from.atMs) / 1000.0;
    if (seconds <= 0)
        return;
    m_requests->append(double(to.atMs), qMax(0.0, (to.requests - from.requests) / seconds));
    m_errors->append(double(to.atMs), qMax(0.0, (to.errors - from.errors) / seconds));
}

void LiveRateChart::rebuild(const std::deque<StatusPoller::Sample> &history)
{
    QList<QPointF> requests, errors;
    for (size_t i = 1; i < history.size(); ++i) {
        const double seconds = double(history[i].atMs - history[i - 1].atMs) / 1000.0;
        if (seconds <= 0)
            continue;
        const double x = double(history[i].atMs);
        requests.append(QPointF(x, qMax(0.0, (history[i].requests - history[i - 1].requests) / seconds)));
        errors.append(QPointF(x, qMax(0.0, (history[i].errors - history[i - 1].errors) / seconds)));
    }
    m_requests->replace(requests);
    m_errors->replace(errors);
}

void LiveRateChart::updateFrom(const std::deque<StatusPoller::Sample> &history)
{
    const qint64 now = history.empty() ? QDateTime::currentMSecsSinceEpoch() : history.back().atMs;
    // Where the newest point's sample sits in the history; not there (a restarted gateway, a first update): all anew.
    auto last = std::find_if(history.begin(), history.end(),
                             [this](const StatusPoller::Sample &sample) { return sample.atMs == m_lastAtMs; });
    if (history.size() < 2) {
        m_requests->clear();
        m_errors->clear();
    } else if (last == history.end() || m_requests->count() == 0) {
        rebuild(history);
    } else {
        for (auto it = std::next(last); it != history.end(); ++it)
            appendRate(*std::prev(it), *it);
        // Points older than the history's second sample have no pair left in it.
        const double oldest = double(history[1].atMs);
        int stale = 0;
        while (stale < m_requests->count() && m_requests->at(stale).x() < oldest)
            ++stale;
        if (stale > 0) {
            m_requests->removePoints(0, stale);
            m_errors->removePoints(0, qMin(stale, int(m_errors->count())));
        }
    }
    m_lastAtMs = history.empty() ? 0 : history.back().atMs;
    updateAxes(now);
}

void LiveRateChart::updateAxes(qint64 nowMs)
{
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - StatusPoller::HistoryMs),
                     QDateTime::fromMSecsSinceEpoch(nowMs));
    double top = 0;
    for (QLineSeries *series : {m_requests, m_errors}) {
        const QList<QPointF> points = series->points();
        for (const QPointF &point : points)
            top = qMax(top, point.y());
    }
    // A round top with some headroom, at least 1/s, so an idle gateway shows a flat line at the bottom.
    double nice = 1;
    while (nice < top * 1.1)
        nice *= (QString::number(nice).startsWith(QLatin1Char('2')) ? 2.5 : 2);
    m_rate->setRange(0, nice);
}

void LiveRateChart::retranslate()
{
    chart()->setLocale(QLocale());
    chart()->setTitle(tr("Last 5 minutes"));
    m_requests->setName(tr("Requests/s"));
    m_errors->setName(tr("Errors/s (4xx and 5xx)"));
    m_time->setTitleText(tr("Local time"));
    m_rate->setTitleText(tr("Per second"));
    setAccessibleName(tr("Requests and errors per second over the last 5 minutes"));
}

} // namespace tollgate::gui
