#pragma once

#include <QObject>
#include <QTimer>

namespace tollgate::cli {

// Tells systemd what the daemon is doing (a unit with Type=notify): READY=1 once it serves, RELOADING=1 and READY=1
// around a SIGHUP reload, STOPPING=1 while it drains, and WATCHDOG=1 from the main event loop at half the unit's
// WatchdogSec (a loop that stops turning gets the daemon restarted). Does nothing when systemd did not start us
// (no $NOTIFY_SOCKET), so the same binary runs from a shell, a container or a test.
class SystemdNotifier : public QObject
{
    Q_OBJECT

public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    void ready(const QString &status);
    void reloading();
    void stopping();
    void status(const QString &text);
    bool watchdogEnabled() const { return m_watchdog.isActive(); }

private:
    void notify(const QByteArray &state);

    QTimer m_watchdog;
};

} // namespace tollgate::cli
