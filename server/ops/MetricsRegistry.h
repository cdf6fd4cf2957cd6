#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QList>
#include <QMutex>

#include <functional>
#include <memory>
#include <vector>

namespace tollgate::ops {

// A small Prometheus registry: counter and histogram families with labels, and gauges read at scrape time.
// Thread-safe; every family has its own lock, so event-loop threads rarely contend.
class CounterFamily
{
public:
    CounterFamily(QByteArray name, QByteArray help, QByteArrayList labelNames);
    void inc(const QByteArrayList &labelValues, double amount = 1);
    double value(const QByteArrayList &labelValues) const;
    void render(QByteArray &out) const;

private:
    QByteArray m_name, m_help;
    QByteArrayList m_labelNames;
    mutable QMutex m_mutex;
    QHash<QByteArrayList, double> m_values;
};

class HistogramFamily
{
public:
    HistogramFamily(QByteArray name, QByteArray help, QByteArrayList labelNames, std::vector<double> buckets);
    void observe(const QByteArrayList &labelValues, double value);
    quint64 count(const QByteArrayList &labelValues) const;
    void render(QByteArray &out) const;

private:
    struct Series
    {
        std::vector<quint64> buckets;
        double sum = 0;
        quint64 count = 0;
    };
    QByteArray m_name, m_help;
    QByteArrayList m_labelNames;
    std::vector<double> m_bounds;
    mutable QMutex m_mutex;
    QHash<QByteArrayList, Series> m_series;
};

class MetricsRegistry
{
public:
    CounterFamily &counter(QByteArray name, QByteArray help, QByteArrayList labelNames = {});
    HistogramFamily &histogram(QByteArray name, QByteArray help, QByteArrayList labelNames, std::vector<double> buckets);
    // Gauges are computed when scraped: one function returns every labelled sample of the gauge.
    using GaugeSamples = QList<QPair<QByteArrayList, double>>;
    void gauge(QByteArray name, QByteArray help, QByteArrayList labelNames, std::function<GaugeSamples()> read);
    void gauge(QByteArray name, QByteArray help, std::function<double()> read);
    QByteArray render() const;

    static std::vector<double> latencyBuckets();

private:
    struct Gauge
    {
        QByteArray name, help;
        QByteArrayList labelNames;
        std::function<GaugeSamples()> read;
    };
    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<CounterFamily>> m_counters;
    std::vector<std::unique_ptr<HistogramFamily>> m_histograms;
    std::vector<Gauge> m_gauges;
};

} // namespace tollgate::ops
