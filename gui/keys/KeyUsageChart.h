#pragma once

#include "gui/client/ApiError.h"

#include <QPointer>
#include "gui/client/ApiCall.h"
#include <QWidget>

class QLabel;
class QStackedWidget;

class QChart;
class QChartView;

namespace tollgate::gui {

class AdminClient;
class ApiCall;

// One key's last 30 days: a small stacked bar per UTC day, by outcome where the gateway gives outcomes,
// otherwise answered vs errors. GET /admin/usage/daily?days=30&keyId=…
class KeyUsageChart : public QWidget
{
    Q_OBJECT

public:
    static constexpr int Days = 30;
    explicit KeyUsageChart(AdminClient *client, QWidget *parent = nullptr);
    ~KeyUsageChart() override;

    void showKey(const QString &keyId);  // empty: nothing
    bool hasData() const { return m_hasData; }
    QString note() const;

Q_SIGNALS:
    void loaded();

private:
    void load();
    void render(const QJsonValue &data);
    void setNote(const QString &text);

    AdminClient *m_client;
    QString m_keyId;
    QPointer<ApiCall> m_call;
    QStackedWidget *m_stack;
    QLabel *m_note;
    QChartView *m_view;
    QChart *m_chart;
    bool m_hasData = false;
};

} // namespace tollgate::gui
