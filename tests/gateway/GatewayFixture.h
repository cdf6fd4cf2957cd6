#pragma once

#include "FakeUpstream.h"
#include "HttpTestClient.h"
#include "TestDatabase.h"
#include "core/service/GatewayCore.h"
#include "server/gateway/Gateway.h"

#include <QStringList>
#include <QTest>

#include <memory>

namespace tollgate::test {

// A real gateway (core, HTTP front, pipeline, proxy) on a loopback port over a fresh database, with the
// fake upstream behind it and a raw HTTP client in front.
class GatewayFixture
{
public:
    explicit GatewayFixture(const QString &backend, const QStringList &environment = {});
    ~GatewayFixture();
    bool start();  // false with a QTest failure message set

    TestDatabase db;
    FakeUpstream upstream;
    std::unique_ptr<GatewayCore> core;
    std::unique_ptr<gateway::Gateway> gateway;
    std::unique_ptr<HttpTestClient> client;

    // A key of that tier; returns the raw secret. Loaded into the cache the way a first request would.
    QString createKey(const QString &tier = QStringLiteral("pro"), const QStringList &ips = {},
                      const QStringList &endpoints = {}, const QDateTime &expiresAt = {});
    QString keyIdOf(const QString &raw) const;
    void setTier(const Tier &tier);

    HttpTestResponse call(const QByteArray &method, const QByteArray &target, const QString &key,
                          const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {});
    HttpTestRequest request(const QByteArray &method, const QByteArray &target, const QString &key,
                            const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {}) const;

private:
    QStringList m_environment;
    QHash<QString, QString> m_keyIds;
};

template<typename T>
T await(QFuture<T> future, int timeoutMs = 15000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("future did not finish");
    if constexpr (std::is_void_v<T>)
        future.waitForFinished();  // rethrows a failure
    else
        return future.result();
}

quint16 freePort();

} // namespace tollgate::test
