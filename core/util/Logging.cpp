#include "core/util/Logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>

namespace tollgate {

namespace {

bool g_json = true;
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
    QMutexLocker locker(&g_writeMutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), g_stream);
    std::fflush(g_stream);
}

} // namespace

void Logging::install(const QString &format, const QString &level, FILE *stream)
{
    g_json = format != QLatin1String("text");
    g_stream = stream;
    QString rules = QStringLiteral("*.debug=false\nqt.*.info=false\n");
    const QStringList levels{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error")};
    const QStringList qtNames{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("critical")};
    const int threshold = qMax(0, levels.indexOf(level));
    for (int i = 0; i < levels.size(); ++i)
        rules += QStringLiteral("tollgate.*.%1=%2\ntollgate.%1=%2\n").arg(qtNames[i], i >= threshold ? QStringLiteral("true") : QStringLiteral("false"));
    QLoggingCategory::setFilterRules(rules);
    qInstallMessageHandler(handler);
}

} // namespace tollgate
