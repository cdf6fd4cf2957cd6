// UpstreamPool over several instances, against scripted fake upstreams on loopback: fewest-in-flight
// balancing, a call moved to another instance when it could not be sent or (GET) got no response
// byte, a killed instance under load, the circuit breaker (open, half-open trial, closed, shared by
// pools of different threads), and probe verdicts that routing obeys.

#include "ScriptedUpstream.h"
#include "ProxyTestSupport.h"

#include "server/proxy/UpstreamClock.h"

#include <QEventLoop>
#include <QTest>
#include <QThread>

#include <list>

namespace {

quint16 refusedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QUrl urlFor(quint16 port)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
}

// Answers every request with its instance's name after delayMs, or with status (503, …) instead.
struct NamedUpstream
{
    explicit NamedUpstream(QByteArray name, int delayMs = 0)
        : name(std::move(name))
        , delayMs(delayMs)
        , server([this](ScriptedRequest &request) { answer(request); })
    {
    }
    void answer(ScriptedRequest &request)
    {
        const QByteArray response = status == 200
            ? okResponse(name)
            : "HTTP/1.1 " + QByteArray::number(status) + " Unwell\r\nContent-Length: 0\r\n\r\n";
        if (delayMs > 0)
            ScriptedUpstream::sendLater(request, delayMs, response);
        else
            ScriptedUpstream::send(request, response);
    }
    QByteArray name;
    int delayMs;
    int status = 200;
    ScriptedUpstream server;
};

// Keeps `concurrency` calls in flight until `total` have started; each new one starts from the
// event loop once one ends (as a gateway's clients would).
struct Load
{
    Load(UpstreamPool &pool, int total, int concurrency, std::function<UpstreamRequest()> make)
        : pool(pool)
        , total(total)
        , concurrency(concurrency)
        , make(std::move(make))
    {
    }
    // An event loop of its own rather than QTest::qWaitFor, whose sleeps between rounds would let
    // answers pile up unseen and make a fast instance look as busy as a slow one.
    void run(int timeoutMs)
    {
        QEventLoop loop;
        m_loop = &loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        for (int i = 0; i < concurrency; ++i)
            next();
        if (completes + errors < total)
            loop.exec();
        m_loop = nullptr;
    }
    void ended()
    {
        if (completes + errors == total && m_loop)
            m_loop->quit();
        QTimer::singleShot(0, &context, [this] { next(); });
    }
    void next()
    {
        if (started == total)
            return;
        ++started;
        if (beforeStart)
            beforeStart(started);
        calls.emplace_back();
        CallRecorder &recorder = calls.back();
        recorder.watch(pool.start(make()));
        auto complete = std::move(recorder.call->onComplete);
        recorder.call->onComplete = [this, complete] {
            complete();
            ++completes;
            ended();
        };
        auto error = std::move(recorder.call->onError);
        recorder.call->onError = [this, error](UpstreamError e, const QString &detail) {
            error(e, detail);
            ++errors;
            errorDetails.append(detail);
            ended();
        };
    }
    int servedBy(const QByteArray &name) const
    {
        return int(std::count_if(calls.begin(), calls.end(), [&](const CallRecorder &c) { return c.body == name; }));
    }

    UpstreamPool &pool;
    int total;
    int concurrency;
    std::function<UpstreamRequest()> make;
    std::function<void(int started)> beforeStart;
    std::list<CallRecorder> calls;
    int started = 0;
    int completes = 0;
    int errors = 0;
    QStringList errorDetails;
    QObject context;
    QEventLoop *m_loop = nullptr;
};

QByteArray runOne(UpstreamPool &pool, UpstreamRequest request = makeRequest(), UpstreamError *error = nullptr)
{
    CallRecorder call;
    call.watch(pool.start(std::move(request)));
    // Its own event loop, not QTest::qWaitFor (which sleeps 10 ms a round): the breaker tests count
    // calls against short open periods.
    QEventLoop loop;
    call.completeHook = [&] { loop.quit(); };
    auto error_ = std::move(call.call->onError);
    call.call->onError = [&, error_](UpstreamError e, const QString &detail) {
        error_(e, detail);
        loop.quit();
    };
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!call.ended())
        return "(no end)";
    if (error)
        *error = call.error;
    return call.errors ? QByteArray("error: ") + call.detail.toUtf8() : call.body;
}

} // namespace

class tst_UpstreamBalancing : public QObject
{
    Q_OBJECT

private slots:
    void slowInstanceGetsFewerCalls();
    void killedInstanceUnderLoadCostsNoCall();
    void connectFailuresOpenTheBreaker();
    void breakerOpensHalfOpensAndCloses();
    void abandonedTrialLetsTheNextOneGo();
    void breakerSharedAcrossThreads();
    void getMovesBeforeFirstByte();
    void postWithBodySentIsNotMoved();
    void streamedUploadNotMovedOnceBytesWent();
    void refusedPostMoves();
    void probeDownInstanceSkipped();
    void movedOnlyOnce();
};

void tst_UpstreamBalancing::slowInstanceGetsFewerCalls()
{
    NamedUpstream slow("slow", 150);
    NamedUpstream fast("fast");
    UpstreamPool pool(QStringLiteral("test"), {slow.server.url(), fast.server.url()});
    Load load(pool, 200, 4, [] { return makeRequest(); });
    load.run(30000);
    QCOMPARE(load.errors, 0);
    QCOMPARE(load.completes, 200);
    // Round-robin would have given each 100. Fewest in flight sends the slow one a call only while
    // the fast one has as many in flight: the first tie and hardly any other (2 on an idle machine;
    // the bound leaves room for a loaded one, where the fast one's answers also wait).
    const int slowCalls = load.servedBy("slow");
    QVERIFY2(slowCalls >= 1 && slowCalls <= 40, qPrintable(QString::number(slowCalls)));
    QCOMPARE(slowCalls + load.servedBy("fast"), 200);
    qInfo("fewest in flight: the slow instance got %d of 200 calls, the fast one %d", slowCalls, 200 - slowCalls);
    QCOMPARE(pool.states().inFlight(0), 0);
    QCOMPARE(pool.states().inFlight(1), 0);
}

void tst_UpstreamBalancing::killedInstanceUnderLoadCostsNoCall()
{
    // Three instances answering after 2 ms, so calls are in flight on each when one goes away: its
    // open connections are reset (GETs in flight move), and its port then refuses (every call moves).
    auto a = std::make_unique<NamedUpstream>("a", 2);
    NamedUpstream b("b", 2);
    NamedUpstream c("c", 2);
    UpstreamPool::Options options;
    options.markDownMs = 200;
    UpstreamPool pool(QStringLiteral("test"), {a->server.url(), b.server.url(), c.server.url()}, options);
    Load gets(pool, 600, 12, [] { return makeRequest("GET", "/search"); });
    int servedByABeforeKill = 0;
    gets.beforeStart = [&](int started) {
        if (started == 150) {
            servedByABeforeKill = a->server.requestsSeen();
            a.reset();
        }
    };
    gets.run(60000);
    QVERIFY2(gets.errors == 0, qPrintable(gets.errorDetails.join(QLatin1String("; "))));
    QCOMPARE(gets.completes, 600);
    QVERIFY(servedByABeforeKill > 20);
    QVERIFY(pool.callsMoved() >= 1);

    // POSTs are moved only when they could not be sent: with the port refusing, that is every one
    // that picks the dead instance.
    const int movedBefore = pool.callsMoved();
    Load posts(pool, 200, 12, [] {
        UpstreamRequest request = makeRequest("POST", "/search");
        request.body = "{\"q\":\"x\"}";
        return request;
    });
    posts.run(60000);
    QVERIFY2(posts.errors == 0, qPrintable(posts.errorDetails.join(QLatin1String("; "))));
    QCOMPARE(posts.servedBy("b") + posts.servedBy("c"), 200);
    qInfo("calls moved to another instance: %d of 600 GETs, %d of 200 POSTs", movedBefore,
          pool.callsMoved() - movedBefore);
}

void tst_UpstreamBalancing::connectFailuresOpenTheBreaker()
{
    NamedUpstream live("live");
    UpstreamPool::Options options;
    options.failuresToOpen = 3;
    options.openMs = 60000;
    options.markDownMs = 1; // no skipping after a refused connect: only the breaker keeps calls away
    UpstreamPool pool(QStringLiteral("test"), {urlFor(refusedPort()), live.server.url()}, options);
    for (int i = 0; i < 12; ++i) {
        QCOMPARE(runOne(pool), QByteArray("live"));
        QTest::qWait(2);
    }
    QCOMPARE(pool.states().breaker(0), UpstreamInstanceStates::Breaker::Open);
    QCOMPARE(pool.callsMoved(), 3); // one per failure until it opened
    QCOMPARE(pool.states().snapshot(0, upstreamNowMs()).state(), QStringLiteral("open"));
    QCOMPARE(pool.states().snapshot(0, upstreamNowMs()).status(), QStringLiteral("down"));
}

void tst_UpstreamBalancing::breakerOpensHalfOpensAndCloses()
{
    NamedUpstream flaky("flaky");
    NamedUpstream steady("steady");
    flaky.status = 503;
    UpstreamPool::Options options;
    options.failuresToOpen = 3;
    options.openMs = 300;
    UpstreamPool pool(QStringLiteral("test"), {flaky.server.url(), steady.server.url()}, options);
    UpstreamInstanceStates &states = pool.states();

    // Turns alternate (nothing in flight between calls): three 503s open the flaky one's breaker.
    int unwell = 0;
    for (int i = 0; i < 6; ++i)
        unwell += runOne(pool).isEmpty() ? 1 : 0; // a 503 has an empty body, not an error: it is an answer
    QCOMPARE(unwell, 3);
    QCOMPARE(states.breaker(0), UpstreamInstanceStates::Breaker::Open);
    const int flakySeen = flaky.server.requestsSeen();
    for (int i = 0; i < 10; ++i)
        QCOMPARE(runOne(pool), QByteArray("steady"));
    QCOMPARE(flaky.server.requestsSeen(), flakySeen);

    // After the open period one trial goes; still 503: open again, and the others keep away.
    QTest::qWait(350);
    QVERIFY(runOne(pool).isEmpty());
    QCOMPARE(flaky.server.requestsSeen(), flakySeen + 1);
    QCOMPARE(states.breaker(0), UpstreamInstanceStates::Breaker::Open);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(runOne(pool), QByteArray("steady"));

    // Well again: the next trial closes it, and turns alternate again.
    flaky.status = 200;
    QTest::qWait(350);
    QCOMPARE(runOne(pool), QByteArray("flaky"));
    QCOMPARE(states.breaker(0), UpstreamInstanceStates::Breaker::Closed);
    QByteArray order;
    for (int i = 0; i < 4; ++i)
        order += runOne(pool).left(1);
    QVERIFY2(order == "sfsf" || order == "fsfs", order.constData());
}

void tst_UpstreamBalancing::abandonedTrialLetsTheNextOneGo()
{
    NamedUpstream flaky("flaky", 5000); // the trial call would hang
    NamedUpstream steady("steady");
    UpstreamPool::Options options;
    options.failuresToOpen = 1;
    options.openMs = 200;
    UpstreamPool pool(QStringLiteral("test"), {flaky.server.url(), steady.server.url()}, options);
    pool.states().recordFailure(0, upstreamNowMs(), QStringLiteral("test"));
    QCOMPARE(pool.states().breaker(0), UpstreamInstanceStates::Breaker::Open);
    QTest::qWait(250);

    CallRecorder trial;
    trial.watch(pool.start(makeRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(flaky.server.requestsSeen(), 1, 5000);
    QCOMPARE(pool.states().breaker(0), UpstreamInstanceStates::Breaker::HalfOpen);
    QCOMPARE(runOne(pool), QByteArray("steady")); // one trial at a time
    trial.cancel(); // the client left: no verdict
    flaky.delayMs = 0;
    QCOMPARE(runOne(pool), QByteArray("flaky")); // the next call is the trial, without another period
    QCOMPARE(pool.states().breaker(0), UpstreamInstanceStates::Breaker::Closed);
}

void tst_UpstreamBalancing::breakerSharedAcrossThreads()
{
    NamedUpstream flaky("flaky");
    NamedUpstream steady("steady");
    flaky.status = 502;
    auto states = std::make_shared<UpstreamInstanceStates>(
        QStringLiteral("test"), QList<QUrl>{flaky.server.url(), steady.server.url()},
        UpstreamInstanceStates::Options{2, 60000, 1000});

    // Another thread's pool meets the failures...
    QThread thread;
    thread.start();
    QObject worker;
    worker.moveToThread(&thread);
    std::atomic<int> answered{0};
    QMetaObject::invokeMethod(&worker, [&] {
        UpstreamPool pool(QStringLiteral("test"), states->urls(), {}, states);
        for (int i = 0; i < 4; ++i) {
            QEventLoop loop;
            auto call = pool.start(makeRequest());
            call->onComplete = [&] {
                ++answered;
                loop.quit();
            };
            call->onError = [&](UpstreamError, const QString &) { loop.quit(); };
            loop.exec();
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(answered.load(), 4, 10000);
    thread.quit();
    thread.wait();

    // ...and this thread's pool keeps away from the instance they opened.
    QCOMPARE(states->breaker(0), UpstreamInstanceStates::Breaker::Open);
    const int seen = flaky.server.requestsSeen();
    UpstreamPool pool(QStringLiteral("test"), states->urls(), {}, states);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(runOne(pool), QByteArray("steady"));
    QCOMPARE(flaky.server.requestsSeen(), seen);
    QCOMPARE(states->inFlight(0) + states->inFlight(1), 0);
}

void tst_UpstreamBalancing::getMovesBeforeFirstByte()
{
    // The first instance takes the request and drops the connection without a byte of answer.
    ScriptedUpstream dropping([](ScriptedRequest &request) { request.socket->abort(); });
    NamedUpstream live("live");
    UpstreamPool pool(QStringLiteral("test"), {dropping.url(), live.server.url()});
    QCOMPARE(runOne(pool, makeRequest("GET", "/models")), QByteArray("live"));
    QCOMPARE(dropping.requestsSeen(), 1);
    QCOMPARE(live.server.requestsSeen(), 1);
    QCOMPARE(pool.callsMoved(), 1);
    QCOMPARE(live.server.log().at(0).target, QByteArray("/models"));
}

void tst_UpstreamBalancing::postWithBodySentIsNotMoved()
{
    ScriptedUpstream dropping([](ScriptedRequest &request) { request.socket->abort(); });
    NamedUpstream live("live");
    UpstreamPool pool(QStringLiteral("test"), {dropping.url(), live.server.url()});
    UpstreamRequest request = makeRequest("POST", "/search");
    request.body = "{\"q\":\"charge me once\"}";
    UpstreamError error = UpstreamError::None;
    QVERIFY(runOne(pool, request, &error).startsWith("error: "));
    QCOMPARE(error, UpstreamError::Unavailable);
    QCOMPARE(dropping.requestsSeen(), 1);
    QCOMPARE(live.server.requestsSeen(), 0); // the upstream may have acted on it: never sent twice
    QCOMPARE(pool.callsMoved(), 0);
}

void tst_UpstreamBalancing::streamedUploadNotMovedOnceBytesWent()
{
    // Dropped once the head is in: the first body bytes already left.
    ScriptedUpstream dropping([](ScriptedRequest &) {},
                              [](ScriptedRequest &request) {
                                  QTimer::singleShot(50, request.socket.data(), [socket = request.socket] {
                                      if (socket)
                                          socket->abort();
                                  });
                                  return true;
                              });
    NamedUpstream live("live");
    UpstreamPool pool(QStringLiteral("test"), {dropping.url(), live.server.url()});
    UpstreamRequest request = makeRequest("GET", "/upload"); // even a GET: its streamed body is gone
    request.streamedBody = true;
    request.bodyLength = 100000;
    CallRecorder upload;
    upload.watch(pool.start(request));
    upload.call->writeBody(QByteArray(1000, 'x'));
    QTRY_VERIFY_WITH_TIMEOUT(upload.ended(), 5000);
    QCOMPARE(upload.error, UpstreamError::Unavailable);
    QCOMPARE(live.server.requestsSeen(), 0);
    QCOMPARE(pool.callsMoved(), 0);
}

void tst_UpstreamBalancing::refusedPostMoves()
{
    NamedUpstream live("live");
    UpstreamPool pool(QStringLiteral("test"), {urlFor(refusedPort()), live.server.url()});
    UpstreamRequest request = makeRequest("POST", "/search");
    request.body = "{\"q\":\"x\"}";
    QCOMPARE(runOne(pool, request), QByteArray("live")); // never sent: safe to send elsewhere
    QCOMPARE(live.server.log().at(0).body, QByteArray("{\"q\":\"x\"}"));
    QCOMPARE(pool.callsMoved(), 1);

    // A streamed upload that could not connect still holds all its bytes: it moves too.
    UpstreamPool fresh(QStringLiteral("test"), {urlFor(refusedPort()), live.server.url()});
    UpstreamRequest upload = makeRequest("POST", "/transcribe");
    upload.streamedBody = true;
    upload.bodyLength = 3000;
    CallRecorder call;
    call.watch(fresh.start(upload));
    call.call->writeBody(QByteArray(1000, 'a'));
    call.call->writeBody(QByteArray(2000, 'b'));
    call.call->endBody();
    QTRY_VERIFY_WITH_TIMEOUT(call.ended(), 5000);
    QCOMPARE(call.body, QByteArray("live"));
    QCOMPARE(live.server.log().last().body.left(3), QByteArray("aaa"));
    QCOMPARE(fresh.callsMoved(), 1);
}

void tst_UpstreamBalancing::probeDownInstanceSkipped()
{
    NamedUpstream a("a");
    NamedUpstream b("b");
    UpstreamPool pool(QStringLiteral("test"), {a.server.url(), b.server.url()});
    UpstreamInstanceStates &states = pool.states();
    QCOMPARE(states.snapshot(0, upstreamNowMs()).state(), QStringLiteral("unknown")); // not probed: usable
    QByteArray order;
    for (int i = 0; i < 4; ++i)
        order += runOne(pool);
    QCOMPARE(order, QByteArray("abab"));

    states.recordProbe(0, false, -1, 1, upstreamNowMs());
    order.clear();
    for (int i = 0; i < 4; ++i)
        order += runOne(pool);
    QCOMPARE(order, QByteArray("bbbb"));

    // Every instance down by the probe: still tried rather than failed untried.
    states.recordProbe(1, false, -1, 1, upstreamNowMs());
    QVERIFY(!runOne(pool).startsWith("error"));

    states.recordProbe(0, true, 3, 2, upstreamNowMs());
    states.recordProbe(1, true, 3, 2, upstreamNowMs());
    QCOMPARE(states.snapshot(0, upstreamNowMs()).state(), QStringLiteral("up"));
    order.clear();
    for (int i = 0; i < 4; ++i)
        order += runOne(pool);
    QVERIFY2(order == "abab" || order == "baba", order.constData());
}

void tst_UpstreamBalancing::movedOnlyOnce()
{
    // Three instances, two refusing: a call moves once, and fails if the second one refuses too.
    NamedUpstream live("live");
    UpstreamPool pool(QStringLiteral("test"), {urlFor(refusedPort()), urlFor(refusedPort()), live.server.url()});
    UpstreamError error = UpstreamError::None;
    QVERIFY(runOne(pool, makeRequest(), &error).startsWith("error: "));
    QCOMPARE(error, UpstreamError::Unavailable);
    QCOMPARE(pool.callsMoved(), 1);
    QCOMPARE(live.server.requestsSeen(), 0);
    // Both dead ones are now marked down: the next call goes straight to the live one.
    QCOMPARE(runOne(pool), QByteArray("live"));
}

QTEST_GUILESS_MAIN(tst_UpstreamBalancing)
#include "tst_upstreambalancing.moc"
