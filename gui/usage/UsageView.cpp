#include "gui/usage/UsageView.h"

#include "gui/widgets/ToneColors.h"
#include "gui/ConsoleContext.h"
#include "gui/client/AdminClient.h"
#include "gui/usage/KeyPicker.h"
#include "gui/usage/UsageCharts.h"
#include "gui/usage/UsageCsv.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace tollgate::gui {

namespace {

const QString RangeKey = QStringLiteral("usage/rangeDays");
const QString GroupingKey = QStringLiteral("usage/grouping");
const QString DailyPath = QStringLiteral("/admin/usage/daily");
// Gateways older than /admin/usage/daily: system-wide rows without outcomes (shown as "Other").
const QString SummaryPath = QStringLiteral("/admin/usage/summary");

QPushButton *segment(const QString &objectName, QWidget *parent)
{
    auto *button = new QPushButton(parent);
    button->setObjectName(objectName);
    button->setCheckable(true);
    button->setAutoDefault(false);
    return button;
}

} // namespace

UsageView::UsageView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_range(new QButtonGroup(this)), m_groupingButtons(new QButtonGroup(this)),
      m_keys(new KeyPicker(context.client, this)), m_export(new QPushButton(this)), m_exportProgress(new QProgressBar(this)),
      m_exportCancel(new QPushButton(this)), m_keyLabel(new QLabel(this)), m_status(new QLabel(this)), m_totals(new QLabel(this)),
      m_empty(new QLabel(this)), m_pages(new QStackedWidget(this)), m_model(new UsageModel(this)),
      m_charts(new UsageCharts(m_model, this)), m_job(new CsvExportJob(this))
{
    setObjectName(QStringLiteral("usageView"));
    m_keys->setObjectName(QStringLiteral("usageKeyPicker"));
    m_export->setObjectName(QStringLiteral("usageExportCsv"));
    m_exportProgress->setObjectName(QStringLiteral("usageExportProgress"));
    m_exportCancel->setObjectName(QStringLiteral("usageExportCancel"));
    m_status->setObjectName(QStringLiteral("usageStatus"));
    m_totals->setObjectName(QStringLiteral("usageTotals"));
    m_empty->setObjectName(QStringLiteral("usageEmpty"));
    m_keyLabel->setBuddy(m_keys);

    QSettings settings;
    m_days = settings.value(RangeKey, 30).toInt();
    if (m_days != 7 && m_days != 30 && m_days != 90)
        m_days = 30;
    m_grouping = settings.value(GroupingKey).toString() == QLatin1String("endpoint") ? UsageModel::Grouping::Endpoint
                                                                                      : UsageModel::Grouping::Outcome;

    auto *bar = new QHBoxLayout;
    auto *rangeBox = new QHBoxLayout;
    rangeBox->setSpacing(0);
    for (const int days : {7, 30, 90}) {
        QPushButton *button = segment(QStringLiteral("usageRange%1").arg(days), this);
        m_range->addButton(button, days);
        rangeBox->addWidget(button);
    }
    m_range->button(m_days)->setChecked(true);
    bar->addLayout(rangeBox);
    bar->addSpacing(12);
    bar->addWidget(m_keyLabel);
    bar->addWidget(m_keys);
    bar->addSpacing(12);
    auto *groupingBox = new QHBoxLayout;
    groupingBox->setSpacing(0);
    QPushButton *byOutcome = segment(QStringLiteral("usageByOutcome"), this);
    QPushButton *byEndpoint = segment(QStringLiteral("usageByEndpoint"), this);
    m_groupingButtons->addButton(byOutcome, int(UsageModel::Grouping::Outcome));
    m_groupingButtons->addButton(byEndpoint, int(UsageModel::Grouping::Endpoint));
    m_groupingButtons->button(int(m_grouping))->setChecked(true);
    groupingBox->addWidget(byOutcome);
    groupingBox->addWidget(byEndpoint);
    bar->addLayout(groupingBox);
    bar->addStretch(1);
    bar->addWidget(m_exportProgress);
    bar->addWidget(m_exportCancel);
    bar->addWidget(m_export);
    m_exportProgress->setVisible(false);
    m_exportProgress->setMaximumWidth(160);
    m_exportCancel->setVisible(false);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    QFont emptyFont = m_empty->font();
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.15);
    m_empty->setFont(emptyFont);
    m_pages->addWidget(m_charts);
    m_pages->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_totals);
    layout->addWidget(m_pages, 1);

    connect(m_range, &QButtonGroup::idClicked, this, &UsageView::setRangeDays);
    connect(m_groupingButtons, &QButtonGroup::idClicked, this,
            [this](int id) { setGrouping(UsageModel::Grouping(id)); });
    connect(m_keys, &KeyPicker::keyChanged, this, [this] { load(false); });
    connect(m_keys, &KeyPicker::searchFailed, this, [this](const QString &message) {
        m_error = tr("Keys could not be searched: %1").arg(message);
        updateTexts();
    });
    connect(m_export, &QPushButton::clicked, this, &UsageView::chooseExportFile);
    connect(m_exportCancel, &QPushButton::clicked, this, &UsageView::cancelExport);
    connect(m_job, &CsvExportJob::progress, this, [this](int done, int total) {
        m_exportProgress->setMaximum(total);
        m_exportProgress->setValue(done);
    });
    connect(m_job, &CsvExportJob::finished, this,
            [this](CsvExportJob::Result result, const QString &message) { onExportFinished(int(result), message); });
    m_autoRefresh.setInterval(AutoRefreshMs);
    connect(&m_autoRefresh, &QTimer::timeout, this, [this] {
        if (!m_call)
            load(true);
    });
    retranslate();
}

UsageView::~UsageView() = default;

QIcon UsageView::icon() const
{
    return QIcon(QStringLiteral(":/icons/usage.svg"));
}

void UsageView::refresh()
{
    if (m_keys->count() <= 1)
        m_keys->search();
    load(false);
}

void UsageView::setActive(bool active)
{
    const bool was = isActive();
    ConsoleView::setActive(active);
    if (active) {
        m_autoRefresh.start();
        if (!was)
            refresh();
    } else {
        m_autoRefresh.stop();
    }
}

QString UsageView::keyId() const
{
    return m_keys->keyId();
}

void UsageView::setKeyId(const QString &keyId, const QString &label)
{
    m_keys->selectKey(keyId, label);  // keyChanged → load
}

void UsageView::setRangeDays(int days)
{
    if (days != 7 && days != 30 && days != 90)
        return;
    if (QAbstractButton *button = m_range->button(days))
        button->setChecked(true);
    if (days == m_days)
        return;
    m_days = days;
    QSettings().setValue(RangeKey, days);
    load(false);
}

void UsageView::setGrouping(UsageModel::Grouping grouping)
{
    if (QAbstractButton *button = m_groupingButtons->button(int(grouping)))
        button->setChecked(true);
    if (grouping == m_grouping)
        return;
    m_grouping = grouping;
    QSettings().setValue(GroupingKey, grouping == UsageModel::Grouping::Endpoint ? QStringLiteral("endpoint")
                                                                                 : QStringLiteral("outcome"));
    // The rows carry both outcomes and endpoints: regrouping needs no request.
    if (m_loaded && !m_call)
        apply();
}

void UsageView::load(bool quietly)
{
    if (!client())
        return;
    const QString query = QStringLiteral("%1|%2").arg(m_days).arg(keyId());
    // The same question already on its way (F5 right after showing the view): let it answer.
    if (m_call && query == m_callQuery)
        return;
    if (m_call)
        m_call->abort();
    m_callQuery = query;
    ++m_generation;
    m_pending.clear();
    if (!quietly) {
        // Until the answer comes, what is shown is not what the controls say: no export of it.
        m_queryPending = true;
        updateExportEnabled();
        m_status->setText(tr("Loading…"));
        m_status->setVisible(true);
    }
    fetchPage(DailyPath, {}, m_generation);
}

void UsageView::fetchPage(const QString &path, const QString &cursor, int generation)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("days"), QString::number(m_days));
    if (path == DailyPath && !keyId().isEmpty())
        query.addQueryItem(QStringLiteral("keyId"), keyId());
    if (!cursor.isEmpty())
        query.addQueryItem(QStringLiteral("cursor"), cursor);
    ApiCall *call = client()->get(path, query);
    m_call = call;
    connect(call, &ApiCall::succeeded, this, [this, path, generation](const QJsonValue &data, const QJsonObject &meta) {
        onPage(data, meta, path, generation);
    });
    connect(call, &ApiCall::failed, this,
            [this, path, generation](const ApiError &error) { onFailure(error, path, generation); });
}

void UsageView::onPage(const QJsonValue &data, const QJsonObject &meta, const QString &path, int generation)
{
    if (generation != m_generation)
        return;
    m_call = nullptr;
    const QJsonArray rows = path == SummaryPath ? data.toObject().value(QStringLiteral("byDay")).toArray() : data.toArray();
    m_pending.append(UsageModel::parse(rows));
    // Paged answers (meta.next_cursor) are followed to the end before anything is shown.
    const QString next = meta.value(QStringLiteral("next_cursor")).toString();
    if (!next.isEmpty())
        return fetchPage(path, next, generation);
    m_entries = m_pending;
    m_pending.clear();
    m_lastDay = QDateTime::currentDateTimeUtc().date();
    m_error.clear();
    m_loaded = true;
    m_queryPending = false;
    apply();
    Q_EMIT loaded();
}

void UsageView::onFailure(const ApiError &error, const QString &path, int generation)
{
    if (generation != m_generation || error.isAborted())
        return;
    m_call = nullptr;
    if (error.status == 404 && path == DailyPath && keyId().isEmpty()) {
        m_pending.clear();
        return fetchPage(SummaryPath, {}, generation);
    }
    // The last data stays; the sentence says why it is not newer.
    m_error = tr("Usage could not be loaded: %1").arg(error.message);
    updateTexts();
}

void UsageView::apply()
{
    m_model->setUsage(m_entries, m_lastDay, m_days, m_grouping);
    updateExportEnabled();
    updateTexts();
}

void UsageView::updateTexts()
{
    const QLocale locale;
    if (!m_error.isEmpty()) {
        m_status->setText(m_error);
        m_status->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(toneColor(Tone::Error, palette()).name()));
    } else {
        m_status->setStyleSheet({});
        m_status->setText(m_exportMessage);
    }
    m_status->setVisible(!m_status->text().isEmpty());
    const int days = m_model->days();
    const bool empty = m_loaded && m_model->totalRequests() == 0;
    m_pages->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_charts);
    if (keyId().isEmpty()) {
        m_empty->setText(tr("No usage in the last %n days — calls with a key appear here within a few seconds.", nullptr,
                            days ? days : m_days));
    } else {
        m_empty->setText(tr("No usage of this key in the last %n days — its calls appear here within a few seconds.",
                            nullptr, days ? days : m_days));
    }
    m_totals->setVisible(!empty);
    if (m_loaded && days > 0) {
        m_totals->setText(tr("%1 requests · %2 credits · %3 ms average latency from %4 to %5 (days in UTC)")
                              .arg(locale.toString(m_model->totalRequests()), locale.toString(m_model->totalCredits()),
                                   locale.toString(m_model->avgLatencyMs(), 'f', 1), UsageModel::dayText(m_model->day(0)),
                                   UsageModel::dayText(m_model->day(days - 1))));
    } else {
        m_totals->clear();
    }
}

void UsageView::updateExportEnabled()
{
    m_export->setEnabled(m_loaded && !m_queryPending && !m_job->isRunning());
}

void UsageView::chooseExportFile()
{
    const QString keyPart = keyId().isEmpty() ? QStringLiteral("all-keys") : QStringLiteral("key-%1").arg(keyId());
    const QString name = QStringLiteral("tollgate-usage-%1d-%2-%3.csv")
                             .arg(m_days)
                             .arg(keyPart, m_grouping == UsageModel::Grouping::Endpoint ? QStringLiteral("by-endpoint")
                                                                                       : QStringLiteral("by-outcome"));
    const QString directory = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export usage as CSV"), QDir(directory).filePath(name),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void UsageView::exportCsv(const QString &path)
{
    if (m_job->isRunning())
        return;
    QByteArrayList lines{UsageCsv::header()};
    lines.append(UsageCsv::rows(*m_model));
    m_export->setEnabled(false);
    m_exportProgress->setRange(0, int(lines.size()));
    m_exportProgress->setValue(0);
    m_exportProgress->setVisible(true);
    m_exportCancel->setVisible(true);
    m_exportMessage = tr("Exporting to %1…").arg(QDir::toNativeSeparators(path));
    updateTexts();
    m_job->setProperty("path", path);
    m_job->start(path, std::move(lines));
}

void UsageView::cancelExport()
{
    m_job->cancel();
}

void UsageView::onExportFinished(int result, const QString &message)
{
    m_exportProgress->setVisible(false);
    m_exportCancel->setVisible(false);
    updateExportEnabled();
    const QString path = QDir::toNativeSeparators(m_job->property("path").toString());
    switch (CsvExportJob::Result(result)) {
    case CsvExportJob::Result::Written:
        m_exportMessage = tr("Exported to %1.").arg(path);
        break;
    case CsvExportJob::Result::Cancelled:
        m_exportMessage = tr("The export was cancelled; %1 was not written.").arg(path);
        break;
    case CsvExportJob::Result::Failed:
        m_exportMessage.clear();
        Q_EMIT problem(tr("The usage could not be exported to %1: %2").arg(path, message));
        break;
    }
    updateTexts();
    Q_EMIT exportFinished(CsvExportJob::Result(result) == CsvExportJob::Result::Written, message);
}

void UsageView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void UsageView::retranslate()
{
    const QLocale locale;
    for (const int days : {7, 30, 90}) {
        QAbstractButton *button = m_range->button(days);
        button->setText(tr("%n days", nullptr, days));
        button->setAccessibleName(tr("Last %n days", nullptr, days));
    }
    m_groupingButtons->button(int(UsageModel::Grouping::Outcome))->setText(tr("By &outcome"));
    m_groupingButtons->button(int(UsageModel::Grouping::Endpoint))->setText(tr("By &endpoint"));
    m_keyLabel->setText(tr("&Key:"));
    m_export->setText(tr("E&xport CSV…"));
    m_export->setToolTip(tr("Save exactly what is shown (range, key, grouping) as CSV, with UTC dates"));
    m_exportCancel->setText(tr("Cancel"));
    m_exportProgress->setAccessibleName(tr("Export progress"));
    m_keys->retranslate();
    m_model->retranslate();
    m_charts->retranslate();
    updateTexts();
}

} // namespace tollgate::gui
