#pragma once

#include <QString>

#include <optional>

namespace tollgate {

// Where Redis is and how to log in: REDIS_URL (`redis://[:password@]host:port[/db]`) or the REDIS_* parts.
struct RedisUrl
{
    QString host = QStringLiteral("localhost");
    int port = 6379;
    QString password;  // empty: no AUTH
    int db = 0;        // non-zero: SELECT after connecting

    // nullopt and *why when the text is not such a URL.
    static std::optional<RedisUrl> parse(const QString &text, QString *why = nullptr);
    // host:port/db, never the password: for logs and /admin/status.
    QString redacted() const;
};

} // namespace tollgate
