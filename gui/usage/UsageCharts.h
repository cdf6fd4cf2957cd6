#pragma once

#include <QWidget>

class QBarSet;
class QCategoryAxis;
class QChart;
class QChartView;
class QLineSeries;
class QStackedBarSeries;
class QValueAxis;

namespace tollgate::gui {

class UsageModel;

// The Usage view's charts over a UsageModel: requests per UTC day as a stacked bar per day (one stack per
// outcome or endpoint, with a legend), and below it credits per day (left axis) and the average latency per day
// (right axis, dashed). A reload of the same shape updates the bars in place; a new shape rebuilds the sets.
class UsageCharts : public QWidget
{
    Q_OBJECT

public:
    explicit UsageCharts(UsageModel *model, QWidget *parent = nullptr);

    QChart *requestsChart() const;
    QChart *detailChart() const;
    QStackedBarSeries *requestsSeries() const { return m_bars; }
    QLineSeries *creditsSeries() const { return m_credits; }
    QLineSeries *latencySeries() const { return m_latency; }

    void retranslate();

private:
    void rebuild();
    void updateValues();
    void updateDayAxes();
    void showBarTip(bool status, int index, QBarSet *set);

    UsageModel *m_model;
    QChartView *m_requestsView;
    QChartView *m_detailView;
    QStackedBarSeries *m_bars;
    QLineSeries *m_credits;
    QLineSeries *m_latency;
    QCategoryAxis *m_barDays;
    QCategoryAxis *m_lineDays;
    QValueAxis *m_requestsAxis;
    QValueAxis *m_requestsRight;
    QValueAxis *m_creditsAxis;
    QValueAxis *m_latencyAxis;
};

} // namespace tollgate::gui
