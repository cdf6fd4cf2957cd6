#include "gui/MainWindow.h"

#include "gui/ConsoleContext.h"
#include "gui/client/AdminClient.h"
#include "gui/client/StatusPoller.h"
#include "gui/widgets/Banner.h"
#include "gui/widgets/ConsoleView.h"

#include <QAction>
#include <QCloseEvent>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace tollgate::gui {

namespace {

const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString LastViewKey = QStringLiteral("window/lastView");

} // namespace

MainWindow::MainWindow(ConsoleContext &context, QWidget *parent)
    : QMainWindow(parent), m_context(context), m_list(new QListWidget(this)), m_stack(new QStackedWidget(this)),
      m_banner(new Banner(this)), m_connection(new QLabel(this)), m_gateway(new QLabel(this)), m_database(new QLabel(this)),
      m_rate(new QLabel(this)), m_version(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    m_list->setObjectName(QStringLiteral("viewList"));
    m_list->setIconSize(QSize(20, 20));
    m_list->setSpacing(2);
    m_list->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stack->setObjectName(QStringLiteral("viewStack"));

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(m_stack, 1);
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->addWidget(m_list);
    layout->addWidget(right, 1);
    setCentralWidget(central);

    for (QLabel *label : {m_connection, m_gateway, m_database, m_rate}) {
        if (label != m_connection) {
            auto *separator = new QFrame(this);
            separator->setFrameShape(QFrame::VLine);
            separator->setFrameShadow(QFrame::Sunken);
            statusBar()->addWidget(separator);
        }
        statusBar()->addWidget(label);
    }
    statusBar()->addPermanentWidget(m_version);
    m_connection->setObjectName(QStringLiteral("connectionState"));
    m_gateway->setObjectName(QStringLiteral("gatewayLabel"));
    m_database->setObjectName(QStringLiteral("databaseLabel"));
    m_rate->setObjectName(QStringLiteral("rateLabel"));

    connect(m_list, &QListWidget::currentRowChanged, this, &MainWindow::onCurrentRowChanged);
    connect(m_context.status, &StatusPoller::updated, this, &MainWindow::updateStatusBar);
    connect(m_context.status, &StatusPoller::reachabilityChanged, this, &MainWindow::onReachability);
    connect(m_banner, &Banner::retryRequested, this, [this] {
        m_context.status->pollNow();
        if (ConsoleView *view = currentView())
            view->refresh();
    });

    auto *refresh = new QAction(this);
    refresh->setObjectName(QStringLiteral("refreshAction"));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, this, [this] {
        m_context.status->pollNow();
        if (ConsoleView *view = currentView())
            view->refresh();
    });
    addAction(refresh);

    retranslate();
    m_context.status->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::addView(ConsoleView *view)
{
    m_views.append(view);
    m_stack->addWidget(view);
    auto *item = new QListWidgetItem(view->icon(), view->title(), m_list);
    item->setData(Qt::UserRole, view->viewId());
    connect(view, &ConsoleView::problem, this, [this](const QString &message) {
        m_banner->showMessage(Banner::Kind::Error, message);
    });
    const int index = int(m_views.size());
    if (index <= 9) {
        auto *go = new QAction(this);
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + index)));
        connect(go, &QAction::triggered, this, [this, index] { m_list->setCurrentRow(index - 1); });
        addAction(go);
    }
    view->setStale(!m_reachable);
    if (m_list->currentRow() < 0)
        m_list->setCurrentRow(0);
}

ConsoleView *MainWindow::view(const QString &viewId) const
{
    for (ConsoleView *view : m_views) {
        if (view->viewId() == viewId)
            return view;
    }
    return nullptr;
}

ConsoleView *MainWindow::currentView() const
{
    return qobject_cast<ConsoleView *>(m_stack->currentWidget());
}

void MainWindow::showView(const QString &viewId)
{
    for (int i = 0; i < m_views.size(); ++i) {
        if (m_views[i]->viewId() == viewId)
            m_list->setCurrentRow(i);
    }
}

void MainWindow::restoreState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(GeometryKey).toByteArray())) {
        // A first start: a sensible size, centred on the screen.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(qMin(1280, available.width() - 80), qMin(800, available.height() - 80));
        move(available.center() - rect().center());
    }
    QMainWindow::restoreState(settings.value(StateKey).toByteArray());
    const QString last = settings.value(LastViewKey).toString();
    if (!last.isEmpty())
        showView(last);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    if (ConsoleView *view = currentView())
        settings.setValue(LastViewKey, view->viewId());
    m_context.status->stop();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Tollgate — %1").arg(m_context.target.describe()));
    for (int i = 0; i < m_views.size(); ++i) {
        if (QListWidgetItem *item = m_list->item(i))
            item->setText(m_views[i]->title());
    }
    m_list->setAccessibleName(tr("Views"));
    m_version->setText(tr("v%1").arg(QStringLiteral(TOLLGATE_VERSION)));
    if (!m_reachable)
        onReachability(false, m_problem);
    updateStatusBar();
}

void MainWindow::onCurrentRowChanged(int row)
{
    if (row < 0 || row >= m_views.size())
        return;
    for (ConsoleView *view : m_views)
        view->setActive(false);
    m_stack->setCurrentIndex(row);
    m_views[row]->setActive(true);
}

void MainWindow::onReachability(bool reachable, const QString &message)
{
    const bool changed = reachable != m_reachable;
    m_reachable = reachable;
    m_problem = message;
    for (ConsoleView *view : m_views)
        view->setStale(!reachable);
    if (reachable) {
        if (changed) {
            m_banner->clear();
            if (ConsoleView *view = currentView())
                view->refresh();
        }
    } else {
        m_banner->showMessage(Banner::Kind::Warning,
                              tr("The gateway cannot be reached (%1). Retrying in %n s; the views show the last data.", nullptr,
                                 m_context.status->retryInSeconds())
                                  .arg(message),
                              true);
    }
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const QLocale locale;
    // A dot and a word: colour alone fails colour-blind admins and grey screenshots.
    m_connection->setText(m_reachable ? tr("● Connected") : tr("○ Disconnected"));
    m_gateway->setText(m_context.target.describe());
    const QJsonObject status = m_context.status->status();
    QString database = m_context.target.database;
    if (database.isEmpty())
        database = status.value(QStringLiteral("database")).toObject().value(QStringLiteral("url")).toString();
    m_database->setText(database.isEmpty() ? QString() : tr("Database: %1").arg(database));
    m_database->setVisible(!database.isEmpty());
    if (m_context.status->history().size() >= 2) {
        // The percent sign's spacing is the translation's: "0.2% errors", "0,2 % Fehler".
        m_rate->setText(tr("%1 req/s · %2% errors")
                            .arg(locale.toString(m_context.status->requestsPerSecond(), 'f', 1),
                                 locale.toString(m_context.status->errorShare() * 100, 'f', 1)));
    } else {
        m_rate->setText(QString());
    }
    const QString version = status.value(QStringLiteral("version")).toString();
    m_version->setText(version.isEmpty() ? tr("v%1").arg(QStringLiteral(TOLLGATE_VERSION)) : tr("v%1").arg(version));
}

} // namespace tollgate::gui
