#include "gui/overview/OverviewView.h"

#include "gui/ConsoleContext.h"
#include "gui/client/AdminClient.h"
#include "gui/client/StatusPoller.h"
#include "gui/overview/LiveRateChart.h"
#include "gui/overview/StatTile.h"
#include "gui/overview/TopKeysModel.h"

#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace tollgate::gui {

namespace {

// A dot and a word: colour alone fails colour-blind admins and grey screenshots.
QString statusText(const QString &status)
{
    QString color = QStringLiteral("#757575"), word = status;
    if (status == QLatin1String("up") || status == QLatin1String("ok") || status == QLatin1String("closed")) {
        color = QStringLiteral("#2e7d32");
        word = OverviewView::tr("Up");
    } else if (status == QLatin1String("down") || status == QLatin1String("open")) {
        color = QStringLiteral("#c62828");
        word = OverviewView::tr("Down");
    } else if (status == QLatin1String("degraded") || status == QLatin1String("half-open") ||
               status == QLatin1String("halfOpen")) {
        color = QStringLiteral("#ef6c00");
        word = OverviewView::tr("Degraded");
    } else if (status.isEmpty()) {
        word = OverviewView::tr("Unknown");
    }
    return QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(color, word.toHtmlEscaped());
}

QString latencyText(const QJsonValue &latency)
{
    if (!latency.isDouble())
        return QStringLiteral("—");
    return OverviewView::tr("%1 ms").arg(QLocale().toString(latency.toDouble(), 'f', 0));
}

} // namespace

OverviewView::OverviewView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_gatewayLabel(new QLabel(this)), m_gateway(new QLabel(this)),
      m_databaseLabel(new QLabel(this)), m_database(new QLabel(this)), m_versionLabel(new QLabel(this)),
      m_version(new QLabel(this)), m_uptimeLabel(new QLabel(this)), m_uptime(new QLabel(this)),
      m_rateTile(new StatTile(QStringLiteral("tileRequestsPerSecond"), this)),
      m_errorTile(new StatTile(QStringLiteral("tileErrors"), this)),
      m_creditsTile(new StatTile(QStringLiteral("tileCreditsToday"), this)),
      m_keysTile(new StatTile(QStringLiteral("tileKeysActiveToday"), this)),
      m_accuracyTile(new StatTile(QStringLiteral("tileOverAdmitted"), this)), m_chart(new LiveRateChart(this)),
      m_topBox(new QGroupBox(this)), m_topTable(new QTableView(this)), m_topNote(new QLabel(this)),
      m_topKeys(new TopKeysModel(this)), m_topSorted(new QSortFilterProxyModel(this)), m_upstreamBox(new QGroupBox(this)),
      m_upstreamGrid(new QGridLayout), m_upstreamNote(new QLabel(this))
{
    setObjectName(QStringLiteral("overviewView"));
    m_gateway->setObjectName(QStringLiteral("overviewGateway"));
    m_database->setObjectName(QStringLiteral("overviewDatabase"));
    m_version->setObjectName(QStringLiteral("overviewVersion"));
    m_uptime->setObjectName(QStringLiteral("overviewUptime"));
    m_topTable->setObjectName(QStringLiteral("overviewTopKeys"));
    m_topNote->setObjectName(QStringLiteral("overviewTopKeysNote"));
    m_upstreamBox->setObjectName(QStringLiteral("overviewUpstreams"));
    m_database->setTextFormat(Qt::RichText);
    for (QLabel *label : {m_gateway, m_database, m_version, m_uptime})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *about = new QFormLayout;
    about->setContentsMargins(0, 0, 0, 0);
    about->addRow(m_gatewayLabel, m_gateway);
    about->addRow(m_databaseLabel, m_database);
    auto *about2 = new QFormLayout;
    about2->setContentsMargins(0, 0, 0, 0);
    about2->addRow(m_versionLabel, m_version);
    about2->addRow(m_uptimeLabel, m_uptime);
    auto *header = new QHBoxLayout;
    header->addLayout(about, 3);
    header->addSpacing(24);
    header->addLayout(about2, 1);

    auto *tiles = new QHBoxLayout;
    for (StatTile *tile : {m_rateTile, m_errorTile, m_creditsTile, m_keysTile, m_accuracyTile})
        tiles->addWidget(tile);

    m_topSorted->setSourceModel(m_topKeys);
    m_topSorted->setSortRole(TopKeysModel::RawValueRole);
    m_topTable->setModel(m_topSorted);
    m_topTable->setSortingEnabled(true);
    m_topTable->sortByColumn(TopKeysModel::Requests, Qt::DescendingOrder);
    m_topTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_topTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_topTable->setAlternatingRowColors(true);
    m_topTable->verticalHeader()->setVisible(false);
    m_topTable->horizontalHeader()->setStretchLastSection(true);
    m_fitTopColumns = !rememberColumns(m_topTable->horizontalHeader(), QStringLiteral("overview/topKeysHeader"));
    m_topTable->setWordWrap(false);
    m_topTable->setTextElideMode(Qt::ElideRight);
    m_topNote->setWordWrap(true);
    m_topNote->setAlignment(Qt::AlignCenter);
    auto *topLayout = new QVBoxLayout(m_topBox);
    topLayout->addWidget(m_topTable, 1);
    topLayout->addWidget(m_topNote);

    m_upstreamNote->setWordWrap(true);
    auto *upstreamLayout = new QVBoxLayout(m_upstreamBox);
    upstreamLayout->addLayout(m_upstreamGrid);
    upstreamLayout->addWidget(m_upstreamNote);
    upstreamLayout->addStretch(1);
    m_upstreamGrid->setColumnStretch(3, 1);
    m_upstreamGrid->setHorizontalSpacing(16);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_topBox, 3);
    bottom->addWidget(m_upstreamBox, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(tiles);
    layout->addWidget(m_chart, 3);
    layout->addLayout(bottom, 2);

    if (context.status)
        connect(context.status, &StatusPoller::updated, this, &OverviewView::onStatus);
    m_todayTimer.setInterval(TodayRefreshMs);
    connect(&m_todayTimer, &QTimer::timeout, this, &OverviewView::loadToday);
    retranslate();
    if (context.status && context.status->hasStatus())
        onStatus();
}

OverviewView::~OverviewView() = default;

QIcon OverviewView::icon() const
{
    return QIcon(QStringLiteral(":/icons/overview.svg"));
}

bool OverviewView::hasLoaded() const
{
    // Two samples: the first rate (tiles and chart) exists.
    return context().status && context().status->history().size() >= 2 && m_topKeysLoaded;
}

void OverviewView::refresh()
{
    loadToday();
}

void OverviewView::setActive(bool active)
{
    const bool was = isActive();
    ConsoleView::setActive(active);
    if (active) {
        m_todayTimer.start();
        if (!was)
            loadToday();
    } else {
        m_todayTimer.stop();
    }
}

QString OverviewView::durationText(qint64 seconds)
{
    const QLocale locale;
    seconds = qMax<qint64>(0, seconds);
    const qint64 days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60;
    if (days > 0)
        return tr("%1 d %2 h").arg(locale.toString(days), locale.toString(hours));
    if (hours > 0)
        return tr("%1 h %2 min").arg(locale.toString(hours), locale.toString(minutes));
    if (minutes > 0)
        return tr("%1 min %2 s").arg(locale.toString(minutes), locale.toString(rest));
    return tr("%1 s").arg(locale.toString(rest));
}

void OverviewView::onStatus()
{
    const StatusPoller *poller = context().status;
    if (!poller || !poller->hasStatus())
        return;
    const QLocale locale;
    const QJsonObject status = poller->status();
    m_gateway->setText(context().target.describe());
    const QJsonObject database = status.value(QStringLiteral("database")).toObject();
    QString url = context().target.database;
    if (url.isEmpty())
        url = database.value(QStringLiteral("url")).toString();
    m_database->setText(tr("%1 · %2").arg(url.toHtmlEscaped(), statusText(database.value(QStringLiteral("status")).toString())));
    const QString version = status.value(QStringLiteral("version")).toString();
    const QString instance = status.value(QStringLiteral("instance")).toString();
    m_version->setText(instance.isEmpty() ? version : tr("%1 (instance %2)").arg(version, instance));
    m_uptime->setText(durationText(qint64(status.value(QStringLiteral("uptimeSeconds")).toDouble())));

    const bool rates = poller->history().size() >= 2;
    m_rateTile->setValue(rates ? locale.toString(poller->requestsPerSecond(), 'f', 1) : QStringLiteral("—"));
    // The percent sign's spacing is the translation's: "0.2%" / "0,2 %".
    m_errorTile->setValue(rates ? tr("%1%").arg(locale.toString(poller->errorShare() * 100, 'f', 1)) : QStringLiteral("—"));
    // Calls admitted beyond a rate limit, found after the fact (several gateways, Redis outages): 0 is the promise.
    const QJsonObject counters = status.value(QStringLiteral("counters")).toObject();
    if (counters.contains(QStringLiteral("overAdmitted"))) {
        m_accuracyTile->setValue(locale.toString(qint64(counters.value(QStringLiteral("overAdmitted")).toDouble())));
        m_accuracyTile->setDetail(tr("beyond a limit, of %1 rate-limit decisions")
                                      .arg(locale.toString(qint64(counters.value(QStringLiteral("rateDecisions")).toDouble()))));
    } else {
        m_accuracyTile->setValue(QStringLiteral("—"));
    }
    m_chart->updateFrom(poller->history());
    updateUpstreams(status.value(QStringLiteral("upstreams")).toObject());
}

void OverviewView::updateUpstreams(const QJsonObject &upstreams)
{
    const QLocale locale;
    const QStringList names = upstreams.keys();
    if (names != m_upstreamNames) {
        // Another set of upstreams (rare): new rows. Otherwise only the texts change, in place.
        while (QLayoutItem *item = m_upstreamGrid->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        m_upstreamNames = names;
        for (int row = 0; row < names.size(); ++row) {
            for (int column = 0; column < 4; ++column) {
                auto *label = new QLabel(m_upstreamBox);
                label->setObjectName(QStringLiteral("upstream_%1_%2").arg(names[row]).arg(column));
                label->setTextFormat(column == 1 ? Qt::RichText : Qt::PlainText);
                m_upstreamGrid->addWidget(label, row, column);
            }
        }
    }
    for (int row = 0; row < names.size(); ++row) {
        const QJsonObject upstream = upstreams.value(names[row]).toObject();
        auto cell = [this, row](int column) { return qobject_cast<QLabel *>(m_upstreamGrid->itemAtPosition(row, column)->widget()); };
        cell(0)->setText(names[row]);
        QFont bold = cell(0)->font();
        bold.setBold(true);
        cell(0)->setFont(bold);
        cell(1)->setText(statusText(upstream.value(QStringLiteral("status")).toString()));
        cell(2)->setText(latencyText(upstream.value(QStringLiteral("latencyMs"))));
        const QJsonArray instances = upstream.value(QStringLiteral("instances")).toArray();
        int up = 0, known = 0;
        for (const QJsonValue &instance : instances) {
            if (!instance.isObject())
                continue;
            ++known;
            up += instance.toObject().value(QStringLiteral("status")).toString() == QLatin1String("up");
        }
        cell(3)->setText(known ? tr("Instances up: %1 of %2").arg(locale.toString(up), locale.toString(known))
                               : tr("Instances: %1").arg(locale.toString(int(instances.size()))));
        cell(1)->setAccessibleName(tr("%1 is %2").arg(names[row], upstream.value(QStringLiteral("status")).toString()));
    }
    m_upstreamNote->setText(names.isEmpty() ? tr("No upstreams are configured.") : QString());
    m_upstreamNote->setVisible(names.isEmpty());
}

void OverviewView::loadToday()
{
    if (!client())
        return;
    if (!m_topCall) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("days"), QStringLiteral("1"));
        query.addQueryItem(QStringLiteral("limit"), QString::number(ActiveKeysLimit));
        ApiCall *call = client()->get(QStringLiteral("/admin/usage/top-keys"), query);
        m_topCall = call;
        connect(call, &ApiCall::succeeded, this, &OverviewView::onTopKeys);
        connect(call, &ApiCall::failed, this, &OverviewView::onTopKeysFailed);
    }
    if (!m_summaryCall) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("days"), QStringLiteral("1"));
        ApiCall *call = client()->get(QStringLiteral("/admin/usage/summary"), query);
        m_summaryCall = call;
        connect(call, &ApiCall::succeeded, this, [this](const QJsonValue &data) {
            m_creditsToday = qint64(data.toObject().value(QStringLiteral("credits")).toDouble());
            updateTodayTiles();
        });
    }
}

void OverviewView::onTopKeys(const QJsonValue &data)
{
    const QJsonArray keys = data.toArray();
    m_activeKeys = keys.size();
    QJsonArray shown;
    for (qsizetype i = 0; i < keys.size() && i < TopKeysShown; ++i)
        shown.append(keys.at(i));
    m_topKeys->setKeys(shown);
    m_topError.clear();
    m_topKeysSupported = true;
    const bool first = !m_topKeysLoaded;
    m_topKeysLoaded = true;
    updateTodayTiles();
    if (first && m_fitTopColumns)
        m_topTable->resizeColumnsToContents();
    Q_EMIT todayLoaded();
}

void OverviewView::onTopKeysFailed(const ApiError &error)
{
    if (error.isAborted())
        return;
    if (error.status == 404 && error.code == QLatin1String("NOT_FOUND")) {
        // A gateway older than this console: the rest of the Overview still works.
        m_topKeysSupported = false;
        m_topKeysLoaded = true;
        m_topError.clear();
    } else {
        m_topError = tr("Top keys could not be loaded: %1").arg(error.message);
    }
    updateTodayTiles();
}

void OverviewView::updateTodayTiles()
{
    const QLocale locale;
    m_creditsTile->setValue(m_creditsToday >= 0 ? locale.toString(m_creditsToday) : QStringLiteral("—"));
    if (!m_topKeysSupported || m_activeKeys < 0)
        m_keysTile->setValue(QStringLiteral("—"));
    else if (m_activeKeys >= ActiveKeysLimit)
        m_keysTile->setValue(tr("%1+").arg(locale.toString(ActiveKeysLimit)));
    else
        m_keysTile->setValue(locale.toString(m_activeKeys));

    QString note;
    if (!m_topError.isEmpty())
        note = m_topError;
    else if (!m_topKeysSupported)
        note = tr("This gateway does not report its top keys (it is older than this console).");
    else if (m_topKeysLoaded && m_topKeys->rowCount() == 0)
        note = tr("No calls with a key today (UTC) — they appear here within a few seconds.");
    m_topNote->setText(note);
    m_topNote->setVisible(!note.isEmpty());
    m_topTable->setVisible(m_topKeys->rowCount() > 0);
}

void OverviewView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void OverviewView::retranslate()
{
    m_gatewayLabel->setText(tr("Gateway:"));
    m_databaseLabel->setText(tr("Database:"));
    m_versionLabel->setText(tr("Version:"));
    m_uptimeLabel->setText(tr("Up for:"));
    m_gateway->setText(context().target.describe());
    m_rateTile->setCaption(tr("Requests/s"));
    m_rateTile->setDetail(tr("over the last 10 seconds"));
    m_errorTile->setCaption(tr("Errors"));
    m_errorTile->setDetail(tr("share of requests answered 4xx or 5xx"));
    m_creditsTile->setCaption(tr("Credits charged today"));
    m_creditsTile->setDetail(tr("since 00:00 UTC"));
    m_keysTile->setCaption(tr("Keys active today"));
    m_keysTile->setDetail(tr("keys with calls since 00:00 UTC"));
    m_accuracyTile->setCaption(tr("Over-admitted calls"));
    m_accuracyTile->setDetail(tr("beyond a limit, measured after the fact"));
    m_topBox->setTitle(tr("Top keys today (UTC)"));
    m_topTable->setAccessibleName(tr("Top keys today"));
    m_upstreamBox->setTitle(tr("Upstreams"));
    m_topKeys->retranslate();
    m_chart->retranslate();
    updateTodayTiles();
    onStatus();
}

} // namespace tollgate::gui
