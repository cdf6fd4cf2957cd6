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
        // An empty label is the same series as no label to Prometheus; leaving it out lets one
        // family carry samples with fewer labels (tollgate_upstream_up{upstream} beside
        // tollgate_upstream_up{upstream,instance}).
        if (values.value(i).isEmpty())
            continue;
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

CounterFamily::Cell &CounterFamily::cell(const QByteArrayList &labelValues)
{
    QMutexLocker locker(&m_mutex);
    auto &slot = m_cells[labelValues];
    if (!slot)
        slot = std::make_shared<Cell>();
    return *slot;
}

double CounterFamily::value(const QByteArrayList &labelValues) const
{
    QMutexLocker locker(&m_mutex);
    const auto cell = m_cells.value(labelValues);
    return cell ? cell->value() : 0;
}

void CounterFamily::render(QByteArray &out) const
{
    header(out, m_name, m_help, "counter");
    QMutexLocker locker(&m_mutex);
    if (m_cells.isEmpty() && m_labelNames.isEmpty())
        out += m_name + " 0\n";
    for (const QByteArrayList &key : sortedKeys(m_cells))
        out += m_name + labels(m_labelNames, key) + ' ' + number(m_cells.value(key)->value()) + '\n';
}

HistogramFamily::Series::Series(const std::vector<double> &bounds)
    : m_bounds(bounds), m_buckets(new std::atomic<quint64>[bounds.size() + 1])
{
    for (size_t i = 0; i <= bounds.size(); ++i)
        m_buckets[i].store(0, std::memory_order_relaxed);
}

void HistogramFamily::Series::observe(double value)
{
    const auto bucket = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    m_buckets[size_t(bucket)].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

HistogramFamily::HistogramFamily(QByteArray name, QByteArray help, QByteArrayList labelNames, std::vector<double> buckets)
    : m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames)), m_bounds(std::move(buckets))
{
}

HistogramFamily::Series &HistogramFamily::series(const QByteArrayList &labelValues)
{
    QMutexLocker locker(&m_mutex);
    auto &slot = m_series[labelValues];
    if (!slot)
        slot = std::make_shared<Series>(m_bounds);
    return *slot;
}

quint64 HistogramFamily::count(const QByteArrayList &labelValues) const
{
    QMutexLocker locker(&m_mutex);
    const auto series = m_series.value(labelValues);
    quint64 total = 0;
    for (size_t i = 0; series && i <= m_bounds.size(); ++i)
        total += series->m_buckets[i].load(std::memory_order_relaxed);
    return total;
}

void HistogramFamily::render(QByteArray &out) const
{
    header(out, m_name, m_help, "histogram");
    QMutexLocker locker(&m_mutex);
    for (const QByteArrayList &key : sortedKeys(m_series)) {
        const Series &series = *m_series.value(key);
        // The count is the buckets' own total, so +Inf and _count agree with every le bucket even
        // while other threads keep observing.
        quint64 cumulative = 0;
        for (size_t i = 0; i < m_bounds.size(); ++i) {
            cumulative += series.m_buckets[i].load(std::memory_order_relaxed);
            out += m_name + "_bucket" + labels(m_labelNames, key, "le", number(m_bounds[i])) + ' ' + QByteArray::number(cumulative) + '\n';
        }
        cumulative += series.m_buckets[m_bounds.size()].load(std::memory_order_relaxed);
        out += m_name + "_bucket" + labels(m_labelNames, key, "le", "+Inf") + ' ' + QByteArray::number(cumulative) + '\n';
        out += m_name + "_sum" + labels(m_labelNames, key) + ' ' + number(series.m_sum.load(std::memory_order_relaxed)) + '\n';
        out += m_name + "_count" + labels(m_labelNames, key) + ' ' + QByteArray::number(cumulative) + '\n';
    }
}

void MetricsRegistry::claim(const MetricFamily &family, MetricFamily::Type type)
{
    // Both are programming errors the first start-up shows: a family used as another type, or twice.
    Q_ASSERT_X(family.type == type, family.name, "registered as a type other than its catalogue entry");
    Q_ASSERT_X(!m_names.contains(family.name), family.name, "registered twice");
    m_names.append(family.name);
}

CounterFamily &MetricsRegistry::counter(const MetricFamily &family)
{
    QMutexLocker locker(&m_mutex);
    claim(family, MetricFamily::Type::Counter);
    m_counters.push_back(std::make_unique<CounterFamily>(family.name, family.help, family.labelNames()));
    return *m_counters.back();
}

HistogramFamily &MetricsRegistry::histogram(const MetricFamily &family, std::vector<double> buckets)
{
    QMutexLocker locker(&m_mutex);
    claim(family, MetricFamily::Type::Histogram);
    m_histograms.push_back(std::make_unique<HistogramFamily>(family.name, family.help, family.labelNames(), std::move(buckets)));
    return *m_histograms.back();
}

void MetricsRegistry::gauge(const MetricFamily &family, std::function<GaugeSamples()> read)
{
    QMutexLocker locker(&m_mutex);
    claim(family, MetricFamily::Type::Gauge);
    m_gauges.push_back({family.name, family.help, family.labelNames(), std::move(read)});
}

void MetricsRegistry::gauge(const MetricFamily &family, std::function<double()> read)
{
    gauge(family, [read = std::move(read)] { return GaugeSamples{{{}, read()}}; });
}

void MetricsRegistry::counterReading(const MetricFamily &family, std::function<double()> read)
{
    QMutexLocker locker(&m_mutex);
    claim(family, MetricFamily::Type::Counter);
    m_gauges.push_back({family.name, family.help, {}, [read = std::move(read)] { return GaugeSamples{{{}, read()}}; }, "counter"});
}

QByteArrayList MetricsRegistry::familyNames() const
{
    QMutexLocker locker(&m_mutex);
    return m_names;
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
        header(out, gauge.name, gauge.help, gauge.type);
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
