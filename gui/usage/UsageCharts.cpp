#include "gui/usage/UsageCharts.h"

#include "gui/widgets/ChartPalette.h"
#include "gui/usage/UsageModel.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QHash>
#include <QLineSeries>
#include <QLocale>
#include <QPen>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace tollgate::gui {

namespace {

// Outcomes keep their colours whatever else is shown: green is charged, red the upstream's fault, the refusals
// in warm colours, the caller's own errors in greys.
QColor outcomeColor(const QString &id)
{
    static const QHash<QString, QColor> colors{
        {QStringLiteral("ok"), QColor(0x2e, 0x7d, 0x32)},
        {QStringLiteral("upstreamError"), QColor(0xc6, 0x28, 0x28)},
        {QStringLiteral("rateLimited"), QColor(0xef, 0x6c, 0x00)},
        {QStringLiteral("insufficientCredits"), QColor(0x6a, 0x1b, 0x9a)},
        {QStringLiteral("forbidden"), QColor(0x8d, 0x6e, 0x63)},
        {QStringLiteral("clientError"), QColor(0xf9, 0xa8, 0x25)},
        {UsageModel::unclassifiedId(), QColor(0x90, 0x90, 0x90)},
    };
    return colors.value(id, QColor(0x60, 0x7d, 0x8b));
}

QColor endpointColor(int index)
{
    static const QList<QColor> colors{QColor(0x15, 0x65, 0xc0), QColor(0x00, 0x89, 0x7b), QColor(0xf5, 0x7c, 0x00),
                                      QColor(0x8e, 0x24, 0xaa), QColor(0x6d, 0x4c, 0x41), QColor(0xc2, 0x18, 0x5b),
                                      QColor(0x7c, 0xb3, 0x42), QColor(0x54, 0x6e, 0x7a)};
    return colors[index % colors.size()];
}

// A round upper bound for an axis: 1, 2, 5 × 10^n, never below `floor`.
double niceMax(double value, double floor)
{
    if (value <= floor)
        return floor;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

QChart *makeChart()
{
    auto *chart = new QChart;
    chart->setLocalizeNumbers(true);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    // Legends on top, so both plot areas get the same width and the days of the two charts line up.
    chart->legend()->setAlignment(Qt::AlignTop);
    return chart;
}

} // namespace

UsageCharts::UsageCharts(UsageModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_requestsView(new QChartView(makeChart(), this)),
      m_detailView(new QChartView(makeChart(), this)), m_bars(new QStackedBarSeries(this)), m_credits(new QLineSeries(this)),
      m_latency(new QLineSeries(this)), m_barDays(new QCategoryAxis(this)), m_lineDays(new QCategoryAxis(this)),
      m_requestsAxis(new QValueAxis(this)), m_requestsRight(new QValueAxis(this)), m_creditsAxis(new QValueAxis(this)), m_latencyAxis(new QValueAxis(this))
{
    m_requestsView->setObjectName(QStringLiteral("usageRequestsChart"));
    m_detailView->setObjectName(QStringLiteral("usageDetailChart"));
    for (QChartView *view : {m_requestsView, m_detailView}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(160);
    }

    QChart *requests = m_requestsView->chart();
    requests->addSeries(m_bars);
    requests->addAxis(m_barDays, Qt::AlignBottom);
    requests->addAxis(m_requestsAxis, Qt::AlignLeft);
    m_bars->attachAxis(m_barDays);
    m_bars->attachAxis(m_requestsAxis);
    m_bars->setBarWidth(0.8);
    m_requestsAxis->setLabelFormat(QStringLiteral("%.0f"));
    // The requests scale again on the right: readable from both sides, and as wide as the latency axis below.
    requests->addAxis(m_requestsRight, Qt::AlignRight);
    m_bars->attachAxis(m_requestsRight);
    m_requestsRight->setLabelFormat(QStringLiteral("%.0f"));
    m_requestsRight->setGridLineVisible(false);

    QChart *detail = m_detailView->chart();
    detail->addSeries(m_credits);
    detail->addSeries(m_latency);
    detail->addAxis(m_lineDays, Qt::AlignBottom);
    detail->addAxis(m_creditsAxis, Qt::AlignLeft);
    detail->addAxis(m_latencyAxis, Qt::AlignRight);
    m_credits->attachAxis(m_lineDays);
    m_credits->attachAxis(m_creditsAxis);
    m_latency->attachAxis(m_lineDays);
    m_latency->attachAxis(m_latencyAxis);
    m_credits->setPointsVisible(true);
    m_credits->setPen(QPen(QColor(0x15, 0x65, 0xc0), 2));
    m_credits->setColor(QColor(0x15, 0x65, 0xc0));
    QPen latencyPen(QColor(0xef, 0x6c, 0x00), 2, Qt::DashLine);
    m_latency->setPen(latencyPen);
    m_latency->setColor(latencyPen.color());
    m_latency->setPointsVisible(true);
    m_creditsAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_latencyAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_creditsAxis->setLinePenColor(m_credits->color());
    m_latencyAxis->setLinePenColor(m_latency->color());
    m_latencyAxis->setGridLineVisible(false);

    for (QCategoryAxis *axis : {m_barDays, m_lineDays}) {
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        axis->setGridLineVisible(false);
    }

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_requestsView, 3);
    layout->addWidget(m_detailView, 2);

    connect(m_model, &QAbstractItemModel::modelReset, this, &UsageCharts::rebuild);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &UsageCharts::updateValues);
    connect(m_bars, &QStackedBarSeries::hovered, this, &UsageCharts::showBarTip);
    retranslate();
    rebuild();
    followPalette(m_requestsView);
    followPalette(m_detailView);
}

QChart *UsageCharts::requestsChart() const
{
    return m_requestsView->chart();
}

QChart *UsageCharts::detailChart() const
{
    return m_detailView->chart();
}

void UsageCharts::rebuild()
{
    m_bars->clear();  // deletes the old sets
    for (int series = 0; series < m_model->seriesCount(); ++series) {
        auto *set = new QBarSet(m_model->seriesName(series));
        const QColor color = m_model->grouping() == UsageModel::Grouping::Outcome ? outcomeColor(m_model->seriesId(series))
                                                                                  : endpointColor(series);
        set->setColor(color);
        set->setBorderColor(color.darker(115));
        for (int row = 0; row < m_model->days(); ++row)
            set->append(double(m_model->requests(row, series)));
        m_bars->append(set);
    }
    updateDayAxes();
    updateValues();
}

void UsageCharts::updateValues()
{
    const QList<QBarSet *> sets = m_bars->barSets();
    double maxRequests = 0, maxCredits = 0, maxLatency = 0;
    QList<QPointF> credits, latency;
    for (int row = 0; row < m_model->days(); ++row) {
        for (int series = 0; series < m_model->seriesCount() && series < sets.size(); ++series) {
            const double value = double(m_model->requests(row, series));
            if (sets[series]->at(row) != value)
                sets[series]->replace(row, value);
        }
        maxRequests = qMax(maxRequests, double(m_model->totalRequests(row)));
        maxCredits = qMax(maxCredits, double(m_model->credits(row)));
        maxLatency = qMax(maxLatency, m_model->avgLatencyMs(row));
        credits.append(QPointF(row, double(m_model->credits(row))));
        // A day without requests has no latency: no point, rather than a dip to 0 ms that never happened.
        if (m_model->totalRequests(row) > 0)
            latency.append(QPointF(row, m_model->avgLatencyMs(row)));
    }
    m_credits->replace(credits);
    m_latency->replace(latency);
    m_requestsAxis->setRange(0, niceMax(maxRequests * 1.05, 5));
    m_requestsRight->setRange(m_requestsAxis->min(), m_requestsAxis->max());
    m_creditsAxis->setRange(0, niceMax(maxCredits * 1.05, 5));
    m_latencyAxis->setRange(0, niceMax(maxLatency * 1.05, 10));
    for (QValueAxis *axis : {m_requestsAxis, m_requestsRight, m_creditsAxis, m_latencyAxis})
        axis->setTickCount(6);
}

void UsageCharts::updateDayAxes()
{
    const int days = m_model->days();
    // A label every day for a week, then fewer so they never overlap; the newest day is always labelled.
    const int every = days <= 14 ? 1 : days <= 31 ? 3 : 7;
    for (QCategoryAxis *axis : {m_barDays, m_lineDays}) {
        for (const QString &label : axis->categoriesLabels())
            axis->remove(label);
        axis->setStartValue(-0.5);
        QList<int> labelled;
        for (int row = days - 1; row >= 0; row -= every)
            labelled.prepend(row);
        for (const int row : labelled)
            axis->append(UsageModel::shortDayText(m_model->day(row)), row);
        axis->setRange(-0.5, qMax(0.5, days - 0.5));
    }
}

void UsageCharts::showBarTip(bool status, int index, QBarSet *set)
{
    if (!status || !set) {
        QToolTip::hideText();
        return;
    }
    const QLocale locale;
    QToolTip::showText(QCursor::pos(), tr("%1 (UTC): %2 %3 of %4 requests")
                                           .arg(UsageModel::dayText(m_model->day(index)), set->label(),
                                                locale.toString(qint64(set->at(index))),
                                                locale.toString(m_model->totalRequests(index))),
                       m_requestsView);
}

void UsageCharts::retranslate()
{
    const QLocale locale;
    for (QChart *chart : {requestsChart(), detailChart()})
        chart->setLocale(locale);
    requestsChart()->setTitle(tr("Requests per day"));
    detailChart()->setTitle(tr("Credits and average latency per day"));
    m_barDays->setTitleText(tr("Day (UTC)"));
    m_lineDays->setTitleText(tr("Day (UTC)"));
    m_requestsAxis->setTitleText(tr("Requests"));
    m_requestsRight->setTitleText(tr("Requests"));
    m_creditsAxis->setTitleText(tr("Credits"));
    m_latencyAxis->setTitleText(tr("Avg latency (ms)"));
    m_credits->setName(tr("Credits"));
    m_latency->setName(tr("Avg latency (ms)"));
    const QList<QBarSet *> sets = m_bars->barSets();
    for (int series = 0; series < sets.size() && series < m_model->seriesCount(); ++series)
        sets[series]->setLabel(m_model->seriesName(series));
    m_requestsView->setAccessibleName(tr("Requests per day, stacked"));
    m_detailView->setAccessibleName(tr("Credits and average latency per day"));
    updateDayAxes();
}

} // namespace tollgate::gui
