#pragma once

#include "gui/client/ApiCall.h"
#include "gui/usage/UsageModel.h"
#include "gui/widgets/ConsoleView.h"

#include <QPointer>
#include <QTimer>

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace tollgate::gui {

class CsvExportJob;
class KeyPicker;
class UsageCharts;

// Usage: requests per UTC day over 7, 30 or 90 days (remembered), for all keys or one, stacked by outcome or by
// endpoint; credits and latency below; Export CSV… of exactly what is shown. Reloads by itself every few seconds
// while shown (in place, no flicker), so fresh calls appear without F5.
class UsageView : public ConsoleView
{
    Q_OBJECT

public:
    explicit UsageView(ConsoleContext &context, QWidget *parent = nullptr);
    ~UsageView() override;

    QString viewId() const override { return QStringLiteral("usage"); }
    QString title() const override { return tr("Usage"); }
    QIcon icon() const override;
    void refresh() override;
    void setActive(bool active) override;
    bool hasLoaded() const override { return m_loaded; }

    UsageModel *model() const { return m_model; }
    int rangeDays() const { return m_days; }
    void setRangeDays(int days);
    UsageModel::Grouping grouping() const { return m_grouping; }
    void setGrouping(UsageModel::Grouping grouping);
    QString keyId() const;
    void setKeyId(const QString &keyId, const QString &label = {});
    bool isLoading() const { return m_call != nullptr; }

    // Writes what is shown to path, off the GUI thread; exportFinished tells how it went.
    void exportCsv(const QString &path);
    void cancelExport();

    static constexpr int AutoRefreshMs = 10000;

Q_SIGNALS:
    // Once the model holds the answer to the current range, key and grouping.
    void loaded();
    void exportFinished(bool written, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void load(bool quietly);
    void fetchPage(const QString &path, const QString &cursor, int generation);
    void onPage(const QJsonValue &data, const QJsonObject &meta, const QString &path, int generation);
    void onFailure(const ApiError &error, const QString &path, int generation);
    void apply();
    void retranslate();
    void updateTexts();
    void updateExportEnabled();
    void chooseExportFile();
    void onExportFinished(int result, const QString &message);

    QButtonGroup *m_range;
    QButtonGroup *m_groupingButtons;
    KeyPicker *m_keys;
    QPushButton *m_export;
    QProgressBar *m_exportProgress;
    QPushButton *m_exportCancel;
    QLabel *m_keyLabel;
    QLabel *m_status;
    QLabel *m_totals;
    QLabel *m_empty;
    QStackedWidget *m_pages;
    UsageModel *m_model;
    UsageCharts *m_charts;
    CsvExportJob *m_job;
    QTimer m_autoRefresh;

    int m_days = 30;
    UsageModel::Grouping m_grouping = UsageModel::Grouping::Outcome;
    QPointer<ApiCall> m_call;
    QString m_callQuery;  // range and key of the call in flight
    int m_generation = 0;
    QList<UsageModel::Entry> m_pending;
    QList<UsageModel::Entry> m_entries;  // the last complete answer, regrouped without a request
    QDate m_lastDay;
    bool m_loaded = false;
    bool m_queryPending = false;  // the controls changed and their answer has not come yet
    QString m_error;
    QString m_exportMessage;
};

} // namespace tollgate::gui
