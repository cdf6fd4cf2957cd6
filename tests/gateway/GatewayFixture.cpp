#include "GatewayFixture.h"

#include "core/keys/SecretGenerator.h"

#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTest>

namespace tollgate::test {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

GatewayFixture::GatewayFixture(const QString &backend, const QStringList &environment)
    : db(backend), m_environment(environment)
{
}

GatewayFixture::~GatewayFixture()
{
    if (gateway)
        gateway->shutdown(2000);
    gateway.reset();
    if (core)
        core->shutdown();
}

bool GatewayFixture::start()
{
    if (!db.isAvailable())
        return false;
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), db.url());
    env.insert(QStringLiteral("LISTEN_ADDRESS"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PORT"), QString::number(freePort()));
    env.insert(QStringLiteral("HTTP_THREADS"), QStringLiteral("2"));
    env.insert(QStringLiteral("SEARCH_SERVICE_URL"), QString::fromLatin1(upstream.url()));
    env.insert(QStringLiteral("STT_SERVICE_URL"), QString::fromLatin1(upstream.url()));
    env.insert(QStringLiteral("TTS_SERVICE_URL"), QString::fromLatin1(upstream.url()));
    env.insert(QStringLiteral("USAGE_FLUSH_INTERVAL_MS"), QStringLiteral("200"));
    env.insert(QStringLiteral("ACCESS_LOG"), QStringLiteral("off"));
    for (const QString &pair : m_environment)
        env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
    QString error;
    const auto settings = Settings::load(nullptr, env, Settings::Profile::Daemon, &error);
    if (!settings) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    core = std::make_unique<GatewayCore>(*settings);
    core->start();
    if (!QTest::qWaitFor([this] { return core->isReady(); }, 15000))
        return false;
    gateway = std::make_unique<gateway::Gateway>(*core);
    if (!gateway->listen(&error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    client = std::make_unique<HttpTestClient>(gateway->port());
    return true;
}

QString GatewayFixture::createKey(const QString &tier, const QStringList &ips, const QStringList &endpoints,
                                  const QDateTime &expiresAt)
{
    CreateKeyRequest request;
    request.userId = QStringLiteral("user-") + tier;
    request.name = QStringLiteral("test key");
    request.tier = tier;
    request.allowedIps = ips;
    request.allowedEndpoints = endpoints;
    request.expiresAt = expiresAt;
    const CreatedKey created = await(core->keyService().createKey(request, QStringLiteral("test")));
    m_keyIds.insert(created.rawKey, created.view.key.id);
    return created.rawKey;
}

QString GatewayFixture::keyIdOf(const QString &raw) const
{
    return m_keyIds.value(raw);
}

void GatewayFixture::setTier(const Tier &tier)
{
    await(core->keyService().setTier(tier, QStringLiteral("test")));
    await(core->changeFeed().reloadTiers());
}

HttpTestRequest GatewayFixture::request(const QByteArray &method, const QByteArray &target, const QString &key,
                                        const QByteArray &body, QList<QPair<QByteArray, QByteArray>> headers) const
{
    if (!key.isEmpty())
        headers.prepend(qMakePair(QByteArray("X-API-Key"), key.toLatin1()));
    if (!body.isEmpty() && std::none_of(headers.begin(), headers.end(), [](const auto &h) {
            return h.first.compare("content-type", Qt::CaseInsensitive) == 0;
        }))
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return HttpTestRequest{method, target, headers, body};
}

HttpTestResponse GatewayFixture::call(const QByteArray &method, const QByteArray &target, const QString &key,
                                      const QByteArray &body, QList<QPair<QByteArray, QByteArray>> headers)
{
    return client->send(request(method, target, key, body, std::move(headers)));
}

} // namespace tollgate::test
