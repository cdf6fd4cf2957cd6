// The JWKS cache against a real (test) server: first fetch, the 5-minute refresh (driven by a
// ManualClock), refresh on an unknown kid at most once per 30 s, and an unreachable, failing, hanging or
// nonsensical JWKS that never blocks and never throws away keys that still work.

#include "JwksTestServer.h"
#include "JwtTestKit.h"

#include "core/auth/JwksCache.h"
#include "core/auth/JwtVerifier.h"
#include "core/util/Clock.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <thread>
#include <vector>

using namespace tollgate;
using namespace tollgate::auth;
using namespace jwttest;

namespace {
constexpr qint64 kNowS = 1'700'000'000;
constexpr qint64 kMinute = 60 * 1000;
} // namespace

class TestJwksCache : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void firstFetchThenEveryFiveMinutes();
    void unknownKidRefreshesAtMostEvery30Seconds();
    void verifyAsyncWaitsForTheRefresh();
    void unreachableAtStartDoesNotBlock();
    void failingJwksRecoversAfter30Seconds();
    void serverErrorKeepsCachedKeys();
    void hangingJwksTimesOut();
    void badDocumentsKeepCachedKeys_data();
    void badDocumentsKeepCachedKeys();
    void oversizedAnswerRefused();
    void unusableKeysSkipped();
    void removedKeyStopsVerifying();
    void concurrentVerifyDuringRefreshes();
    void destroyedCacheAnswersWaiters();

private:
    QJsonObject claims() const
    {
        const qint64 now = m_clock->nowMs() / 1000;
        return QJsonObject{{"sub", "user-1"}, {"plan", "free"}, {"exp", now + 3600}};
    }
    JwksCache::Options fastPolling() const
    {
        JwksCache::Options options;
        options.pollIntervalMs = 10;  // due times still come from the ManualClock
        return options;
    }
    // Starts the cache and waits for its first fetch to end; true if it brought keys.
    bool startAndWait(JwksCache &jwks)
    {
        QSignalSpy refreshed(&jwks, &JwksCache::refreshed);
        jwks.start();
        return refreshed.wait(5000) && refreshed.first().first().toBool();
    }
    // Waits for the next fetch of `jwks` to end (or returns false after 5 s).
    static bool waitRefreshed(JwksCache &jwks, bool *ok = nullptr)
    {
        QSignalSpy refreshed(&jwks, &JwksCache::refreshed);
        if (!refreshed.wait(5000))
            return false;
        if (ok)
            *ok = refreshed.first().first().toBool();
        return true;
    }

    std::shared_ptr<ManualClock> m_clock;
    std::unique_ptr<JwksTestServer> m_server;
    TestKey m_ed;
    TestKey m_ed2;
    TestKey m_ed3;
    TestKey m_rsa;
};

void TestJwksCache::initTestCase()
{
    m_ed = ed25519Key("ed-1");
    m_ed2 = ed25519Key("ed-2");
    m_ed3 = ed25519Key("ed-3");
    m_rsa = rsaKey("rsa-1");
    QVERIFY(!m_ed.isNull() && !m_ed2.isNull() && !m_ed3.isNull() && !m_rsa.isNull());
}

void TestJwksCache::init()
{
    m_clock = std::make_shared<ManualClock>(kNowS * 1000);
    m_server = std::make_unique<JwksTestServer>();
    m_server->setKeys(QJsonArray{m_ed.jwk, m_rsa.jwk});
    QVERIFY(m_server->listen());
}

void TestJwksCache::cleanup()
{
    m_server.reset();
}

void TestJwksCache::firstFetchThenEveryFiveMinutes()
{
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(!jwks.hasKeys());
    QVERIFY(startAndWait(jwks));
    QCOMPARE(m_server->fetches(), 1);
    QVERIFY(jwks.hasKeys());
    QVERIFY(jwks.find("ed-1"));
    QVERIFY(jwks.find("rsa-1"));
    QVERIFY(!jwks.find("ed-2"));
    QCOMPARE(jwks.snapshot()->fetchedAtMs(), kNowS * 1000);

    m_clock->advanceMs(5 * kMinute - 1);
    QTest::qWait(100);  // ten polls: none may fetch yet
    QCOMPARE(m_server->fetches(), 1);

    m_server->addKey(m_ed2.jwk);
    m_clock->advanceMs(1);
    QVERIFY(waitRefreshed(jwks));
    QCOMPARE(m_server->fetches(), 2);
    QVERIFY(jwks.find("ed-2"));  // a rotated-in key appears with the periodic refresh

    m_clock->advanceMs(5 * kMinute);
    QVERIFY(waitRefreshed(jwks));
    QCOMPARE(m_server->fetches(), 3);
}

void TestJwksCache::unknownKidRefreshesAtMostEvery30Seconds()
{
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    JwtVerifier verifier(&jwks, m_clock, {});
    const QByteArray token2 = mint(m_ed2, claims());
    const QByteArray token3 = mint(m_ed3, claims());

    // Within 30 s of the first fetch: an unknown kid asks, but no fetch may run.
    QCOMPARE(verifier.verify(token2).reason, QString("unknown_kid"));
    QTest::qWait(100);
    QCOMPARE(m_server->fetches(), 1);

    // 30 s later the auth service has rotated in ed-2: one fetch, then the token is accepted.
    m_server->addKey(m_ed2.jwk);
    m_clock->advanceMs(30 * 1000);
    QSignalSpy refreshed(&jwks, &JwksCache::refreshed);
    QCOMPARE(verifier.verify(token2).reason, QString("unknown_kid"));
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 5000);
    QCOMPARE(m_server->fetches(), 2);
    const JwtResult accepted = verifier.verify(token2);
    QVERIFY2(accepted.ok, qPrintable(accepted.message));
    QCOMPARE(accepted.claims.subject, QString("user-1"));

    // A second unknown kid (and a burst of them) within 30 s: no fetch.
    m_clock->advanceMs(29 * 1000);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(verifier.verify(token3).reason, QString("unknown_kid"));
    QTest::qWait(100);
    QCOMPARE(m_server->fetches(), 2);

    // After 30 s it may fetch again; still unknown after that refresh: unknown_kid.
    m_clock->advanceMs(1000);
    QCOMPARE(verifier.verify(token3).reason, QString("unknown_kid"));
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 2, 5000);
    QCOMPARE(m_server->fetches(), 3);
    QCOMPARE(verifier.verify(token3).reason, QString("unknown_kid"));
    QTest::qWait(100);
    QCOMPARE(m_server->fetches(), 3);
}

void TestJwksCache::verifyAsyncWaitsForTheRefresh()
{
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    JwtVerifier verifier(&jwks, m_clock, {});

    m_server->addKey(m_ed2.jwk);
    m_clock->advanceMs(31 * 1000);
    QFuture<JwtResult> future = verifier.verifyAsync(mint(m_ed2, claims()));
    QVERIFY(!future.isFinished());
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
    QVERIFY2(future.result().ok, qPrintable(future.result().message));
    QCOMPARE(m_server->fetches(), 2);

    // Within 30 s: answered without a fetch.
    QFuture<JwtResult> rateLimited = verifier.verifyAsync(mint(m_ed3, claims()));
    QTRY_VERIFY_WITH_TIMEOUT(rateLimited.isFinished(), 5000);
    QCOMPARE(rateLimited.result().reason, QString("unknown_kid"));
    QCOMPARE(m_server->fetches(), 2);

    // Unknown even after a refresh.
    m_clock->advanceMs(31 * 1000);
    QFuture<JwtResult> unknown = verifier.verifyAsync(mint(m_ed3, claims()));
    QTRY_VERIFY_WITH_TIMEOUT(unknown.isFinished(), 5000);
    QCOMPARE(unknown.result().reason, QString("unknown_kid"));
    QCOMPARE(m_server->fetches(), 3);

    // Many waiters on one refresh: one fetch, every one answered.
    m_server->addKey(m_ed3.jwk);
    m_clock->advanceMs(31 * 1000);
    QList<QFuture<JwtResult>> many;
    for (int i = 0; i < 20; ++i)
        many.append(verifier.verifyAsync(mint(m_ed3, claims())));
    for (QFuture<JwtResult> &f : many) {
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 5000);
        QVERIFY(f.result().ok);
    }
    QCOMPARE(m_server->fetches(), 4);
}

void TestJwksCache::unreachableAtStartDoesNotBlock()
{
    const QUrl url = m_server->url();
    m_server->close();  // connection refused from now on
    JwksCache jwks(url, m_clock, fastPolling());
    JwtVerifier verifier(&jwks, m_clock, {});
    QSignalSpy refreshed(&jwks, &JwksCache::refreshed);
    jwks.start();

    // Before the failed fetch has even ended: an answer, and the event loop keeps turning.
    const JwtResult early = verifier.verify(mint(m_ed, claims()));
    QCOMPARE(early.reason, QString("jwks_unavailable"));
    bool ticked = false;
    QTimer::singleShot(0, [&ticked] { ticked = true; });
    QTRY_VERIFY(ticked);

    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 5000);  // may have ended while the loop turned above
    QCOMPARE(refreshed.first().first().toBool(), false);
    QVERIFY(!jwks.hasKeys());
    QVERIFY(!jwks.snapshot()->current());
    QCOMPARE(verifier.verify(mint(m_ed, claims())).reason, QString("jwks_unavailable"));
    QCOMPARE(verifier.verify(mint(m_rsa, claims())).reason, QString("jwks_unavailable"));
    // Checks that need no key still come first.
    QCOMPARE(verifier.verify("a.b").reason, QString("malformed"));
    QFuture<JwtResult> future = verifier.verifyAsync(mint(m_ed, claims()));
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
    QCOMPARE(future.result().reason, QString("jwks_unavailable"));
}

void TestJwksCache::failingJwksRecoversAfter30Seconds()
{
    m_server->setMode(JwksTestServer::Mode::Error500);
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    JwtVerifier verifier(&jwks, m_clock, {});
    QVERIFY(!startAndWait(jwks));
    QCOMPARE(verifier.verify(mint(m_ed, claims())).reason, QString("jwks_unavailable"));

    // After a failure the timer retries every 30 s, not every 5 minutes.
    m_server->setMode(JwksTestServer::Mode::Ok);
    m_clock->advanceMs(29 * 1000);
    QTest::qWait(100);
    QCOMPARE(m_server->fetches(), 1);
    m_clock->advanceMs(1000);
    bool ok = false;
    QVERIFY(waitRefreshed(jwks, &ok));
    QVERIFY(ok);
    QCOMPARE(m_server->fetches(), 2);
    QVERIFY(verifier.verify(mint(m_ed, claims())).ok);
    QVERIFY(verifier.verify(mint(m_rsa, claims())).ok);
}

void TestJwksCache::serverErrorKeepsCachedKeys()
{
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    JwtVerifier verifier(&jwks, m_clock, {});

    m_server->setMode(JwksTestServer::Mode::Error500);
    m_clock->advanceMs(5 * kMinute);
    bool ok = true;
    QVERIFY(waitRefreshed(jwks, &ok));
    QVERIFY(!ok);
    QCOMPARE(m_server->fetches(), 2);
    QVERIFY(!jwks.snapshot()->current());
    QCOMPARE(jwks.snapshot()->fetchedAtMs(), kNowS * 1000);

    // Cached keys keep working; a kid we cannot look up is the JWKS's fault, not the token's.
    QVERIFY(verifier.verify(mint(m_ed, claims())).ok);
    QVERIFY(verifier.verify(mint(m_rsa, claims())).ok);
    QCOMPARE(verifier.verify(mint(m_ed2, claims())).reason, QString("jwks_unavailable"));

    // Closed entirely: the same.
    m_server->close();
    m_clock->advanceMs(31 * 1000);
    QVERIFY(waitRefreshed(jwks, &ok));
    QVERIFY(!ok);
    QVERIFY(verifier.verify(mint(m_ed, claims())).ok);
}

void TestJwksCache::hangingJwksTimesOut()
{
    m_server->setMode(JwksTestServer::Mode::Hang);
    JwksCache::Options options = fastPolling();
    options.fetchTimeoutMs = 300;
    JwksCache jwks(m_server->url(), m_clock, options);
    JwtVerifier verifier(&jwks, m_clock, {});
    QSignalSpy refreshed(&jwks, &JwksCache::refreshed);
    jwks.start();
    QTRY_COMPARE(m_server->fetches(), 1);
    // The fetch is stuck; verification is not.
    QCOMPARE(verifier.verify(mint(m_ed, claims())).reason, QString("jwks_unavailable"));
    QFuture<JwtResult> waiting = verifier.verifyAsync(mint(m_ed, claims()));
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.size(), 1, 5000);
    QCOMPARE(refreshed.first().first().toBool(), false);
    QTRY_VERIFY(waiting.isFinished());
    QCOMPARE(waiting.result().reason, QString("jwks_unavailable"));
}

void TestJwksCache::badDocumentsKeepCachedKeys_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("<html>login</html>");
    QTest::newRow("JSON array") << QByteArray("[]");
    QTest::newRow("no keys member") << QByteArray("{\"jwks\":[]}");
    QTest::newRow("keys not an array") << QByteArray("{\"keys\":{}}");
    QTest::newRow("empty keys") << QByteArray("{\"keys\":[]}");
    QTest::newRow("only an HMAC secret")
        << json(QJsonObject{{"keys", QJsonArray{QJsonObject{{"kty", "oct"}, {"kid", "ed-1"}, {"k", "c2VjcmV0"}}}}});
}

void TestJwksCache::badDocumentsKeepCachedKeys()
{
    QFETCH(QByteArray, body);
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    m_server->setBody(body);
    m_clock->advanceMs(5 * kMinute);
    bool ok = true;
    QVERIFY(waitRefreshed(jwks, &ok));
    QVERIFY(!ok);
    QCOMPARE(jwks.snapshot()->kids(), (QStringList{"ed-1", "rsa-1"}));
    JwtVerifier verifier(&jwks, m_clock, {});
    QVERIFY(verifier.verify(mint(m_ed, claims())).ok);
    QCOMPARE(verifier.verify(hs256(QJsonObject{{"alg", "HS256"}, {"kid", "ed-1"}}, claims(), "secret")).reason,
             QString("alg_hmac"));
}

void TestJwksCache::oversizedAnswerRefused()
{
    JwksCache::Options options = fastPolling();
    options.maxBodyBytes = 1024;
    QJsonArray many;
    for (int i = 0; i < 20; ++i) {
        QJsonObject jwk = m_ed.jwk;
        jwk["kid"] = QStringLiteral("ed-%1").arg(i + 100);
        many.append(jwk);
    }
    m_server->setKeys(many);
    JwksCache jwks(m_server->url(), m_clock, options);
    QVERIFY(!startAndWait(jwks));
    QVERIFY(!jwks.hasKeys());
}

void TestJwksCache::unusableKeysSkipped()
{
    QJsonObject oct{{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}};
    QJsonObject ec{{"kty", "EC"}, {"kid", "ec"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}};
    QJsonObject enc = m_ed2.jwk;
    enc["use"] = "enc";
    QJsonObject duplicate = m_ed3.jwk;
    duplicate["kid"] = "ed-1";
    m_server->setKeys(QJsonArray{oct, ec, m_ed.jwk, enc, duplicate, m_rsa.jwk});
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    QCOMPARE(jwks.snapshot()->kids(), (QStringList{"ed-1", "rsa-1"}));
    JwtVerifier verifier(&jwks, m_clock, {});
    QVERIFY(verifier.verify(mint(m_ed, claims())).ok);
    // The repeated kid did not replace the first key.
    QCOMPARE(verifier.verify(mint(m_ed3, QJsonObject{{"alg", "EdDSA"}, {"kid", "ed-1"}}, claims())).reason,
             QString("bad_signature"));
    QCOMPARE(verifier.verify(hs256(QJsonObject{{"alg", "HS256"}, {"kid", "hmac"}}, claims(), "secret")).reason,
             QString("alg_hmac"));
}

void TestJwksCache::removedKeyStopsVerifying()
{
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    JwtVerifier verifier(&jwks, m_clock, {});
    const QByteArray token = mint(m_rsa, claims());
    QVERIFY(verifier.verify(token).ok);
    m_server->setKeys(QJsonArray{m_ed.jwk});  // rsa-1 retired
    m_clock->advanceMs(5 * kMinute);
    QVERIFY(waitRefreshed(jwks));
    QCOMPARE(verifier.verify(token).reason, QString("unknown_kid"));
}

void TestJwksCache::concurrentVerifyDuringRefreshes()
{
    JwksCache jwks(m_server->url(), m_clock, fastPolling());
    QVERIFY(startAndWait(jwks));
    const JwtVerifier verifier(&jwks, m_clock, {});
    // Valid for a year: the clock jumps 5 minutes per refresh while the threads run.
    QJsonObject payload = claims();
    payload["exp"] = kNowS + 365 * 86400;
    const QList<QByteArray> tokens{mint(m_ed, payload), mint(m_rsa, payload)};
    std::atomic<int> failures{0};
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 300; ++i) {
                if (!verifier.verify(tokens[(t + i) % 2]).ok)
                    ++failures;
            }
            ++done;
        });
    }
    // Meanwhile the key set is swapped again and again.
    int fetches = m_server->fetches();
    while (done.load() < 4) {
        m_clock->advanceMs(5 * kMinute);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->fetches() > fetches || done.load() == 4, 5000);
        fetches = m_server->fetches();
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(failures.load(), 0);
    QVERIFY(m_server->fetches() >= 2);
}

void TestJwksCache::destroyedCacheAnswersWaiters()
{
    m_server->setMode(JwksTestServer::Mode::Hang);
    auto jwks = std::make_unique<JwksCache>(m_server->url(), m_clock, fastPolling());
    JwtVerifier verifier(jwks.get(), m_clock, {});
    QFuture<JwtResult> waiting = verifier.verifyAsync(mint(m_ed, claims()));
    QTRY_COMPARE(m_server->fetches(), 1);
    QVERIFY(!waiting.isFinished());
    jwks.reset();
    QVERIFY(waiting.isFinished());
    QCOMPARE(waiting.result().reason, QString("jwks_unavailable"));
}

QTEST_GUILESS_MAIN(TestJwksCache)
#include "tst_jwkscache.moc"
