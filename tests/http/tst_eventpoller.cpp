// EventPoller and SocketWatcher: the readiness every HTTP and upstream socket of a thread gets through
// one epoll set. Socket pairs stand in for connections; the event loop is the test's own.
#include "server/http/SocketWatcher.h"

#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>

using tollgate::http::SocketWatcher;

namespace {

struct Pair
{
    int ours = -1;
    int theirs = -1;
    Pair()
    {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0) {
            ours = fds[0];
            theirs = fds[1];
        }
    }
    ~Pair()
    {
        closeOurs();
        if (theirs >= 0)
            ::close(theirs);
    }
    void closeOurs()
    {
        if (ours >= 0)
            ::close(ours);
        ours = -1;
    }
    void send(const char *text) const { QVERIFY(::write(theirs, text, strlen(text)) > 0); }
};

class Recorder : public SocketWatcher::Handler
{
public:
    std::function<void()> onReadable;
    std::function<void()> onWritable;
    int readable = 0;
    int writable = 0;

    void socketReadable() override
    {
        ++readable;
        if (onReadable)
            onReadable();
    }
    void socketWritable() override
    {
        ++writable;
        if (onWritable)
            onWritable();
    }
};

void drain(int fd)
{
    char buffer[256];
    while (::read(fd, buffer, sizeof buffer) > 0) {
    }
}

} // namespace

class TestEventPoller : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levelTriggeredWhileInterested()
    {
        Pair pair;
        Recorder recorder;
        SocketWatcher watcher(pair.ours, &recorder, true, false);
        pair.send("x");
        QTRY_VERIFY(recorder.readable >= 1);
        // Not read: reported again on the next round, as a QSocketNotifier would.
        const int seen = recorder.readable;
        QTRY_VERIFY(recorder.readable > seen);

        watcher.setReadEnabled(false);
        QCoreApplication::processEvents();
        const int paused = recorder.readable;
        QTest::qWait(50);
        QCOMPARE(recorder.readable, paused);

        watcher.setReadEnabled(true);
        QTRY_VERIFY(recorder.readable > paused);
        drain(pair.ours);
        QCOMPARE(recorder.writable, 0); // never asked for
    }

    void writeInterestAndHangUp()
    {
        Pair pair;
        Recorder recorder;
        SocketWatcher watcher(pair.ours, &recorder, false, true);
        QTRY_VERIFY(recorder.writable >= 1);
        watcher.setWriteEnabled(false);
        watcher.setReadEnabled(true);
        ::close(pair.theirs);
        pair.theirs = -1;
        // End of stream is readable; it must be reported even though nothing was sent.
        QTRY_VERIFY(recorder.readable >= 1);
    }

    void watcherDestroyedInItsOwnCallback()
    {
        Pair pair;
        Recorder recorder;
        auto watcher = std::make_unique<SocketWatcher>(pair.ours, &recorder, true, true);
        recorder.onReadable = [&] { watcher.reset(); };
        pair.send("x");
        QTRY_COMPARE(recorder.readable, 1);
        QTest::qWait(30);
        QCOMPARE(recorder.readable, 1);
        QCOMPARE(recorder.writable, 0); // same round, but the watcher was gone
    }

    void staleEventsDoNotReachANewWatcherOnTheSameNumber()
    {
        // A and B are ready in the same round. A's callback destroys B's watcher, closes B's socket and
        // opens a new one, which gets B's descriptor number back, with a new watcher. B's event from
        // that round must reach neither the old watcher nor the new one.
        Pair a;
        auto b = std::make_unique<Pair>();
        Recorder recorderA;
        Recorder recorderB;
        Recorder recorderNew;
        SocketWatcher watcherA(a.ours, &recorderA, true, false);
        auto watcherB = std::make_unique<SocketWatcher>(b->ours, &recorderB, true, false);
        std::unique_ptr<Pair> replacement;
        std::unique_ptr<SocketWatcher> watcherNew;
        const int numberB = b->ours;
        bool replaced = false;
        const auto replace = [&] {
            if (replaced)
                return;
            replaced = true;
            watcherB.reset();
            b->closeOurs();
            replacement = std::make_unique<Pair>();
            QCOMPARE(replacement->ours, numberB);
            watcherNew = std::make_unique<SocketWatcher>(replacement->ours, &recorderNew, true, false);
        };
        recorderA.onReadable = [&] { replace(); drain(a.ours); };
        recorderNew.onReadable = [&] { drain(replacement->ours); };
        recorderB.onReadable = [&] { replace(); drain(b->ours); };
        a.send("a");
        b->send("b");
        QTRY_VERIFY(replaced);
        QTest::qWait(30);
        // epoll reports in the order sockets became ready: A first, so B's event was still queued.
        QCOMPARE(recorderA.readable, 1);
        QCOMPARE(recorderB.readable, 0);
        // The new socket has no data: its watcher must not have been given B's stale event.
        QCOMPARE(recorderNew.readable, 0);
        replacement->send("n");
        QTRY_COMPARE(recorderNew.readable, 1);
    }

    void manyWatchersOneThread()
    {
        constexpr int Count = 500;
        std::vector<std::unique_ptr<Pair>> pairs;
        std::vector<std::unique_ptr<Recorder>> recorders;
        std::vector<std::unique_ptr<SocketWatcher>> watchers;
        for (int i = 0; i < Count; ++i) {
            pairs.push_back(std::make_unique<Pair>());
            recorders.push_back(std::make_unique<Recorder>());
            Pair *pair = pairs.back().get();
            recorders.back()->onReadable = [pair] { drain(pair->ours); };
            watchers.push_back(std::make_unique<SocketWatcher>(pair->ours, recorders.back().get(), true, false));
        }
        for (int i = 0; i < Count; i += 2)
            pairs[size_t(i)]->send("x");
        QTRY_VERIFY([&] {
            for (int i = 0; i < Count; i += 2) {
                if (recorders[size_t(i)]->readable == 0)
                    return false;
            }
            return true;
        }());
        for (int i = 1; i < Count; i += 2)
            QCOMPARE(recorders[size_t(i)]->readable, 0);
    }
};

QTEST_GUILESS_MAIN(TestEventPoller)
#include "tst_eventpoller.moc"
