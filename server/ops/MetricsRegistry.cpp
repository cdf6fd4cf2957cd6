#include "server/ops/MetricsRegistry.h"

#include <algorithm>

namespace tollgate::ops {

namespace {

QByteArray escapeLabel(QByteArray value)
{
    return value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
}

QByteArray labels(const QByteArrayList &names, const QByteArrayList &values, const QByteArray &extraName = {},
                  const QByteArray &extraValue = {})
{
    QByteArray out;
    for (qsizetype i = 0; i < names.size(); ++i) {
        out += (out.isEmpty() ? "" : ",") + names[i] + "=\"" + escapeLabel(values.value(i)) + '"';
    }
    if (!extraName.isEmpty())
        out += (out.isEmpty() ? "" : ",") + extraName + "=\"" + extraValue + '"';
    return out.isEmpty() ? out : '{' + out + '}';
}

QByteArray number(double value)
{
    if (value == double(qint64(value)))
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', 12);
}

void header(QByteArray &out, const QByteArray &name, const QByteArray &help, const char *type)
{
    out += "# HELP " + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

template<typename Map>
QList<typename Map::key_type> sortedKeys(const Map &map)
{
    auto keys = map.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

} // namespace

CounterFamily::CounterFamily(QByteArray name, QByteArray help, QByteArrayList labelNames)
    : m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames))
{
}

void CounterFamily::inc(const QByteArrayList &labelValues, double amount)
{
    QMutexLocker locker(&m_mutex);
    m_values[labelValues] += amount;
}

double CounterFamily::value(const QByteArrayList &labelValues) const
{
    QMutexLocker locker(&m_mutex);
    return m_values.value(labelValues);
}

void CounterFamily::render(QByteArray &out) const
{
    header(out, m_name, m_help, "counter");
    QMutexLocker locker(&m_mutex);
    if (m_values.isEmpty() && m_labelNames.isEmpty())
        out += m_name + " 0\n";
    for (const QByteArrayList &key : sortedKeys(m_values))
        out += m_name + labels(m_labelNames, key) + ' ' + number(m_values.value(key)) + '\n';
}

HistogramFamily::HistogramFamily(QByteArray name, QByteArray help, QByteArrayList labelNames, std::vector<double> buckets)
    : m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames)), m_bounds(std::move(buckets))
{
}

void HistogramFamily::observe(const QByteArrayList &labelValues, double value)
{
    const auto bucket = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    QMutexLocker locker(&m_mutex);
    Series &series = m_series[labelValues];
    if (series.buckets.empty())
        series.buckets.resize(m_bounds.size() + 1);
    ++series.buckets[size_t(bucket)];
    series.sum += value;
    ++series.count;
}

quint64 HistogramFamily::count(const QByteArrayList &labelValues) const
{
    QMutexLocker locker(&m_mutex);
    return m_series.value(labelValues).count;
}

void HistogramFamily::render(QByteArray &out) const
{
    header(out, m_name, m_help, "histogram");
    QMutexLocker locker(&m_mutex);
    for (const QByteArrayList &key : sortedKeys(m_series)) {
        const Series &series = m_series[key];
        quint64 cumulative = 0;
        for (size_t i = 0; i < m_bounds.size(); ++i) {
            cumulative += series.buckets[i];
            out += m_name + "_bucket" + labels(m_labelNames, key, "le", number(m_bounds[i])) + ' ' + QByteArray::number(cumulative) + '\n';
        }
        out += m_name + "_bucket" + labels(m_labelNames, key, "le", "+Inf") + ' ' + QByteArray::number(series.count) + '\n';
        out += m_name + "_sum" + labels(m_labelNames, key) + ' ' + number(series.sum) + '\n';
        out += m_name + "_count" + labels(m_labelNames, key) + ' ' + QByteArray::number(series.count) + '\n';
    }
}

CounterFamily &MetricsRegistry::counter(QByteArray name, QByteArray help, QByteArrayList labelNames)
{
    QMutexLocker locker(&m_mutex);
    m_counters.push_back(std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(labelNames)));
    return *m_counters.back();
}

HistogramFamily &MetricsRegistry::histogram(QByteArray name, QByteArray help, QByteArrayList labelNames, std::vector<double> buckets)
{
    QMutexLocker locker(&m_mutex);
    m_histograms.push_back(std::make_unique<HistogramFamily>(std::move(name), std::move(help), std::move(labelNames), std::move(buckets)));
    return *m_histograms.back();
}

void MetricsRegistry::gauge(QByteArray name, QByteArray help, QByteArrayList labelNames, std::function<GaugeSamples()> read)
{
    QMutexLocker locker(&m_mutex);
    m_gauges.push_back({std::move(name), std::move(help), std::move(labelNames), std::move(read)});
}

void MetricsRegistry::gauge(QByteArray name, QByteArray help, std::function<double()> read)
{
    gauge(std::move(name), std::move(help), {}, [read = std::move(read)] { return GaugeSamples{{{}, read()}}; });
}

QByteArray MetricsRegistry::render() const
{
    QByteArray out;
    QMutexLocker locker(&m_mutex);
    for (const auto &counter : m_counters)
        counter->render(out);
    for (const auto &histogram : m_histograms)
        histogram->render(out);
    for (const Gauge &gauge : m_gauges) {
        header(out, gauge.name, gauge.help, "gauge");
        for (const auto &sample : gauge.read())
            out += gauge.name + labels(gauge.labelNames, sample.first) + ' ' + number(sample.second) + '\n';
    }
    return out;
}

std::vector<double> MetricsRegistry::latencyBuckets()
{
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

} // namespace tollgate::ops
