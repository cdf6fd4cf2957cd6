#include "core/config/RedisUrl.h"

#include <QUrl>

namespace tollgate {

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *why)
{
    auto fail = [why](const QString &reason) -> std::optional<RedisUrl> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("redis"))
        return fail(QStringLiteral("not a redis://[:password@]host:port[/db] URL"));
    if (url.host().isEmpty())
        return fail(QStringLiteral("the URL names no host"));
    RedisUrl out;
    out.host = url.host();
    out.port = url.port(6379);
    if (out.port < 1 || out.port > 65535)
        return fail(QStringLiteral("port out of range (1-65535)"));
    // redis://:secret@host and redis://user:secret@host (the user is Redis 6 ACL's; AUTH takes the password).
    out.password = url.password(QUrl::FullyDecoded);
    QString path = url.path();
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        out.db = path.toInt(&ok);
        if (!ok || out.db < 0 || out.db > 65535)
            return fail(QStringLiteral("the database \"/%1\" is not a number").arg(path));
    }
    return out;
}

QString RedisUrl::redacted() const
{
    return QStringLiteral("redis://%1:%2/%3").arg(host).arg(port).arg(db);
}

} // namespace tollgate
