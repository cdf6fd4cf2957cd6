// The Keys view against a gateway with many keys (default 100,000): time to the first page on screen, scrolling
// to the end page by page (fetchMore over the cursors), and the longest GUI-thread event handler meanwhile.
//   bench_keysview [--keys N]
// The keys are written straight into a fresh SQLite file before the daemon starts (the CLI makes one key per
// process, far too slow for this many), with the columns and defaults of core/storage/KeyStore's schema, after
// `tollgated migrate` created it. Targets: first page ≤ 300 ms, no handler over 16 ms. Then header clicks (Credits,
// Name, Created: every GUI-thread handler from the click until the worker's order is applied) and, sorted by name,
// the first page to the end again with each page's rows inserted at their sorted places.
#include "ConsoleFixture.h"
#include "gui/keys/KeyFilterModel.h"
#include "gui/keys/KeyListModel.h"
#include "gui/keys/KeySortOrder.h"
#include "gui/keys/KeysView.h"

#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>

#include <QFile>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <sys/resource.h>

using namespace tollgate;

namespace {

// Times every event the GUI thread delivers (the outermost notify only: nested ones are part of it), in wall time
// and in the GUI thread's own CPU time. On a shared machine the wall time includes the moments the thread waited for
// a core (other builds running); the CPU time is the handler's own work. Both are reported.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct Handler
    {
        qint64 wallNs;
        qint64 cpuNs;
        long minorFaults;  // page faults the handler took (memory the kernel had to map in for it)
        int type;
        const char *receiverClass;
    };

    bool notify(QObject *receiver, QEvent *event) override
    {
        // notify() runs in every thread that delivers events (the in-process daemon's, Qt's network thread): only the
        // GUI thread's are timed, and only it may touch the counters (a shared depth left nested once stopped all
        // counting for the rest of a run).
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        if (m_depth++ > 0 || !m_measuring) {
            // Paint events arrive inside an UpdateRequest: which widgets a repaint costs, by class.
            if (m_measuring && event->type() == QEvent::Paint) {
                // A bare QWidget is somebody's viewport: named by its parent's class.
                QString receiverClass = QString::fromLatin1(receiver->metaObject()->className());
                if (receiverClass == QLatin1String("QWidget") && receiver->parent())
                    receiverClass += QStringLiteral(" in ") + QString::fromLatin1(receiver->parent()->metaObject()->className());
                const qint64 cpuStart = threadCpuNs();
                const bool result = QApplication::notify(receiver, event);
                paintCpuNs[receiverClass] += threadCpuNs() - cpuStart;
                --m_depth;
                return result;
            }
            const bool result = QApplication::notify(receiver, event);
            --m_depth;
            return result;
        }
        const int type = event->type();
        const char *receiverClass = receiver->metaObject()->className();  // before: the receiver may be gone after
        const qint64 cpuStart = threadCpuNs();
        const long faultsStart = threadMinorFaults();
        QElapsedTimer timer;
        timer.start();
        const bool result = QApplication::notify(receiver, event);
        const qint64 ns = timer.nsecsElapsed();
        handlers.append({ns, threadCpuNs() - cpuStart, threadMinorFaults() - faultsStart, type, receiverClass});
        --m_depth;
        return result;
    }

    void measure(bool on) { m_measuring = on; }

    static qint64 threadCpuNs()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }

    static long threadMinorFaults()
    {
        rusage usage{};
        getrusage(RUSAGE_THREAD, &usage);
        return usage.ru_minflt;
    }

    QList<Handler> handlers;
    QHash<QString, qint64> paintCpuNs;  // nested, so a parent's figure includes its children's

private:
    int m_depth = 0;
    bool m_measuring = false;
};

QString describe(const TimedApplication::Handler &h)
{
    const QMetaEnum types = QMetaEnum::fromType<QEvent::Type>();
    const char *name = types.valueToKey(h.type);
    return QStringLiteral("%1 to %2").arg(name ? QString::fromLatin1(name) : QString::number(h.type), QString::fromLatin1(h.receiverClass));
}

// p50, p99, p99.9, max and the count over 16 ms of one measure (wall or CPU) of the handlers.
void report(const char *what, const QList<TimedApplication::Handler> &handlers, qint64 TimedApplication::Handler::*measure)
{
    QList<qint64> ns;
    ns.reserve(handlers.size());
    for (const auto &h : handlers)
        ns.append(h.*measure);
    std::sort(ns.begin(), ns.end());
    const auto pct = [&](double p) { return ns.isEmpty() ? 0.0 : ns.at(qMin(ns.size() - 1, qsizetype(p * ns.size()))) / 1e6; };
    const auto over = std::count_if(ns.begin(), ns.end(), [](qint64 v) { return v > 16'000'000; });
    std::printf("  %-5s p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms, %lld over 16 ms\n", what, pct(0.5), pct(0.99),
                pct(0.999), ns.isEmpty() ? 0.0 : ns.last() / 1e6, qint64(over));
}

void reportHandlers(const char *phase, const QList<TimedApplication::Handler> &handlers)
{
    std::printf("GUI thread, %s: %lld handlers (target: none over 16 ms)\n", phase, qint64(handlers.size()));
    report("wall", handlers, &TimedApplication::Handler::wallNs);
    report("cpu", handlers, &TimedApplication::Handler::cpuNs);
    // The longest by wall time (what the user waited) and by CPU time (the handler's own work), per kind of event.
    for (auto measure : {&TimedApplication::Handler::wallNs, &TimedApplication::Handler::cpuNs}) {
        QHash<QString, TimedApplication::Handler> longest;
        for (const auto &h : handlers) {
            auto it = longest.find(describe(h));
            if (it == longest.end())
                longest.insert(describe(h), h);
            else if (h.*measure > (*it).*measure)
                *it = h;
        }
        QList<TimedApplication::Handler> slowest = longest.values();
        std::sort(slowest.begin(), slowest.end(), [&](const auto &a, const auto &b) { return a.*measure > b.*measure; });
        std::printf("  longest by %s:", measure == &TimedApplication::Handler::wallNs ? "wall" : "cpu");
        for (qsizetype i = 0; i < qMin<qsizetype>(4, slowest.size()); ++i)
            std::printf(" %s %.1f ms wall / %.1f ms cpu;", qPrintable(describe(slowest[i])), slowest[i].wallNs / 1e6,
                        slowest[i].cpuNs / 1e6);
        std::printf("\n");
    }
    // Where in the phase the long ones came (the first of a phase is often a one-time cost).
    for (qsizetype i = 0; i < handlers.size(); ++i) {
        if (handlers[i].cpuNs > 16'000'000)
            std::printf("  over 16 ms of CPU: handler %lld of %lld, %s, %.1f ms, %ld page faults\n", qint64(i + 1),
                        qint64(handlers.size()), qPrintable(describe(handlers[i])), handlers[i].cpuNs / 1e6,
                        handlers[i].minorFaults);
    }
}

// Whether other work shared the machine meanwhile: the figures mean more with it.
QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(file.readAll()).section(QLatin1Char(' '), 0, 2);
}

bool insertKeys(const QString &path, int count)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench"));
    db.setDatabaseName(path);
    if (!db.open())
        return false;
    const QStringList tiers{QStringLiteral("free"), QStringLiteral("pro"), QStringLiteral("enterprise")};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        QSqlQuery query(db);
        db.transaction();
        query.prepare(QStringLiteral("INSERT INTO api_keys (id, key_hash, prefix, last4, user_id, name, description, tier, is_test,"
                                     " allowed_endpoints, allowed_ips, status, created_at, updated_at)"
                                     " VALUES (?, ?, 'sk_live_', ?, ?, ?, '', ?, 0, '[]', '[]', 'active', ?, ?)"));
        for (int i = 0; i < count; ++i) {
            const QByteArray secret = "bench-secret-" + QByteArray::number(i);
            const QString hash = QString::fromLatin1(QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex());
            query.addBindValue(QStringLiteral("key_bench%1").arg(i, 8, 10, QLatin1Char('0')));
            query.addBindValue(hash);
            query.addBindValue(hash.right(4));
            query.addBindValue(QStringLiteral("user%1").arg(i % 997));
            query.addBindValue(QStringLiteral("Bench key %1").arg(i));
            query.addBindValue(tiers[i % 3]);
            query.addBindValue(now - qint64(count - i) * 1000);
            query.addBindValue(now - qint64(count - i) * 1000);
            if (!query.exec()) {
                std::fprintf(stderr, "insert failed: %s\n", qPrintable(query.lastError().text()));
                return false;
            }
        }
        db.commit();
    }
    db.close();
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    TimedApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_keysview"));
    // As the console runs by default (Logging::install at level info): a debug line per request written to a
    // terminal inside a reply's handler would be measured as the handler's time.
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));
    int keys = 100000;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--keys")); at >= 0)
        keys = args.value(at + 1).toInt();

    test::ConsoleFixture f;
    QElapsedTimer setup;
    setup.start();
    if (f.cli().run({QStringLiteral("migrate")}).exitCode != 0 || !insertKeys(f.db.sqlitePath(), keys)) {
        std::fprintf(stderr, "could not prepare %d keys\n", keys);
        return 1;
    }
    std::printf("prepared %d keys in %lld ms; load average (1, 5, 15 min) %s on %d cores\n", keys, setup.elapsed(),
                qPrintable(loadAverage()), QThread::idealThreadCount());
    if (!f.start()) {
        std::fprintf(stderr, "the daemon did not start\n");
        return 1;
    }

    gui::KeysView view(f.context);
    view.resize(1200, 760);
    view.show();
    QCoreApplication::processEvents();
    // All statuses: every key, so the scroll really goes through all of them.
    view.findChild<QComboBox *>(QStringLiteral("statusFilter"))->setCurrentIndex(0);

    // 1. First page on screen: from the view's activation to the first paint of the table with rows in it.
    bool painted = false;
    struct PaintWatch : QObject
    {
        gui::KeysView *view;
        bool *painted;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint && view->proxy()->rowCount() > 0)
                *painted = true;
            return false;
        }
    } watch;
    watch.view = &view;
    watch.painted = &painted;
    view.table()->viewport()->installEventFilter(&watch);
    app.measure(true);
    QElapsedTimer first;
    first.start();
    view.setActive(true);
    while (!painted && first.elapsed() < 20000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    const qint64 firstPageMs = first.elapsed();
    view.table()->viewport()->removeEventFilter(&watch);
    std::printf("first page shown: %lld ms (%d rows, target < 300 ms)\n", firstPageMs, view.proxy()->rowCount());

    // 2. To the end: scroll to the bottom; the view asks for the next page itself when it gets there.
    QElapsedTimer scroll;
    scroll.start();
    QList<qint64> pageMs;
    QElapsedTimer page;
    page.start();
    int lastPages = view.model()->pagesLoaded();
    while ((view.model()->hasMore() || view.model()->isLoading()) && scroll.elapsed() < 600000) {
        if (!view.model()->isLoading()) {
            view.table()->scrollToBottom();
            if (!view.model()->isLoading() && view.model()->canFetchMore({}))
                view.model()->fetchMore({});  // already at the bottom: no scroll signal to ask for it
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        if (view.model()->pagesLoaded() != lastPages) {
            lastPages = view.model()->pagesLoaded();
            pageMs.append(page.restart());
        }
    }
    const qint64 scrollMs = scroll.elapsed();
    std::sort(pageMs.begin(), pageMs.end());
    const auto pct = [&](double p) { return pageMs.isEmpty() ? 0 : pageMs.at(qMin(pageMs.size() - 1, qsizetype(p * pageMs.size()))); };
    std::printf("scrolled to the end: %d rows, %d pages, %lld ms (per page p50 %lld ms, p99 %lld ms, max %lld ms)\n",
                view.model()->rowCount(), view.model()->pagesLoaded(), scrollMs, pct(0.5), pct(0.99), pageMs.isEmpty() ? 0 : pageMs.last());

    app.measure(false);
    reportHandlers("first page and scrolling", app.handlers);
    QList<std::pair<qint64, QString>> paints;
    for (auto it = app.paintCpuNs.constBegin(); it != app.paintCpuNs.constEnd(); ++it)
        paints.append({it.value(), it.key()});
    std::sort(paints.begin(), paints.end(), std::greater<>());
    std::printf("  painting (cpu, a widget's own paint event; children are painted apart):");
    for (qsizetype i = 0; i < qMin<qsizetype>(8, paints.size()); ++i)
        std::printf(" %s %.0f ms;", qPrintable(paints[i].second), paints[i].first / 1e6);
    std::printf("\n");

    // 3. A click on a header (a queued call, as the header's click is): the model copies the raw values, sorts on a
    // worker and applies the order in one layout change. Every GUI-thread handler from the click until the sorted
    // order is shown is timed; the target is the same: none over 16 ms. Time to sorted is what the user waits.
    std::printf("sort %d rows on a header click (every GUI-thread handler from the click to the sorted order):\n", view.proxy()->rowCount());
    view.table()->selectRow(12345 % qMax(1, view.proxy()->rowCount()));
    const QString selectedId = view.selectedKeys().value(0).id;
    bool selectionKept = true;
    for (const auto column : {gui::KeyListModel::Credits, gui::KeyListModel::Name, gui::KeyListModel::Created}) {
        app.handlers.clear();
        app.measure(true);
        QElapsedTimer timer;
        timer.start();
        bool clicked = false;
        QMetaObject::invokeMethod(
            &view,
            [&] {
                view.table()->sortByColumn(column, Qt::DescendingOrder);
                clicked = true;
            },
            Qt::QueuedConnection);
        while (!clicked || view.model()->isSorting())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        const qint64 sortedMs = timer.elapsed();
        QCoreApplication::processEvents();  // the repaint of the sorted rows
        app.measure(false);
        qint64 maxWall = 0, maxCpu = 0;
        for (const auto &h : app.handlers) {
            maxWall = qMax(maxWall, h.wallNs);
            maxCpu = qMax(maxCpu, h.cpuNs);
        }
        const bool ordered = view.model()->sortColumn() == column
            && view.table()->horizontalHeader()->sortIndicatorSection() == column;
        selectionKept = selectionKept && view.selectedKeys().value(0).id == selectedId;
        std::printf("  %s: sorted in %lld ms (worker included); %lld handlers, max %.1f ms wall / %.1f ms cpu%s\n",
                    qPrintable(view.model()->headerData(column, Qt::Horizontal).toString()), sortedMs, qint64(app.handlers.size()),
                    maxWall / 1e6, maxCpu / 1e6, ordered ? "" : " (NOT SORTED)");
        reportHandlers("this sort", app.handlers);
    }
    std::printf("  the selected key stayed selected through the sorts: %s\n", selectionKept ? "yes" : "NO");

    // 4. Sorted by name, from the first page to the end again: each page's rows are inserted at their sorted places
    // (one insertion per run of rows landing in the same gap), with up to 100,000 rows there already.
    view.table()->sortByColumn(gui::KeyListModel::Name, Qt::AscendingOrder);
    while (view.model()->isSorting())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    // The reload (F5) itself replaces 100,000 rows by one page: a model reset, measured apart (it is not a sort).
    app.handlers.clear();
    app.measure(true);
    view.model()->reload();
    while (view.model()->isLoading())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    for (int i = 0; i < 20; ++i)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);  // its repaint
    app.measure(false);
    reportHandlers("reload of 100,000 rows to the first page (F5; a reset, not a sort)", app.handlers);
    app.handlers.clear();
    app.measure(true);
    QElapsedTimer sortedScroll;
    sortedScroll.start();
    while ((view.model()->hasMore() || view.model()->isLoading()) && sortedScroll.elapsed() < 600000) {
        if (!view.model()->isLoading()) {
            view.table()->scrollToBottom();
            if (!view.model()->isLoading() && view.model()->canFetchMore({}))
                view.model()->fetchMore({});
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }
    app.measure(false);
    bool inOrder = view.model()->rowCount() == keys;
    {
        const gui::KeySortOrder order(gui::KeyListModel::Name, Qt::AscendingOrder);
        for (int row = 1; row < view.model()->rowCount() && inOrder; ++row)
            inOrder = !order.before(view.model()->at(row), view.model()->at(row - 1));
    }
    std::printf("sorted by name, loaded again to the end: %d rows in %lld ms, in order: %s\n", view.model()->rowCount(),
                sortedScroll.elapsed(), inOrder ? "yes" : "NO");
    reportHandlers("pages inserted at their sorted places", app.handlers);
    std::printf("load average (1, 5, 15 min) at the end: %s\n", qPrintable(loadAverage()));
    return inOrder && selectionKept ? 0 : 2;
}
