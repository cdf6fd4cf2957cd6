#include "app/cli/SystemdNotifier.h"

#include <QLoggingCategory>

#include <systemd/sd-daemon.h>

Q_LOGGING_CATEGORY(lcSystemd, "tollgate.app.systemd")

namespace tollgate::cli {

SystemdNotifier::SystemdNotifier(QObject *parent) : QObject(parent)
{
    uint64_t watchdogUsec = 0;
    // unset_environment 0: the variables stay for children; we start none that would misread them.
    if (sd_watchdog_enabled(0, &watchdogUsec) > 0 && watchdogUsec > 0) {
        m_watchdog.setInterval(int(qBound<uint64_t>(100, watchdogUsec / 2000, 3600000)));
        connect(&m_watchdog, &QTimer::timeout, this, [this] { notify("WATCHDOG=1"); });
        m_watchdog.start();
        qCInfo(lcSystemd) << "watchdog every" << m_watchdog.interval() << "ms";
    }
}

void SystemdNotifier::ready(const QString &text)
{
    notify("READY=1\nSTATUS=" + text.toUtf8());
}

void SystemdNotifier::reloading()
{
    notify("RELOADING=1\nSTATUS=reloading");
}

void SystemdNotifier::stopping()
{
    notify("STOPPING=1\nSTATUS=draining in-flight requests");
}

void SystemdNotifier::status(const QString &text)
{
    notify("STATUS=" + text.toUtf8());
}

void SystemdNotifier::notify(const QByteArray &state)
{
    const int sent = sd_notify(0, state.constData());
    if (sent < 0)
        qCWarning(lcSystemd) << "sd_notify failed:" << strerror(-sent);
}

} // namespace tollgate::cli
