#pragma once

#include "gui/widgets/ConsoleView.h"

class QLabel;
class QTableView;

namespace tollgate::gui {

class HealthModel;

// Health: every upstream instance (a dot and a word, name, URL, latency, last check, breaker), then the database
// and Redis, as GET /admin/status last said. The status poller asks every 2 s anyway; this view only redraws
// from it while it is shown.
class HealthView : public ConsoleView
{
    Q_OBJECT

public:
    explicit HealthView(ConsoleContext &context, QWidget *parent = nullptr);

    QString viewId() const override { return QStringLiteral("health"); }
    QString title() const override { return tr("Health"); }
    QIcon icon() const override;
    void refresh() override;
    void setActive(bool active) override;
    bool hasLoaded() const override;

    HealthModel *model() const { return m_model; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void update();
    void updateSummary();

    HealthModel *m_model;
    QLabel *m_summary;
    QTableView *m_table;
    QLabel *m_note;
    bool m_fitColumns = true;  // no widths remembered: fit them to the rows (and the language's headers) shown
    int m_fittedRows = -1;
    bool m_fitting = false;     // the row count they were last fitted to (-1: again, e.g. after a language change)
};

} // namespace tollgate::gui
