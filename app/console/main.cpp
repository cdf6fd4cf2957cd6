// tollgate: the admin console. No argument: the gateway embedded in this process plus the window;
// --connect URL: the window over a running daemon; --headless (or no display): the daemon itself.
#include "app/cli/ServeCommand.h"
#include "app/cli/SignalWatcher.h"
#include "app/console/EmbeddedGateway.h"
#include "core/util/Logging.h"
#include "core/util/PromiseHome.h"
#include "gui/ConsoleContext.h"
#include "gui/MainWindow.h"
#include "gui/Views.h"
#include "gui/client/AdminClient.h"
#include "gui/client/StatusPoller.h"
#include "gui/connect/RemoteLogin.h"
#include "gui/screenshots/ScreenshotRunner.h"
#include "gui/secrets/TokenStore.h"
#include "gui/settings/Language.h"
#include "gui/widgets/Banner.h"
#include "server/ops/MemoryPolicy.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QTextStream>

#include <cstring>
#include <memory>

using namespace tollgate;

namespace {

bool hasDisplay()
{
    const auto env = QProcessEnvironment::systemEnvironment();
    return env.contains(QStringLiteral("DISPLAY")) || env.contains(QStringLiteral("WAYLAND_DISPLAY"))
        || env.contains(QStringLiteral("QT_QPA_PLATFORM"));
}

int fail(const QString &message, int code = 2)
{
    QTextStream(stderr) << "tollgate: " << message << "\n";
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        headless = headless || std::strcmp(argv[i], "--headless") == 0;

    // The gateway's event-loop threads run faster on Qt's own dispatcher than on GLib's (see tollgated's main).
    qputenv("QT_NO_GLIB", "1");
    // Blocks over 128 KiB always get their own mapping, in every mode (the embedded gateway sets this too): a list
    // of 100,000 keys then grows by mremap rather than by copying into fresh heap pages on the GUI thread.
    ops::MemoryPolicy::keepLargeBuffersMapped();
    // Without a display the console runs as the daemon instead of failing to open a window.
    std::unique_ptr<QCoreApplication> app;
    if (headless || !hasDisplay())
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Tollgate"));
    QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOLLGATE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tollgate admin console with an embedded gateway."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("headless"), QStringLiteral("run the gateway without a window (same as tollgated serve)")});
    parser.addOption({QStringLiteral("connect"), QStringLiteral("manage a running daemon at URL"), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("lang"), QStringLiteral("the UI language: en or de (default: the saved choice, else the system's)"),
                      QStringLiteral("en|de")});
    parser.addOption({QStringLiteral("screenshot"), QStringLiteral("render every view to DIR/<view>-<lang>.png at 1280x800 and exit"),
                      QStringLiteral("DIR")});
    Settings::addOptions(parser);
    parser.process(*app);

    QString error;
    const auto settings = Settings::load(&parser, QProcessEnvironment::systemEnvironment(), Settings::Profile::Console, &error);
    if (!settings)
        return fail(error);
    Logging::install(settings->logFormat(), settings->logLevel(), stdout);
    const QString lang = parser.value(QStringLiteral("lang"));
    if (!lang.isEmpty() && !gui::Language::available().contains(lang))
        return fail(QStringLiteral("--lang: \"%1\" is not one of en, de").arg(lang));
    QUrl remote;
    if (parser.isSet(QStringLiteral("connect"))) {
        remote = QUrl(parser.value(QStringLiteral("connect")), QUrl::StrictMode);
        if (!remote.isValid() || (remote.scheme() != QLatin1String("http") && remote.scheme() != QLatin1String("https"))
            || remote.host().isEmpty())
            return fail(QStringLiteral("--connect: \"%1\" is not an http(s) URL").arg(parser.value(QStringLiteral("connect"))));
    }
    if (!qobject_cast<QApplication *>(app.get())) {
        if (!remote.isEmpty() || parser.isSet(QStringLiteral("screenshot")))
            return fail(QStringLiteral("--connect and --screenshot need a display (or QT_QPA_PLATFORM=offscreen)"));
        if (!headless)
            QTextStream(stderr) << "tollgate: no display found, running headless\n";
        return cli::serve(*settings, [&parser](QString *why) {
            return Settings::load(&parser, QProcessEnvironment::systemEnvironment(), Settings::Profile::Console, why);
        });
    }

    PromiseHome::setDeliversHere(true);  // the GUI thread never blocks on a storage future
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tollgate.svg")));
    QApplication::setDesktopFileName(QStringLiteral("tollgate"));
    gui::Language language;
    language.apply(lang.isEmpty() ? gui::Language::saved() : lang, lang.isEmpty());

    std::unique_ptr<console::EmbeddedGateway> embedded;
    gui::ConsoleContext context;
    if (remote.isEmpty()) {
        embedded = std::make_unique<console::EmbeddedGateway>(*settings);
        if (!embedded->start(&error)) {
            const QString message = QStringLiteral("the embedded gateway cannot listen: %1").arg(error);
            if (!parser.isSet(QStringLiteral("screenshot")))
                QMessageBox::critical(nullptr, QStringLiteral("Tollgate"), message);
            return fail(message, 1);
        }
        context.target = {embedded->apiUrl(), true, embedded->databaseDescription()};
    } else {
        context.target = {remote, false, {}};
    }
    gui::AdminClient client(context.target.url);
    if (embedded)
        client.setToken(embedded->adminToken());
    gui::StatusPoller status(&client);
    gui::TokenStore tokens;
    context.client = &client;
    context.status = &status;
    context.tokens = &tokens;
    context.language = &language;

    gui::MainWindow window(context);
    gui::addViews(window, context);
    window.restoreState();

    std::unique_ptr<gui::ScreenshotRunner> screenshots;
    const auto begin = [&] {
        if (parser.isSet(QStringLiteral("screenshot"))) {
            screenshots = std::make_unique<gui::ScreenshotRunner>(&window, QDir(parser.value(QStringLiteral("screenshot"))),
                                                                  language.current());
            QObject::connect(screenshots.get(), &gui::ScreenshotRunner::finished, qApp, [&](int code, const QString &message) {
                if (code != 0)
                    fail(message, code);
                for (const QString &path : screenshots->written())
                    QTextStream(stdout) << path << "\n";
                QCoreApplication::exit(code);
            });
            window.show();
            screenshots->start();
        } else {
            window.show();
        }
    };

    // SIGTERM/SIGINT end the console as closing its window does: an embedded gateway drains and writes usage.
    cli::SignalWatcher termination;
    QObject::connect(&termination, &cli::SignalWatcher::terminationRequested, qApp, [&window] {
        window.close();
        QCoreApplication::quit();
    });

    gui::RemoteLogin login(&client, &tokens);
    int code = 0;
    if (remote.isEmpty()) {
        begin();
    } else {
        QObject::connect(&login, &gui::RemoteLogin::finished, qApp, [&](bool ok, const QString &message) {
            if (!ok) {
                fail(message);
                QCoreApplication::exit(2);
                return;
            }
            if (!message.isEmpty())
                window.banner()->showMessage(gui::Banner::Kind::Info, message);
            begin();
        });
        login.start(qgetenv("TOLLGATE_ADMIN_TOKEN"));
    }
    code = QApplication::exec();
    status.stop();
    // Closing the window stops an embedded gateway: in-flight calls drain, usage is written.
    if (embedded)
        embedded->stop();
    return code;
}
