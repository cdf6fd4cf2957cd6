#include "app/cli/ServeCommand.h"

#include "app/cli/SignalWatcher.h"
#include "core/service/GatewayCore.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcServe, "tollgate.app.serve")

namespace tollgate::cli {

int serve(const Settings &settings)
{
    GatewayCore core(settings);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [&core](int number) {
        qCInfo(lcServe) << "signal" << number << "received, shutting down";
        const bool flushed = core.shutdown();
        QCoreApplication::exit(flushed ? 0 : 1);
    });
    QObject::connect(&core, &GatewayCore::ready, qApp, [&settings] {
        qCInfo(lcServe).noquote() << "tollgate" << TOLLGATE_VERSION << "core ready; database"
                                  << settings.database().redacted();
    });
    core.start();
    return QCoreApplication::exec();
}

} // namespace tollgate::cli
