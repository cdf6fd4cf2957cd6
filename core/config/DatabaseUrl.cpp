#include "core/config/DatabaseUrl.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace tollgate {

namespace {

bool readInt(const QUrlQuery &query, const QString &name, int *out, QString *error)
{
    if (!query.hasQueryItem(name))
        return true;
    bool ok = false;
    const int value = query.queryItemValue(name).toInt(&ok);
    if (!ok || value < 0) {
        if (error)
            *error = QStringLiteral("%1 must be a non-negative number").arg(name);
        return false;
    }
    *out = value;
    return true;
}

} // namespace

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<DatabaseUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    DatabaseUrl db;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        db.kind = Kind::Sqlite;
        QString rest = text.mid(7);
        QUrlQuery query;
        const int q = rest.indexOf(QLatin1Char('?'));
        if (q >= 0) {
            query = QUrlQuery(rest.mid(q + 1));
            rest.truncate(q);
        }
        if (rest.startsWith(QLatin1String("//")))  // sqlite:///abs/path
            rest = rest.mid(2);
        if (rest.isEmpty())
            return fail(QStringLiteral("sqlite URL needs a file path, e.g. sqlite:/var/lib/tollgate/tollgate.db"));
        db.path = rest;
        QString why;
        if (!readInt(query, QStringLiteral("busy_timeout_ms"), &db.busyTimeoutMs, &why))
            return fail(why);
        return db;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres")))
        return fail(QStringLiteral("expected postgresql://user:pass@host:port/db or sqlite:/path/file.db"));
    db.kind = Kind::Postgres;
    db.host = url.host();
    db.port = url.port(5432);
    db.user = url.userName();
    db.password = url.password();
    db.database = url.path().mid(1);
    if (db.host.isEmpty())
        return fail(QStringLiteral("postgresql URL has no host"));
    if (db.database.isEmpty())
        return fail(QStringLiteral("postgresql URL has no database name"));
    if (db.port <= 0 || db.port > 65535)
        return fail(QStringLiteral("postgresql port out of range"));
    QString why;
    if (!readInt(QUrlQuery(url), QStringLiteral("connect_timeout"), &db.connectTimeoutSeconds, &why))
        return fail(why);
    return db;
}

QString DatabaseUrl::defaultSqliteUrl()
{
    // Under systemd (StateDirectory=tollgate) the unit's state directory, e.g. /var/lib/tollgate: a DynamicUser
    // has no writable home. Several directories may be listed (colon-separated); the first is ours.
    const QString stateDirectory = qEnvironmentVariable("STATE_DIRECTORY").section(QLatin1Char(':'), 0, 0);
    const QString dir = !stateDirectory.isEmpty() ? stateDirectory
                                                  : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QStringLiteral("sqlite:") + QDir(dir).filePath(QStringLiteral("tollgate.db"));
}

QString DatabaseUrl::redacted() const
{
    if (kind == Kind::Sqlite)
        return QStringLiteral("sqlite:") + path;
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
}

} // namespace tollgate
