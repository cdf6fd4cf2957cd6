#include "gui/keys/KeyUsageChart.h"

#include "gui/widgets/ChartPalette.h"
#include "gui/client/AdminClient.h"
#include "gui/client/ApiCall.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMap>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QValueAxis>

namespace tollgate::gui {

namespace {

struct Outcome
{
    const char *field;
    const char *label;
    QColor color;
};

const QList<Outcome> &outcomes()
{
    static const QList<Outcome> list{
        {"ok", QT_TRANSLATE_NOOP("tollgate::gui::KeyUsageChart", "OK"), QColor(0x2e, 0x9e, 0x4f)},
        {"clientError", QT_TRANSLATE_NOOP("tollgate::gui::KeyUsageChart", "Client error"), QColor(0x7e, 0x57, 0xc2)},
        {"upstreamError", QT_TRANSLATE_NOOP("tollgate::gui::KeyUsageChart", "Upstream error"), QColor(0xc6, 0x28, 0x28)},
        {"rateLimited", QT_TRANSLATE_NOOP("tollgate::gui::KeyUsageChart", "Rate limited"), QColor(0xe0, 0x8e, 0x0b)},
        {"insufficientCredits", QT_TRANSLATE_NOOP("tollgate::gui::KeyUsageChart", "No credits"), QColor(0x8d, 0x6e, 0x63)},
        {"forbidden", QT_TRANSLATE_NOOP("tollgate::gui::KeyUsageChart", "Forbidden"), QColor(0x54, 0x6e, 0x7a)},
    };
    return list;
}

} // namespace

KeyUsageChart::KeyUsageChart(AdminClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_stack(new QStackedWidget(this)), m_note(new QLabel(this)),
      m_view(new QChartView(this)), m_chart(new QChart)
{
    setObjectName(QStringLiteral("keyUsageChart"));
    m_note->setObjectName(QStringLiteral("usageNote"));
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setWordWrap(true);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(0);
    m_chart->legend()->setAlignment(Qt::AlignRight);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_chart->legend()->setFont(small);
    m_chart->setTitleFont(small);
    m_view->setChart(m_chart);
    followPalette(m_view);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    m_view->setAccessibleName(tr("Usage of the last 30 days"));
    m_stack->addWidget(m_note);
    m_stack->addWidget(m_view);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    setNote(tr("Select a key to see its usage."));
}

KeyUsageChart::~KeyUsageChart()
{
    if (m_call)
        m_call->abort();
}

QString KeyUsageChart::note() const
{
    return m_stack->currentWidget() == m_note ? m_note->text() : QString();
}

void KeyUsageChart::setNote(const QString &text)
{
    m_note->setText(text);
    m_stack->setCurrentWidget(m_note);
}

void KeyUsageChart::showKey(const QString &keyId)
{
    if (keyId == m_keyId && (m_call || m_hasData))
        return;
    m_keyId = keyId;
    m_hasData = false;
    if (m_call)
        m_call->abort();
    if (keyId.isEmpty())
        return setNote(tr("Select a key to see its usage."));
    load();
}

void KeyUsageChart::load()
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("days"), QString::number(Days));
    query.addQueryItem(QStringLiteral("keyId"), m_keyId);
    m_call = m_client->get(QStringLiteral("/admin/usage/daily"), query);
    const QString keyId = m_keyId;
    connect(m_call, &ApiCall::succeeded, this, [this, keyId](const QJsonValue &data) {
        if (keyId != m_keyId)
            return;
        render(data);
        Q_EMIT loaded();
    });
    connect(m_call, &ApiCall::failed, this, [this, keyId](const ApiError &error) {
        if (keyId != m_keyId || error.isAborted())
            return;
        if (error.status == 404)
            setNote(tr("Usage by day is not available from this gateway: %1").arg(error.message));
        else
            setNote(tr("Usage could not be loaded: %1").arg(error.message));
        Q_EMIT loaded();
    });
}

void KeyUsageChart::render(const QJsonValue &data)
{
    // Rows per UTC day and endpoint: sum the endpoints of a day, by outcome where the gateway names outcomes.
    QMap<QString, QMap<QString, double>> byDay;
    bool withOutcomes = false;
    const QJsonArray rows = data.isArray() ? data.toArray() : data.toObject().value(QStringLiteral("byDay")).toArray();
    for (const QJsonValue &value : rows) {
        const QJsonObject row = value.toObject();
        const QString day = row.value(QStringLiteral("date")).toString(row.value(QStringLiteral("day")).toString());
        if (day.isEmpty())
            continue;
        QMap<QString, double> &counts = byDay[day];
        const QJsonObject nested = row.value(QStringLiteral("outcomes")).toObject();
        const QJsonObject &source = nested.isEmpty() ? row : nested;
        bool any = false;
        for (const Outcome &outcome : outcomes()) {
            const QJsonValue count = source.value(QLatin1String(outcome.field));
            if (count.isDouble()) {
                counts[QLatin1String(outcome.field)] += count.toDouble();
                any = true;
            }
        }
        if (any) {
            withOutcomes = true;
        } else {
            const double requests = row.value(QStringLiteral("requests")).toDouble();
            const double errors = row.value(QStringLiteral("errors")).toDouble();
            counts[QStringLiteral("ok")] += requests - errors;
            counts[QStringLiteral("errors")] += errors;
        }
    }

    m_chart->removeAllSeries();
    for (QAbstractAxis *axis : m_chart->axes())
        m_chart->removeAxis(axis);
    auto *series = new QStackedBarSeries;
    QList<QBarSet *> sets;
    QList<QString> fields;
    for (const Outcome &outcome : outcomes()) {
        if (!withOutcomes && QLatin1String(outcome.field) != QLatin1String("ok"))
            continue;
        auto *set = new QBarSet(tr(outcome.label));
        set->setColor(outcome.color);
        set->setBorderColor(outcome.color);
        sets.append(set);
        fields.append(QLatin1String(outcome.field));
    }
    if (!withOutcomes) {
        sets.first()->setLabel(tr("Answered"));
        auto *errors = new QBarSet(tr("Errors"));
        errors->setColor(QColor(0xc6, 0x28, 0x28));
        errors->setBorderColor(errors->color());
        sets.append(errors);
        fields.append(QStringLiteral("errors"));
    }
    QStringList categories;
    const QDate today = QDateTime::currentDateTimeUtc().date();
    double total = 0;
    double peak = 0;
    for (int i = Days - 1; i >= 0; --i) {
        const QDate day = today.addDays(-i);
        const QMap<QString, double> counts = byDay.value(day.toString(Qt::ISODate));
        double sum = 0;
        for (int s = 0; s < sets.size(); ++s) {
            const double count = counts.value(fields[s]);
            sets[s]->append(count);
            sum += count;
        }
        total += sum;
        peak = qMax(peak, sum);
        // Every fifth day named, so the labels never overlap.
        categories.append(i % 5 == 0 ? QLocale().toString(day, QStringLiteral("d MMM")) : QString(i, QChar(0x200b)));
    }
    for (QBarSet *set : sets) {
        // A series with nothing in it only crowds the legend.
        if (set->sum() > 0 || set == sets.first())
            series->append(set);
        else
            delete set;
    }
    series->setBarWidth(0.8);
    m_chart->addSeries(series);
    auto *axisX = new QBarCategoryAxis;
    axisX->append(categories);
    axisX->setTitleText(tr("Last 30 days, by UTC day"));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    axisX->setLabelsFont(small);
    axisX->setTitleFont(small);
    axisX->setGridLineVisible(false);
    auto *axisY = new QValueAxis;
    axisY->setLabelFormat(QStringLiteral("%d"));
    axisY->setRange(0, qMax(4.0, peak * 1.1));
    axisY->setTickCount(3);
    axisY->setLabelsFont(small);
    axisY->setTitleText(tr("Requests"));
    axisY->setTitleFont(small);
    m_chart->addAxis(axisX, Qt::AlignBottom);
    m_chart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisX);
    series->attachAxis(axisY);
    applyChartPalette(m_chart, m_view->palette());  // the new axes' labels and grid
    m_chart->setTitle(tr("%n request(s) in 30 days", nullptr, int(total)));
    m_hasData = true;
    m_stack->setCurrentWidget(m_view);
}

} // namespace tollgate::gui
