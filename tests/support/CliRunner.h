#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace tollgate::test {

// Runs the real tollgated binary against one database, as an admin would from a shell.
struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out.toUtf8()); }
};

class CliRunner
{
public:
    explicit CliRunner(QString databaseUrl) : m_databaseUrl(std::move(databaseUrl)) {}

    // `keys create --user u --name NAME --tier TIER --json`: the raw key (shown this once) and the key's id.
    struct CreatedKey
    {
        QString raw;
        QString id;
    };
    CreatedKey createKey(const QString &name, const QString &tier) const
    {
        const QJsonObject o = run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), QStringLiteral("u"),
                                   QStringLiteral("--name"), name, QStringLiteral("--tier"), tier, QStringLiteral("--json")})
                                  .json()
                                  .object();
        return {o[QLatin1String("key")].toString(), o[QLatin1String("apiKey")].toObject()[QLatin1String("id")].toString()};
    }

    CliResult run(const QStringList &arguments, const QStringList &extraEnvironment = {}) const
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DATABASE_URL"), m_databaseUrl);
        for (const QString &pair : extraEnvironment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(TOLLGATED_PATH), arguments);
        CliResult result;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            result.err = QStringLiteral("timed out");
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

private:
    QString m_databaseUrl;
};

} // namespace tollgate::test
