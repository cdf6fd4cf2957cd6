#pragma once

#include "core/config/Settings.h"
#include "core/service/KeyService.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace tollgate::cli {

// A usage or input problem: printed on stderr, exit code 2.
struct UsageError
{
    QString message;
};

struct Context
{
    const QCommandLineParser &parser;
    QStringList args;  // positional arguments after "<group> <action>"
    KeyService &keys;
    bool json = false;
    QTextStream &out;

    QString arg(int index, const char *name) const;
    QString requiredOption(const char *name) const;
    qint64 number(const QString &text, const char *name, qint64 minimum) const;
    QStringList listOption(const char *name) const;
    void printJson(const QJsonValue &value) const;
};

// Each returns the exit code.
int runKeys(Context &context, const QString &action);
int runTiers(Context &context, const QString &action);
int runAdminToken(Context &context, const QString &action);

} // namespace tollgate::cli
