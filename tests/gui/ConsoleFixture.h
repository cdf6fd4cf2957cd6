#pragma once

#include "CliRunner.h"
#include "DaemonProcess.h"
#include "FakeUpstream.h"
#include "HttpTestClient.h"
#include "TestDatabase.h"
#include "gui/ConsoleContext.h"
#include "gui/client/AdminClient.h"
#include "gui/client/StatusPoller.h"
#include "gui/secrets/TokenStore.h"
#include "gui/settings/Language.h"

#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

#include <memory>

namespace tollgate::test {

// A real tollgated (SQLite, the fake upstream behind it) and a console context talking to it over HTTP
// with an admin token made by the CLI, as `tollgate --connect` would. Views under test get `context`.
class ConsoleFixture
{
public:
    ConsoleFixture() : db(QStringLiteral("sqlite")) {}

    // extraEnvironment: "NAME=value" settings for the daemon.
    bool start(const QStringList &extraEnvironment = {})
    {
        QStandardPaths::setTestModeEnabled(true);  // QSettings of the console stay out of the user's
        if (!daemon.start(db.url(), upstream.url(), extraEnvironment))
            return false;
        const CliResult token = cli().run({QStringLiteral("admin-token"), QStringLiteral("create"), QStringLiteral("--name"),
                                           QStringLiteral("console-test"), QStringLiteral("--json")});
        adminToken = token.json()[QLatin1String("token")].toString().toLatin1();
        if (adminToken.isEmpty())
            return false;
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(daemon.port);
        client = std::make_unique<gui::AdminClient>(url);
        client->setToken(adminToken);
        status = std::make_unique<gui::StatusPoller>(client.get());
        context.target = {url, false, {}};
        context.client = client.get();
        context.status = status.get();
        context.tokens = &tokens;
        context.language = &language;
        return true;
    }

    CliRunner cli() const { return CliRunner(db.url()); }

    // A key made through the CLI; returns {"key": raw, "apiKey": {...}}.
    QJsonObject createKey(const QString &user, const QString &name, const QString &tier = QStringLiteral("pro")) const
    {
        return cli().run({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--user"), user, QStringLiteral("--name"), name,
                          QStringLiteral("--tier"), tier, QStringLiteral("--json")})
            .json()
            .object();
    }

    // One customer call through the gateway with a key (POST /v1/search), as traffic for the usage and overview
    // views and as proof that a key works; returns the HTTP status.
    int callWithKey(const QString &rawKey) const
    {
        const HttpTestClient http(daemon.port);
        return http.send({"POST", "/v1/search", {{"Content-Type", "application/json"}, {"X-API-Key", rawKey.toLatin1()}}, R"({"q":"x"})"})
            .status;
    }

    TestDatabase db;
    FakeUpstream upstream;
    DaemonProcess daemon;
    QByteArray adminToken;
    std::unique_ptr<gui::AdminClient> client;
    std::unique_ptr<gui::StatusPoller> status;
    gui::TokenStore tokens;
    gui::Language language;
    gui::ConsoleContext context;
};

} // namespace tollgate::test
