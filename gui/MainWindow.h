#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace tollgate::gui {

class Banner;
class ConsoleView;
struct ConsoleContext;

// The console's shell (CONSOLE.md): the list of views on the left (Ctrl+1…), the view on the right under a
// banner for connection and action problems, and a status bar that always says which gateway is managed, its
// database, the live rate and the error share. The views do the work; the window only arranges them,
// remembers geometry and the last view, and tells the visible view to poll.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(ConsoleContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // In the order of the list and of Ctrl+1…; the window owns them.
    void addView(ConsoleView *view);
    QList<ConsoleView *> views() const { return m_views; }
    ConsoleView *view(const QString &viewId) const;
    ConsoleView *currentView() const;
    void showView(const QString &viewId);
    Banner *banner() const { return m_banner; }
    // Restores geometry and the last view (call after all views are added).
    void restoreState();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onCurrentRowChanged(int row);
    void onReachability(bool reachable, const QString &message);
    void updateStatusBar();

    ConsoleContext &m_context;
    QListWidget *m_list;
    QStackedWidget *m_stack;
    Banner *m_banner;
    QLabel *m_connection;  // dot + word
    QLabel *m_gateway;
    QLabel *m_database;
    QLabel *m_rate;
    QLabel *m_version;
    QList<ConsoleView *> m_views;
    bool m_reachable = true;
    QString m_problem;
};

} // namespace tollgate::gui
