#pragma once

#include "gui/client/ApiCall.h"
#include "gui/widgets/ConsoleView.h"

#include <QPointer>
#include <QTimer>

class QGridLayout;
class QGroupBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace tollgate::gui {

class LiveRateChart;
class StatTile;
class TopKeysModel;

// Overview: which gateway (and its database, version, uptime), four tiles (requests/s, errors, credits charged
// today, keys active today), the live 5-minute chart of requests/s and errors/s, the top keys today and the
// upstreams at a glance. Live numbers come from the StatusPoller (every 2 s); today's usage is asked for
// again every few seconds while the view is shown. "Today" is the UTC day, as usage is kept.
class OverviewView : public ConsoleView
{
    Q_OBJECT

public:
    explicit OverviewView(ConsoleContext &context, QWidget *parent = nullptr);
    ~OverviewView() override;

    QString viewId() const override { return QStringLiteral("overview"); }
    QString title() const override { return tr("Overview"); }
    QIcon icon() const override;
    void refresh() override;
    void setActive(bool active) override;
    bool hasLoaded() const override;

    LiveRateChart *liveChart() const { return m_chart; }
    TopKeysModel *topKeys() const { return m_topKeys; }

    static constexpr int TodayRefreshMs = 10000;
    static constexpr int TopKeysShown = 10;
    static constexpr int ActiveKeysLimit = 100;  // keys active today are counted up to this, then "100+"

    // "3 d 4 h", "2 h 13 min", "42 s" in the UI language.
    static QString durationText(qint64 seconds);

Q_SIGNALS:
    // Today's usage (top keys, credits) arrived.
    void todayLoaded();

protected:
    void changeEvent(QEvent *event) override;

private:
    void onStatus();
    void loadToday();
    void onTopKeys(const QJsonValue &data);
    void onTopKeysFailed(const ApiError &error);
    void updateUpstreams(const QJsonObject &upstreams);
    void updateTodayTiles();
    void retranslate();

    QLabel *m_gatewayLabel;
    QLabel *m_gateway;
    QLabel *m_databaseLabel;
    QLabel *m_database;
    QLabel *m_versionLabel;
    QLabel *m_version;
    QLabel *m_uptimeLabel;
    QLabel *m_uptime;
    StatTile *m_rateTile;
    StatTile *m_errorTile;
    StatTile *m_creditsTile;
    StatTile *m_keysTile;
    StatTile *m_accuracyTile;  // rate-limit over-admission, measured after the fact
    LiveRateChart *m_chart;
    QGroupBox *m_topBox;
    QTableView *m_topTable;
    QLabel *m_topNote;
    TopKeysModel *m_topKeys;
    QSortFilterProxyModel *m_topSorted;
    QGroupBox *m_upstreamBox;
    QGridLayout *m_upstreamGrid;
    QLabel *m_upstreamNote;
    QTimer m_todayTimer;

    QPointer<ApiCall> m_topCall;
    QPointer<ApiCall> m_summaryCall;
    bool m_topKeysLoaded = false;
    bool m_fitTopColumns = true;  // no widths remembered: fit them to the first top keys
    bool m_topKeysSupported = true;
    QString m_topError;
    qint64 m_activeKeys = -1;
    qint64 m_creditsToday = -1;
    QStringList m_upstreamNames;
};

} // namespace tollgate::gui
