#include "app/cli/ServeCommand.h"

#include "app/cli/SignalWatcher.h"
#include "core/service/GatewayCore.h"
#include "core/util/PromiseHome.h"
#include "server/gateway/Gateway.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <utility>

Q_LOGGING_CATEGORY(lcServe, "tollgate.app.serve")

namespace tollgate::cli {

int serve(const Settings &settings)
{
    // This thread runs the event loop from here on and waits on no storage future: results are
    // delivered to it as events (see PromiseHome).
    PromiseHome::setDeliversHere(true);
    GatewayCore core(settings);
    gateway::Gateway gateway(core);
    SignalWatcher watcher;
    bool stopping = false;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, qApp, [&core, &gateway, &stopping](int number) {
        if (std::exchange(stopping, true))
            return;
        qCInfo(lcServe) << "signal" << number << "received: draining in-flight requests";
        const bool drained = gateway.shutdown(10000);
        if (!drained)
            qCWarning(lcServe) << "requests still in flight after 10 s were cut";
        const bool flushed = core.shutdown();
        qCInfo(lcServe) << "usage flushed:" << flushed;
        QCoreApplication::exit(flushed ? 0 : 1);
    });
    QObject::connect(&core, &GatewayCore::ready, qApp, [&settings] {
        qCInfo(lcServe).noquote() << "tollgate" << TOLLGATE_VERSION << "ready; database" << settings.database().redacted();
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
