#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QList>
#include <QMutex>

#include "server/ops/MetricCatalog.h"

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace tollgate::ops {

// A small Prometheus registry: counter and histogram families with labels, and gauges read at scrape time.
// Thread-safe. A labelled series is found under the family's lock once; its cell is atomic and lives
// as long as the family, so a hot path keeps the pointer (see GatewayHandler) and updates it with
// no lock, no label list and no hashing.
class CounterFamily
{
public:
    class Cell
    {
    public:
        void add(double amount) { m_value.fetch_add(amount, std::memory_order_relaxed); }
        double value() const { return m_value.load(std::memory_order_relaxed); }

    private:
        std::atomic<double> m_value{0};
    };

    CounterFamily(QByteArray name, QByteArray help, QByteArrayList labelNames);
    Cell &cell(const QByteArrayList &labelValues);
    void inc(const QByteArrayList &labelValues, double amount = 1) { cell(labelValues).add(amount); }
    double value(const QByteArrayList &labelValues) const;
    void render(QByteArray &out) const;

private:
    QByteArray m_name, m_help;
    QByteArrayList m_labelNames;
    mutable QMutex m_mutex;
    QHash<QByteArrayList, std::shared_ptr<Cell>> m_cells;
};

class HistogramFamily
{
public:
    class Series
    {
    public:
        explicit Series(const std::vector<double> &bounds);
        void observe(double value);

    private:
        friend class HistogramFamily;
        const std::vector<double> &m_bounds;
        std::unique_ptr<std::atomic<quint64>[]> m_buckets; // one per bound, then the overflow
        std::atomic<double> m_sum{0};
    };

    HistogramFamily(QByteArray name, QByteArray help, QByteArrayList labelNames, std::vector<double> buckets);
    Series &series(const QByteArrayList &labelValues);
    void observe(const QByteArrayList &labelValues, double value) { series(labelValues).observe(value); }
    quint64 count(const QByteArrayList &labelValues) const;
    void render(QByteArray &out) const;

private:
    QByteArray m_name, m_help;
    QByteArrayList m_labelNames;
    std::vector<double> m_bounds;
    mutable QMutex m_mutex;
    QHash<QByteArrayList, std::shared_ptr<Series>> m_series;
};

class MetricsRegistry
{
public:
    // Families come from the catalogue (MetricCatalog.h) only; each is registered once, as its declared type.
    CounterFamily &counter(const MetricFamily &family);
    HistogramFamily &histogram(const MetricFamily &family, std::vector<double> buckets);
    // Gauges are computed when scraped: one function returns every labelled sample of the gauge.
    using GaugeSamples = QList<QPair<QByteArrayList, double>>;
    void gauge(const MetricFamily &family, std::function<GaugeSamples()> read);
    void gauge(const MetricFamily &family, std::function<double()> read);
    // A counter someone else keeps (e.g. a count of failed writes): read when scraped, exposed as a counter.
    void counterReading(const MetricFamily &family, std::function<double()> read);
    QByteArray render() const;
    // The names registered so far (for the catalogue test).
    QByteArrayList familyNames() const;

    static std::vector<double> latencyBuckets();

private:
    void claim(const MetricFamily &family, MetricFamily::Type type);

    struct Gauge
    {
        QByteArray name, help;
        QByteArrayList labelNames;
        std::function<GaugeSamples()> read;
        const char *type = "gauge";
    };
    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<CounterFamily>> m_counters;
    std::vector<std::unique_ptr<HistogramFamily>> m_histograms;
    std::vector<Gauge> m_gauges;
    QByteArrayList m_names;
};

} // namespace tollgate::ops
