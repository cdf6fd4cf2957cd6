// GET /admin/api-keys with 100,000 keys: the console's first page (it wants < 300 ms), searches and a deep page,
// over real HTTP against a real gateway, on SQLite and (with TOLLGATE_TEST_PG_URL) PostgreSQL. Prints figures;
// never run by ctest. bench_keysearch [--keys N] [--runs N] [--backend sqlite|postgresql]
#include "GatewayFixture.h"

#include "core/keys/SecretGenerator.h"
#include "core/storage/Cursor.h"
#include "core/storage/KeyStore.h"
#include "core/storage/Sql.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <cstdio>

using namespace tollgate;
using namespace tollgate::test;

namespace {

const char *const Words[] = {"crawler", "billing", "search", "nightly", "staging", "mobile", "partner", "export"};
constexpr qint64 BaseMs = 1'767'225'600'000;  // 2026-01-01

struct Made
{
    QString id;
    QString userId;
    QString last4;
    qint64 createdAt = 0;
};

// `count` keys, newest last: user-<i % 5000>, names "<word> <i>", three tiers, every 20th revoked, every 50th expired.
QList<Made> fill(GatewayCore &core, int count)
{
    return await(core.storage().run<QList<Made>>([count](QSqlDatabase &db) {
                     QList<Made> made;
                     made.reserve(count);
                     sql::Transaction tx(db);
                     const QStringList tiers{QStringLiteral("free"), QStringLiteral("pro"), QStringLiteral("enterprise")};
                     for (int i = 0; i < count; ++i) {
                         const QString hash = QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(i) + "-bench", QCryptographicHash::Sha256).toHex());
                         ApiKey key;
                         key.id = QStringLiteral("key_bench%1").arg(i, 7, 10, QLatin1Char('0'));
                         key.keyHash = hash;
                         key.prefix = QStringLiteral("sk_live_");
                         key.last4 = hash.right(4);
                         key.userId = QStringLiteral("user-%1").arg(i % 5000);
                         key.name = QStringLiteral("%1 %2").arg(QLatin1String(Words[i % 8])).arg(i);
                         key.tier = tiers[i % 3];
                         key.revoked = i % 20 == 7;
                         key.createdAt = key.updatedAt = QDateTime::fromMSecsSinceEpoch(BaseMs + qint64(i) * 1000, QTimeZone::utc());
                         if (i % 50 == 3)
                             key.expiresAt = key.createdAt.addDays(1);
                         if (key.revoked)
                             key.revokedAt = key.createdAt;
                         KeyStore::insert(db, key);
                         made.append({key.id, key.userId, key.last4, key.createdAt.toMSecsSinceEpoch()});
                     }
                     tx.commit();
                     if (sql::dialectOf(db) == sql::Dialect::Postgres)
                         sql::exec(db, QStringLiteral("VACUUM ANALYZE api_keys"));  // what autovacuum does after 100,000 inserts
                     else
                         sql::exec(db, QStringLiteral("ANALYZE"));
                     return made;
                 }),
                 600000);
}

struct Figures
{
    double medianMs = 0;
    double p90Ms = 0;
    double maxMs = 0;
    int keys = 0;
};

Figures measure(GatewayFixture &f, const QByteArray &token, const QByteArray &target, int runs)
{
    QList<double> times;
    int keys = -1;
    for (int i = 0; i < runs + 2; ++i) {
        QElapsedTimer timer;
        timer.start();
        const HttpTestResponse r = f.client->send({"GET", target, {{"Authorization", "Bearer " + token}}, {}});
        const double ms = timer.nsecsElapsed() / 1e6;
        if (r.status != 200) {
            std::fprintf(stderr, "%s: %d %s\n", target.constData(), r.status, r.body.left(200).constData());
            return {};
        }
        keys = int(QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray().size());
        if (i >= 2)  // two warm-up runs
            times.append(ms);
    }
    std::sort(times.begin(), times.end());
    return {times.at(times.size() / 2), times.at(qMin(times.size() - 1, int(times.size() * 0.9))), times.last(), keys};
}

int run(const QString &backend, int count, int runs)
{
    GatewayFixture f(backend, {QStringLiteral("HTTP_THREADS=1")});
    if (!f.db.isAvailable()) {
        std::printf("%s: skipped (%s)\n", qPrintable(backend), qPrintable(f.db.unavailableReason()));
        return 0;
    }
    if (!f.start()) {
        std::fprintf(stderr, "%s: the gateway did not start\n", qPrintable(backend));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    const QList<Made> made = fill(*f.core, count);
    std::printf("\n%s: %d keys inserted in %.1f s\n", qPrintable(backend), count, timer.elapsed() / 1000.0);
    const QByteArray token = await(f.core->keyService().createAdminToken(QStringLiteral("bench"), QStringLiteral("bench"))).rawToken.toLatin1();

    // A deep page: 50 keys before the oldest, as a console paging to the end would ask for it.
    const Made &deep = made.at(50);
    const QByteArray deepCursor = cursor::encode(u"keys1", {QString::number(deep.createdAt), deep.id}).toLatin1();
    const Made &middle = made.at(count / 2);
    const QByteArray middleCursor = cursor::encode(u"keys1", {QString::number(middle.createdAt), middle.id}).toLatin1();
    const Made &probe = made.at(count / 3);
    const QList<QPair<const char *, QByteArray>> cases{
        {"first page (50), no filter", "/admin/api-keys"},
        {"first page, limit=200", "/admin/api-keys?limit=200"},
        {"q=crawler (common name word)", "/admin/api-keys?q=crawler"},
        {"q=CRAWLER 4242 (one name, any case)", "/admin/api-keys?q=" + QUrl::toPercentEncoding(QStringLiteral("CRAWLER 4242"))},
        {"q=no-such-name (scans all)", "/admin/api-keys?q=no-such-name"},
        {"q=<id>", "/admin/api-keys?q=" + probe.id.toLatin1()},
        {"q=<user id>", "/admin/api-keys?q=" + probe.userId.toLatin1()},
        {"q=<last 4>", "/admin/api-keys?q=" + probe.last4.toLatin1()},
        {"userId=<user>", "/admin/api-keys?userId=" + probe.userId.toLatin1()},
        {"tier=pro", "/admin/api-keys?tier=pro"},
        {"status=revoked", "/admin/api-keys?status=revoked"},
        {"status=expired", "/admin/api-keys?status=expired"},
        {"q=crawler&tier=pro&status=active", "/admin/api-keys?q=crawler&tier=pro&status=active"},
        {"middle page (cursor at 50 %)", "/admin/api-keys?cursor=" + middleCursor},
        {"deep page (last 50 keys)", "/admin/api-keys?cursor=" + deepCursor},
        {"deep page, tier=pro", "/admin/api-keys?tier=pro&cursor=" + deepCursor},
        {"deep page, q=crawler", "/admin/api-keys?q=crawler&cursor=" + deepCursor},
    };
    std::printf("%-40s %8s %8s %8s %6s\n", "GET /admin/api-keys", "median", "p90", "max", "keys");
    for (const auto &[label, target] : cases) {
        const Figures figures = measure(f, token, target, runs);
        std::printf("%-40s %6.1fms %6.1fms %6.1fms %6d\n", label, figures.medianMs, figures.p90Ms, figures.maxMs, figures.keys);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&args](const QString &name, const QString &fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };
    const int count = option(QStringLiteral("--keys"), QStringLiteral("100000")).toInt();
    const int runs = option(QStringLiteral("--runs"), QStringLiteral("15")).toInt();
    const QString only = option(QStringLiteral("--backend"), QString());
    int failed = 0;
    for (const QString &backend : {QStringLiteral("sqlite"), QStringLiteral("postgresql")}) {
        if (only.isEmpty() || only == backend)
            failed += run(backend, count, qMax(3, runs));
    }
    return failed ? 1 : 0;
}
