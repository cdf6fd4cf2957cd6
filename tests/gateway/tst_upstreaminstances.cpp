// Several instances of one upstream behind a real gateway (two event-loop threads, real sockets): one
// instance killed under load costs no client a 5xx, /health, /metrics and /admin/status show it down,
// and it gets traffic again once it is back.

#include "GatewayFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

using namespace tollgate;
using namespace tollgate::test;

namespace {

int count5xx(const QList<HttpTestResponse> &responses, QStringList *what)
{
    int n = 0;
    for (const HttpTestResponse &r : responses) {
        if (r.status >= 500 || r.status == 0) {
            ++n;
            what->append(QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.errorCode())));
        }
    }
    return n;
}

} // namespace

class TestUpstreamInstances : public QObject
{
    Q_OBJECT

private:
    struct Env
    {
        FakeUpstream instances[3];
        std::unique_ptr<GatewayFixture> f;
        QString key;

        QStringList urls() const
        {
            QStringList out;
            for (const FakeUpstream &instance : instances)
                out.append(QString::fromLatin1(instance.url()));
            return out;
        }
        bool start()
        {
            f = std::make_unique<GatewayFixture>(
                QStringLiteral("sqlite"),
                QStringList{QStringLiteral("SEARCH_SERVICE_URL=") + urls().join(QLatin1Char(',')),
                            QStringLiteral("UPSTREAM_HEALTH_INTERVAL_MS=100"), QStringLiteral("UPSTREAM_OPEN_MS=500"),
                            QStringLiteral("UPSTREAM_FAILURES_TO_OPEN=3")});
            if (!f->start())
                return false;
            key = f->createKey(QStringLiteral("enterprise"));
            return true;
        }
        // Half search (POST, charged), half engines (GET, free).
        QList<HttpTestRequest> round(int n, bool getsOnly = false, int delayMs = 0) const
        {
            QList<HttpTestRequest> requests;
            QList<QPair<QByteArray, QByteArray>> headers;
            if (delayMs > 0)
                headers.append({"X-Test-Delay-Ms", QByteArray::number(delayMs)});
            for (int i = 0; i < n; ++i) {
                if (getsOnly || i % 2)
                    requests.append(f->request("GET", "/v1/search/engines", key, {}, headers));
                else
                    requests.append(f->request("POST", "/v1/search", key, R"({"q":"x"})", headers));
            }
            return requests;
        }
        QJsonObject searchHealth() const
        {
            const HttpTestResponse r = f->client->send({"GET", "/health", {}, {}});
            return QJsonDocument::fromJson(r.body).object().value("upstreams").toObject().value("search").toObject();
        }
        // "status": up, down or unknown; "state" says why: up, down (probe, connect), open, half-open.
        QString instanceField(int i, const char *field) const
        {
            for (const QJsonValue &value : searchHealth().value("instances").toArray()) {
                if (value.toObject().value("url").toString() == urls().at(i))
                    return value.toObject().value(QLatin1String(field)).toString();
            }
            return QStringLiteral("(absent)");
        }
        QString instanceState(int i) const { return instanceField(i, "status"); }
        int served(int i) const { return int(instances[i].requests().size()); }
    };

private Q_SLOTS:
    void oneInstanceKilledUnderLoad()
    {
        Env env;
        QVERIFY(env.start());
        QTRY_COMPARE_WITH_TIMEOUT(env.instanceState(0), QStringLiteral("up"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(env.instanceState(2), QStringLiteral("up"), 5000);

        QStringList errors;
        QCOMPARE(count5xx(env.f->client->sendConcurrently(env.round(60)), &errors), 0);
        for (int i = 0; i < 3; ++i)
            QVERIFY2(env.served(i) > 0, qPrintable(QString::number(i))); // fewest in flight spreads them

        // Killed while calls are in flight on it (stopped as soon as it holds a few of the round's calls,
        // each answer waiting 100 ms upstream): the GETs it held move to the others, and so do the
        // connects it refuses.
        const int servedBeforeKill = env.served(0);
        QTimer killer;
        killer.setInterval(1);
        QObject::connect(&killer, &QTimer::timeout, [&] {
            if (env.served(0) - servedBeforeKill >= 5) {
                env.instances[0].stop();
                killer.stop();
            }
        });
        killer.start();
        const QList<HttpTestResponse> during = env.f->client->sendConcurrently(env.round(60, true, 100));
        killer.stop();
        QVERIFY(!env.instances[0].isRunning());
        const int duringKill = count5xx(during, &errors);
        QCOMPARE(duringKill, 0);
        const int heldWhenKilled = env.served(0) - servedBeforeKill; // received, never answered
        QVERIFY2(heldWhenKilled > 0, "the instance was killed before it got any call of the round");

        // Known dead by the probe within an interval or two; from then on no client sees a 5xx.
        QTRY_COMPARE_WITH_TIMEOUT(env.instanceState(0), QStringLiteral("down"), 3000);
        // Down by the probe, or open: the refused connects of both threads may have opened the breaker first.
        const QString why = env.instanceField(0, "state");
        QVERIFY2(why == QLatin1String("down") || why == QLatin1String("open"), qPrintable(why));
        QCOMPARE(env.searchHealth().value("status").toString(), QStringLiteral("up"));
        const int servedByDead = env.served(0);
        int after = 0;
        for (int round = 0; round < 4; ++round)
            after += count5xx(env.f->client->sendConcurrently(env.round(40)), &errors);
        QVERIFY2(after == 0, qPrintable(errors.join(QLatin1String(", "))));
        QCOMPARE(env.served(0), servedByDead);

        const QByteArray metrics = env.f->client->send({"GET", "/metrics", {}, {}}).body;
        QVERIFY(metrics.contains("tollgate_upstream_up{upstream=\"search\"} 1"));
        QVERIFY2(metrics.contains("tollgate_upstream_up{upstream=\"search\",instance=\"" + env.instances[0].url() + "\"} 0"),
                 metrics.constData());
        QVERIFY(metrics.contains("tollgate_upstream_up{upstream=\"search\",instance=\"" + env.instances[1].url() + "\"} 1"));
        QVERIFY(metrics.contains("tollgate_upstream_breaker_state{upstream=\"search\",instance=\"" + env.instances[1].url() + "\"} 0"));

        // Back: the probe sees it, and fewest in flight sends it its share again.
        QVERIFY(env.instances[0].start());
        QTRY_COMPARE_WITH_TIMEOUT(env.instanceState(0), QStringLiteral("up"), 5000);
        int back = 0;
        for (int round = 0; round < 3; ++round)
            back += count5xx(env.f->client->sendConcurrently(env.round(40)), &errors);
        QCOMPARE(back, 0);
        QVERIFY2(env.served(0) > servedByDead, qPrintable(QString::number(env.served(0) - servedByDead)));
        qInfo("5xx: %d of 60 GETs while killed under load (%d of them in flight on it, moved), %d of 160 after, "
              "%d of 120 once back; the revived instance served %d of those 120",
              duringKill, heldWhenKilled, after, back, env.served(0) - servedByDead);
    }

    // /admin/status lists every instance with state, breaker, latency and last check; one not probed
    // yet is "unknown", never "down".
    void adminStatusShowsInstances()
    {
        Env env;
        env.instances[1].stop();
        QVERIFY(env.start());
        const QByteArray token =
            await(env.f->core->keyService().createAdminToken(QStringLiteral("ops"), QStringLiteral("test"))).rawToken.toLatin1();
        QTRY_COMPARE_WITH_TIMEOUT(env.instanceState(1), QStringLiteral("down"), 5000);
        const HttpTestResponse r = env.f->call("GET", "/admin/status", {}, {}, {{"Authorization", "Bearer " + token}});
        QCOMPARE(r.status, 200);
        const QJsonObject search =
            QJsonDocument::fromJson(r.body).object().value("data").toObject().value("upstreams").toObject().value("search").toObject();
        QCOMPARE(search.value("status").toString(), QStringLiteral("up"));
        const QJsonArray instances = search.value("instances").toArray();
        QCOMPARE(instances.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject instance = instances.at(i).toObject();
            QCOMPARE(instance.value("url").toString(), env.urls().at(i));
            QCOMPARE(instance.value("breaker").toString(), QStringLiteral("closed"));
            QVERIFY(instance.value("checkedAt").toString().endsWith(QLatin1Char('Z')));
            QVERIFY(instance.value("inFlight").isDouble());
            if (i == 1) {
                QCOMPARE(instance.value("status").toString(), QStringLiteral("down"));
                QCOMPARE(instance.value("state").toString(), QStringLiteral("down"));
                QVERIFY(instance.value("latencyMs").isNull());
            } else {
                QCOMPARE(instance.value("status").toString(), QStringLiteral("up"));
                QVERIFY(instance.value("latencyMs").isDouble());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestUpstreamInstances)
#include "tst_upstreaminstances.moc"
