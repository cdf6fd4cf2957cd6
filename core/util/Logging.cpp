#include "core/util/Logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>

#include <sys/stat.h>

namespace tollgate {

namespace {

bool g_json = true;
bool g_journal = false;
FILE *g_stream = stdout;
QMutex g_writeMutex;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

// syslog priorities as sd-daemon(3) reads them at the start of a line: journald files each line under its own.
const char *journalPrefix(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "<7>";
    case QtInfoMsg: return "<6>";
    case QtWarningMsg: return "<4>";
    case QtCriticalMsg: return "<3>";
    case QtFatalMsg: return "<2>";
    }
    return "<6>";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    QByteArray line;
    if (g_json) {
        line = QJsonDocument(QJsonObject{{QStringLiteral("ts"), time},
                                         {QStringLiteral("level"), QLatin1String(levelName(type))},
                                         {QStringLiteral("category"), QLatin1String(context.category ? context.category : "default")},
                                         {QStringLiteral("msg"), message}})
                   .toJson(QJsonDocument::Compact);
    } else {
        line = QStringLiteral("%1 %2 %3: %4").arg(time, QLatin1String(levelName(type)),
                                                 QLatin1String(context.category ? context.category : "default"), message).toUtf8();
    }
    line.append('\n');
    if (g_journal)
        line.prepend(journalPrefix(type));
    QMutexLocker locker(&g_writeMutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), g_stream);
    std::fflush(g_stream);
}

} // namespace

void Logging::install(const QString &format, const QString &level, FILE *stream)
{
    g_json = format != QLatin1String("text");
    g_stream = stream;
    // systemd sets JOURNAL_STREAM to the device:inode of the journal socket it gave us as stdout/stderr.
    g_journal = isJournal(stream);
    setLevel(level);
    qInstallMessageHandler(handler);
}

bool Logging::isJournal(FILE *stream)
{
    const QByteArray journal = qgetenv("JOURNAL_STREAM");
    struct stat st = {};
    if (journal.isEmpty() || ::fstat(fileno(stream), &st) != 0)
        return false;
    return journal == QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino));
}

void Logging::setLevel(const QString &level)
{
    QString rules = QStringLiteral("*.debug=false\nqt.*.info=false\n");
    const QStringList levels{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error")};
    const QStringList qtNames{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("critical")};
    const int threshold = qMax(0, levels.indexOf(level));
    for (int i = 0; i < levels.size(); ++i)
        rules += QStringLiteral("tollgate.*.%1=%2\ntollgate.%1=%2\n").arg(qtNames[i], i >= threshold ? QStringLiteral("true") : QStringLiteral("false"));
    QLoggingCategory::setFilterRules(rules);
}

} // namespace tollgate
