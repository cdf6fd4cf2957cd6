#include "app/cli/ServeCommand.h"

#include "app/cli/SignalWatcher.h"
#include "app/cli/SystemdNotifier.h"
#include "core/service/GatewayCore.h"
#include "core/util/Logging.h"
#include "core/util/PromiseHome.h"
#include "server/gateway/Gateway.h"
#include "server/gateway/Route.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>
#include <QLoggingCategory>

#include <utility>

Q_LOGGING_CATEGORY(lcServe, "tollgate.app.serve")

namespace tollgate::cli {

namespace {

// SIGHUP. A file that no longer reads keeps the running settings (and says why): a typo must not take a
// serving gateway down.
void reload(const Settings &running, const SettingsReader &reread, gateway::Gateway &gateway)
{
    if (!reread)
        return;
    QString error;
    const std::optional<Settings> fresh = reread(&error);
    if (!fresh) {
        qCWarning(lcServe).noquote() << "reload refused, the running settings stay:" << error;
        return;
    }
    static const QStringList live{QStringLiteral("LOG_LEVEL"), QStringLiteral("ACCESS_LOG")};
    // [routes] first: a bad entry refuses the whole reload, as a file that does not read does.
    if (const QString problem = gateway.reload(*fresh); !problem.isEmpty()) {
        qCWarning(lcServe).noquote() << "reload refused, the running settings stay:" << problem;
        return;
    }
    Logging::setLevel(fresh->logLevel());
    QStringList needRestart;
    for (const Settings::Definition &def : Settings::table()) {
        if (!live.contains(def.name) && fresh->value(def.name) != running.value(def.name))
            needRestart.append(def.name);
    }
    qCInfo(lcServe).noquote() << "reloaded: LOG_LEVEL" << fresh->logLevel() << "ACCESS_LOG"
                              << fresh->value(QStringLiteral("ACCESS_LOG")).toString() << "[routes]"
                              << fresh->section(QStringLiteral("routes")).size() << "overrides";
    if (!needRestart.isEmpty())
        qCWarning(lcServe).noquote() << "changed, but only a restart applies them:" << needRestart.join(QStringLiteral(", "));
}

} // namespace

int serve(const Settings &settings, const SettingsReader &reread)
{
    if (settings.opsPort() != 0 && settings.opsPort() == settings.port()) {
        QTextStream(stderr) << "tollgated: OPS_PORT: must differ from PORT (" << settings.port() << ")\n";
        return 2;
    }
    // [routes] is judged like every other setting: before anything starts, on stderr, exit 2.
    if (const QString problem = gateway::RouteTable::defaults().applyOverrides(settings.section(QStringLiteral("routes")));
        !problem.isEmpty()) {
        QTextStream(stderr) << "tollgated: " << settings.configFile() << ": " << problem << "\n";
        return 2;
    }
    // A database directory that cannot be made is a setting to fix, not an outage to wait out.
    if (const DatabaseUrl &db = settings.database(); db.kind == DatabaseUrl::Kind::Sqlite) {
        const QString dir = QFileInfo(db.path).absolutePath();
        if (!QDir().mkpath(dir)) {
            QTextStream(stderr) << "tollgated: DATABASE_URL: cannot create directory \"" << dir
                                << "\" for the SQLite database (set DATABASE_URL, or STATE_DIRECTORY under systemd)\n";
            return 2;
        }
    }
    // This thread runs the event loop from here on and waits on no storage future: results are
    // delivered to it as events (see PromiseHome).
    PromiseHome::setDeliversHere(true);
    GatewayCore core(settings);
    gateway::Gateway gateway(core);
    SignalWatcher watcher;
    SystemdNotifier systemd;
    bool stopping = false;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [&core, &gateway, &stopping, &systemd](int number) {
        if (std::exchange(stopping, true))
            return;
        qCInfo(lcServe) << "signal" << number << "received: draining in-flight requests";
        systemd.stopping();
        const bool drained = gateway.shutdown(10000);
        if (!drained)
            qCWarning(lcServe) << "requests still in flight after 10 s were cut";
        const bool flushed = core.shutdown();
        qCInfo(lcServe) << "usage flushed:" << flushed;
        QCoreApplication::exit(flushed ? 0 : 1);
    });
    QObject::connect(&watcher, &SignalWatcher::reloadRequested, qApp, [&] {
        if (stopping)
            return;
        systemd.reloading();
        reload(settings, reread, gateway);
        systemd.ready(QStringLiteral("serving; database %1").arg(settings.database().redacted()));
    });
    // Ready for systemd once the database answers; the port is open before the event loop runs.
    QObject::connect(&core, &GatewayCore::ready, qApp, [&settings, &systemd] {
        qCInfo(lcServe).noquote() << "tollgate" << TOLLGATE_VERSION << "ready; database" << settings.database().redacted();
        systemd.ready(QStringLiteral("serving; database %1").arg(settings.database().redacted()));
    });
    QObject::connect(&core, &GatewayCore::startFailed, qApp, [&systemd](const QString &reason) {
        systemd.status(QStringLiteral("waiting for the database: %1").arg(reason));
    });
    core.start();
    QString error;
    if (!gateway.listen(&error)) {
        qCCritical(lcServe).noquote() << "cannot listen:" << error;
        core.shutdown();
        return 1;
    }
    return QCoreApplication::exec();
}

} // namespace tollgate::cli
