#include "app/cli/ServeCommand.h"
#include "core/service/GatewayCore.h"
#include "core/util/PromiseHome.h"
#include "core/util/Logging.h"
#include "server/gateway/Gateway.h"
#include "gui/MainWindow.h"
#include "gui/Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QProcessEnvironment>
#include <QTextStream>

#include <cstring>
#include <memory>

namespace {

bool hasDisplay()
{
    const auto env = QProcessEnvironment::systemEnvironment();
    return env.contains(QStringLiteral("DISPLAY")) || env.contains(QStringLiteral("WAYLAND_DISPLAY"))
        || env.contains(QStringLiteral("QT_QPA_PLATFORM"));
}

void describe(QCoreApplication &app)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Tollgate"));
    QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOLLGATE_VERSION));
    Q_UNUSED(app);
}

} // namespace

int main(int argc, char *argv[])
{
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || std::strcmp(argv[i], "--headless") == 0;

    // The gateway's event-loop threads run faster on Qt's own dispatcher than on GLib's (see tollgated's main).
    qputenv("QT_NO_GLIB", "1");
    // Without a display the console runs as the daemon instead of failing to open a window.
    std::unique_ptr<QCoreApplication> app;
    if (headless || !hasDisplay())
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    describe(*app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tollgate admin console with an embedded gateway."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("headless"), QStringLiteral("run the gateway without a window (same as tollgated serve)")});
    parser.addOption({QStringLiteral("connect"), QStringLiteral("manage a running daemon"), QStringLiteral("URL")});
    tollgate::Settings::addOptions(parser);
    parser.process(*app);

    QString error;
    const auto settings = tollgate::Settings::load(&parser, QProcessEnvironment::systemEnvironment(),
                                                   tollgate::Settings::Profile::Console, &error);
    if (!settings) {
        QTextStream(stderr) << "tollgate: " << error << "\n";
        return 2;
    }
    tollgate::Logging::install(settings->logFormat(), settings->logLevel(), stdout);
    if (parser.isSet(QStringLiteral("connect"))) {
        QTextStream(stderr) << "tollgate: --connect is not available in this version yet\n";
        return 2;
    }
    if (!qobject_cast<QApplication *>(app.get())) {
        if (!headless)
            QTextStream(stderr) << "tollgate: no display found, running headless\n";
        return tollgate::cli::serve(*settings);
    }

    tollgate::installTranslations(*app);
    tollgate::PromiseHome::setDeliversHere(true); // the GUI thread never blocks on a storage future
    tollgate::GatewayCore core(*settings);
    tollgate::gateway::Gateway gateway(core);
    tollgate::MainWindow window(&core);
    window.show();
    core.start();
    if (!gateway.listen(&error))
        qCritical().noquote() << "the embedded gateway cannot listen:" << error;
    const int code = QApplication::exec();
    gateway.shutdown(10000);
    core.shutdown();
    return code;
}
