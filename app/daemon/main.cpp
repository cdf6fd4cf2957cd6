#include "app/cli/CommandLine.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Qt's own poll()-based event dispatcher instead of GLib's: measured +35–50 % proxy throughput here,
    // because every socket-notifier toggle is a GSource add/remove under GLib. Threads inherit the choice.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Tollgate"));
    QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOLLGATE_VERSION));
    return tollgate::cli::CommandLine::run(QCoreApplication::arguments());
}
