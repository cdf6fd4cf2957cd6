#include "gui/screenshots/ScreenshotRunner.h"

#include "gui/MainWindow.h"
#include "gui/widgets/ConsoleView.h"

#include <QPixmap>

namespace tollgate::gui {

namespace {
constexpr int PollMs = 100;
constexpr int LoadTimeoutMs = 20000;
// After the data arrived: a layout pass and the charts' first paint.
constexpr int SettleMs = 400;
}

ScreenshotRunner::ScreenshotRunner(MainWindow *window, const QDir &directory, const QString &language, QObject *parent)
    : QObject(parent), m_window(window), m_directory(directory), m_language(language)
{
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &ScreenshotRunner::check);
}

void ScreenshotRunner::start()
{
    if (!m_directory.mkpath(QStringLiteral("."))) {
        Q_EMIT finished(1, tr("Cannot create the screenshot directory %1.").arg(m_directory.absolutePath()));
        return;
    }
    m_window->resize(1280, 800);
    next();
}

void ScreenshotRunner::next()
{
    ++m_index;
    const QList<ConsoleView *> views = m_window->views();
    if (m_index >= views.size()) {
        m_poll.stop();
        if (!m_failed.isEmpty())
            return Q_EMIT finished(1, tr("No data could be loaded for: %1").arg(m_failed.join(QStringLiteral(", "))));
        return Q_EMIT finished(0, {});
    }
    m_window->showView(views[m_index]->viewId());
    views[m_index]->refresh();
    m_waitedMs = 0;
    m_poll.start();
}

void ScreenshotRunner::check()
{
    ConsoleView *view = m_window->views().value(m_index);
    m_waitedMs += PollMs;
    const bool loaded = view->hasLoaded();
    if (!loaded && m_waitedMs < LoadTimeoutMs)
        return;
    if (loaded && m_waitedMs < SettleMs)
        return;
    m_poll.stop();
    if (!loaded) {
        m_failed.append(view->viewId());
        return next();
    }
    const QString path = m_directory.filePath(QStringLiteral("%1-%2.png").arg(view->viewId(), m_language));
    if (m_window->grab().save(path))
        m_written.append(path);
    else
        m_failed.append(view->viewId());
    next();
}

} // namespace tollgate::gui
