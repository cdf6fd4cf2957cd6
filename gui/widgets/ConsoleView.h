#pragma once

#include <QIcon>
#include <QList>
#include <QPointer>
#include <QWidget>

class QHeaderView;

namespace tollgate::gui {

class AdminClient;
class HeaderMemory;
struct ConsoleContext;

// One page of the console (Overview, Keys, …). Everything it shows comes from the gateway's API through the
// AdminClient; it never blocks. The main window tells it when it is shown, so that only the visible view
// polls, and when the gateway is unreachable, so that it keeps its last data, greyed.
class ConsoleView : public QWidget
{
    Q_OBJECT

public:
    explicit ConsoleView(ConsoleContext &context, QWidget *parent = nullptr);
    // Saves the remembered column widths while the tables are still whole.
    ~ConsoleView() override;

    // Stable, untranslated: "keys"; the --screenshot file name and the remembered last view.
    virtual QString viewId() const = 0;
    // Translated, for the view list; re-read on LanguageChange.
    virtual QString title() const = 0;
    virtual QIcon icon() const = 0;

    // Load (again) what the view shows. F5.
    virtual void refresh() = 0;
    // Shown (start polling) or hidden (stop).
    virtual void setActive(bool active) { m_active = active; }
    bool isActive() const { return m_active; }
    // The gateway cannot be reached: keep the last data, greyed, until it can.
    virtual void setStale(bool stale);
    // True once the view has shown data from the gateway at least once (--screenshot waits for it).
    virtual bool hasLoaded() const = 0;

Q_SIGNALS:
    // A readable sentence for the banner over the view (an action failed for a reason that is no field's).
    void problem(const QString &message);

protected:
    ConsoleContext &context() const { return m_context; }
    AdminClient *client() const;
    // Column widths, order and sort of header remembered in QSettings under settingsKey ("health/header"): restored
    // now (its model must be set), saved when changed and when the view goes. False: nothing was remembered yet,
    // so the view may fit the columns to its first data.
    bool rememberColumns(QHeaderView *header, const QString &settingsKey);

private:
    QList<QPointer<HeaderMemory>> m_headers;
    ConsoleContext &m_context;
    bool m_active = false;
};

} // namespace tollgate::gui
