#include "app/cli/CommandLine.h"

#include "app/cli/Commands.h"
#include "app/cli/ServeCommand.h"
#include "core/storage/Migrations.h"
#include "core/storage/StorageWorker.h"
#include "core/util/Logging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QRegularExpression>

namespace tollgate::cli {

namespace {

const char *Usage =
    "Commands:\n"
    "  serve                                   run the gateway (default)\n"
    "  keys create --user ID --name NAME [--tier T] [--test] [--expires ISO8601]\n"
    "              [--endpoints a,b] [--ips CIDR,..] [--json]\n"
    "  keys list [--user ID] [--json]\n"
    "  keys show ID [--json]\n"
    "  keys revoke ID [--json]\n"
    "  keys grant ID CREDITS [--json]\n"
    "  tiers list [--json]\n"
    "  tiers set SLUG --rate N [--window SECONDS] --credits N [--endpoints a,b] [--price-cents N]\n"
    "            [--endpoint-limit GROUP=RATE/SECONDS ...]  (replaces the tier's endpoint limits; 'none' clears them)\n"
    "  admin-token create --name NAME [--json]\n"
    "  admin-token list [--json]\n"
    "  admin-token revoke ID [--json]\n"
    "  migrate                                 bring the schema up to date and exit\n";

QStringList allowedOptions(const QString &command);

const QList<QCommandLineOption> &commandOptionList()
{
    static const QList<QCommandLineOption> options{
        {QStringLiteral("json"), QStringLiteral("print one JSON document on stdout")},
        {QStringLiteral("user"), QStringLiteral("user id (keys create, keys list)"), QStringLiteral("ID")},
        {QStringLiteral("name"), QStringLiteral("name (keys create, admin-token create)"), QStringLiteral("NAME")},
        {QStringLiteral("tier"), QStringLiteral("tier slug (keys create; default free)"), QStringLiteral("T")},
        {QStringLiteral("test"), QStringLiteral("create a test key (sk_test_…)")},
        {QStringLiteral("expires"), QStringLiteral("expiry, ISO 8601 (keys create)"), QStringLiteral("ISO8601")},
        {QStringLiteral("endpoints"), QStringLiteral("endpoint groups: search,extract,stt,tts"), QStringLiteral("a,b")},
        {QStringLiteral("ips"), QStringLiteral("allowed client networks (keys create)"), QStringLiteral("CIDR,..")},
        {QStringLiteral("rate"), QStringLiteral("requests per window (tiers set)"), QStringLiteral("N")},
        {QStringLiteral("window"), QStringLiteral("rate window in seconds (tiers set; default 60)"), QStringLiteral("SECONDS")},
        {QStringLiteral("credits"), QStringLiteral("monthly credits (tiers set)"), QStringLiteral("N")},
        {QStringLiteral("price-cents"), QStringLiteral("monthly price in cents (tiers set)"), QStringLiteral("N")},
        {QStringLiteral("endpoint-limit"), QStringLiteral("a limit of one endpoint group, e.g. stt=5/3600 (tiers set; repeatable)"),
         QStringLiteral("GROUP=RATE/SECONDS")},
    };
    return options;
}

void addCommandOptions(QCommandLineParser &parser)
{
    parser.addOptions(commandOptionList());
}

// `tollgated keys --help`, `tollgated tiers set --help`: the lines of Usage that concern the command, and the
// options it takes, instead of every setting of the daemon.
QString commandHelp(const QStringList &positional)
{
    const QString group = positional.value(0);
    const QString command = positional.size() > 1 ? group + QLatin1Char(' ') + positional.at(1) : group;
    QStringList usage;
    bool inCommand = false;
    for (const QString &line : QString::fromLatin1(Usage).split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(command + QLatin1Char(' ')) || trimmed == command) {
            usage.append(line);
            inCommand = true;
        } else if (inCommand && line.startsWith(QLatin1String("    ")) && !trimmed.isEmpty()) {
            usage.append(line);  // a continuation of the command's usage
        } else {
            inCommand = false;
        }
    }
    if (usage.isEmpty())
        return {};
    QString text = QStringLiteral("Usage: tollgated %1 …\n\n%2\n").arg(command, usage.join(QLatin1Char('\n')));
    QStringList options;
    if (positional.size() > 1)
        options = allowedOptions(command);
    if (command != QLatin1String("migrate"))
        options.prepend(QStringLiteral("json"));
    if (!options.isEmpty()) {
        text += QStringLiteral("\nOptions:\n");
        for (const QCommandLineOption &option : commandOptionList()) {
            if (!options.contains(option.names().constFirst()))
                continue;
            const QString flag = QStringLiteral("--%1%2").arg(option.names().constFirst(),
                option.valueName().isEmpty() ? QString() : QLatin1Char(' ') + option.valueName());
            text += QStringLiteral("  %1 %2\n").arg(flag.leftJustified(36), option.description());
        }
    }
    text += QStringLiteral("\nEvery setting (--config FILE, --database-url URL, …) applies too: tollgated --help lists them.\n");
    return text;
}

// Options that belong to one command only; anything else given to it is a mistake worth saying.
QStringList allowedOptions(const QString &command)
{
    static const QHash<QString, QStringList> table{
        {QStringLiteral("keys create"), {QStringLiteral("user"), QStringLiteral("name"), QStringLiteral("tier"), QStringLiteral("test"),
                                         QStringLiteral("expires"), QStringLiteral("endpoints"), QStringLiteral("ips")}},
        {QStringLiteral("keys list"), {QStringLiteral("user")}},
        {QStringLiteral("tiers set"), {QStringLiteral("rate"), QStringLiteral("window"), QStringLiteral("credits"),
                                       QStringLiteral("endpoints"), QStringLiteral("price-cents"), QStringLiteral("endpoint-limit")}},
        {QStringLiteral("admin-token create"), {QStringLiteral("name")}},
    };
    return table.value(command);
}

void checkOptions(const QCommandLineParser &parser, const QString &command)
{
    static const QStringList commandOptions{QStringLiteral("user"), QStringLiteral("name"), QStringLiteral("tier"),
                                            QStringLiteral("test"), QStringLiteral("expires"), QStringLiteral("endpoints"),
                                            QStringLiteral("ips"), QStringLiteral("rate"), QStringLiteral("window"),
                                            QStringLiteral("credits"), QStringLiteral("price-cents"), QStringLiteral("endpoint-limit")};
    const QStringList allowed = allowedOptions(command);
    for (const QString &name : commandOptions) {
        if (parser.isSet(name) && !allowed.contains(name))
            throw UsageError{QStringLiteral("--%1 does not apply to \"%2\"").arg(name, command)};
    }
}

int exitCodeOf(const StorageError &error)
{
    return error.kind() == StorageError::Kind::Invalid ? 2 : 1;
}

} // namespace

QString Context::arg(int index, const char *name) const
{
    if (index >= args.size())
        throw UsageError{QStringLiteral("missing argument %1").arg(QLatin1String(name))};
    return args.at(index);
}

QString Context::requiredOption(const char *name) const
{
    const QString option = QLatin1String(name);
    if (!parser.isSet(option) || parser.value(option).trimmed().isEmpty())
        throw UsageError{QStringLiteral("--%1 is required").arg(option)};
    return parser.value(option);
}

qint64 Context::number(const QString &text, const char *name, qint64 minimum) const
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < minimum)
        throw UsageError{QStringLiteral("%1: \"%2\" is not a whole number of at least %3").arg(QLatin1String(name), text).arg(minimum)};
    return value;
}

QStringList Context::listOption(const char *name) const
{
    QStringList out;
    for (const QString &part : parser.value(QLatin1String(name)).split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.append(part.trimmed());
    return out;
}

void Context::printJson(const QJsonValue &value) const
{
    const QJsonDocument document = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out << document.toJson(QJsonDocument::Indented);
}

int CommandLine::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tollgate API gateway and its admin CLI.\n\n") + QLatin1String(Usage));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("see Commands above"), QStringLiteral("[command ...]"));
    Settings::addOptions(parser);
    addCommandOptions(parser);

    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        // "-5" reads as an option to QCommandLineParser ("Unknown option '5'"); say what it is.
        for (const QString &argument : arguments.mid(1)) {
            static const QRegularExpression negative(QStringLiteral("^-[0-9]+$"));
            if (negative.match(argument).hasMatch()) {
                err << "tollgated: \"" << argument << "\" is negative; counts, credits, rates and windows are whole numbers of at least 1\n";
                return 2;
            }
        }
        err << "tollgated: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        const QStringList positional = parser.positionalArguments();
        const QString focused = positional.isEmpty() || positional.constFirst() == QLatin1String("serve")
            ? QString() : commandHelp(positional);
        if (!positional.isEmpty() && positional.constFirst() != QLatin1String("serve") && focused.isEmpty()) {
            err << "tollgated: unknown command \"" << positional.join(QLatin1Char(' ')) << "\"; see --help\n";
            return 2;
        }
        QTextStream(stdout) << (focused.isEmpty() ? parser.helpText() : focused);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "tollgated " << TOLLGATE_VERSION << "\n";
        return 0;
    }

    QString error;
    const auto settings = Settings::load(&parser, QProcessEnvironment::systemEnvironment(), Settings::Profile::Daemon, &error);
    if (!settings) {
        err << "tollgated: " << error << "\n";
        return 2;
    }

    QStringList positional = parser.positionalArguments();
    const QString group = positional.value(0, QStringLiteral("serve"));
    if (group == QLatin1String("serve")) {
        Logging::install(settings->logFormat(), settings->logLevel(), stdout);
        return serve(*settings, [&parser](QString *why) {
            return Settings::load(&parser, QProcessEnvironment::systemEnvironment(), Settings::Profile::Daemon, why);
        });
    }
    Logging::install(settings->logFormat(), QStringLiteral("warning"), stderr);

    QTextStream out(stdout);
    try {
        StorageWorker storage(settings->database());
        KeyService keys(&storage, Clock::system(), settings->liveKeyPrefix(), settings->testKeyPrefix());
        if (group == QLatin1String("migrate")) {
            checkOptions(parser, group);
            const int applied = keys.migrate().result();
            out << "Schema is at version " << Migrations::latestVersion() << " (" << applied << " migration"
                << (applied == 1 ? "" : "s") << " applied).\n";
            return 0;
        }
        const QStringList groups{QStringLiteral("keys"), QStringLiteral("tiers"), QStringLiteral("admin-token")};
        if (!groups.contains(group))
            throw UsageError{QStringLiteral("unknown command \"%1\"; see --help").arg(group)};
        if (positional.size() < 2)
            throw UsageError{QStringLiteral("\"%1\" needs a subcommand; see --help").arg(group)};
        const QString action = positional.at(1);
        checkOptions(parser, group + QLatin1Char(' ') + action);
        keys.migrate().result();
        Context context{parser, positional.mid(2), keys, parser.isSet(QStringLiteral("json")), out};
        if (group == QLatin1String("keys"))
            return runKeys(context, action);
        if (group == QLatin1String("tiers"))
            return runTiers(context, action);
        return runAdminToken(context, action);
    } catch (const UsageError &usage) {
        err << "tollgated: " << usage.message << "\n";
        return 2;
    } catch (const StorageError &storageError) {
        err << "tollgated: " << storageError.message() << "\n";
        return exitCodeOf(storageError);
    }
}

} // namespace tollgate::cli
