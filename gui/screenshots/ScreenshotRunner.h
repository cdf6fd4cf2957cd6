#pragma once

#include <QDir>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace tollgate::gui {

class MainWindow;

// `tollgate --screenshot DIR`: shows each view of the window in turn at 1280×800, waits until it has shown
// real data from the gateway, and saves DIR/<view>-<lang>.png (QGIS' appscreenshots does the same for its
// docs). Ends with finished(0), or finished(1) naming the views whose data could not be loaded.
class ScreenshotRunner : public QObject
{
    Q_OBJECT

public:
    ScreenshotRunner(MainWindow *window, const QDir &directory, const QString &language, QObject *parent = nullptr);
    void start();
    QStringList written() const { return m_written; }

Q_SIGNALS:
    void finished(int exitCode, const QString &message);

private:
    void next();
    void check();

    MainWindow *m_window;
    QDir m_directory;
    QString m_language;
    int m_index = -1;
    int m_waitedMs = 0;
    QTimer m_poll;
    QStringList m_written;
    QStringList m_failed;
};

} // namespace tollgate::gui
