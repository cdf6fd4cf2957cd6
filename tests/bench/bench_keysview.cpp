// The Keys view against a gateway with many keys (default 100,000): time to the first page on screen, scrolling
// to the end page by page (fetchMore over the cursors), and the longest GUI-thread event handler meanwhile.
//   bench_keysview [--keys N]
// The keys are written straight into a fresh SQLite file before the daemon starts (the CLI makes one key per
// process, far too slow for this many), with the columns and defaults of core/storage/KeyStore's schema, after
// `tollgated migrate` created it. Targets: first page ≤ 300 ms, no handler over 16 ms.
#include "ConsoleFixture.h"
#include "gui/keys/KeyFilterModel.h"
#include "gui/keys/KeyListModel.h"
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

#include <cstdio>

using namespace tollgate;

namespace {

// Times every event the GUI thread delivers (the outermost notify only: nested ones are part of it).
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0 || !m_measuring) {
            const bool result = QApplication::notify(receiver, event);
            --m_depth;
            return result;
        }
        QElapsedTimer timer;
        timer.start();
        const int type = event->type();
        const bool result = QApplication::notify(receiver, event);
        const qint64 ns = timer.nsecsElapsed();
        --m_depth;
        ++events;
        if (ns > 16'000'000) {
            ++over16ms;
            ++slow[QStringLiteral("%1 to %2").arg(type).arg(QString::fromLatin1(receiver->metaObject()->className()))];
        }
        if (ns > longestNs) {
            longestNs = ns;
            longestWhat = QStringLiteral("%1 to %2").arg(type).arg(QString::fromLatin1(receiver->metaObject()->className()));
        }
        return result;
    }

    void measure(bool on) { m_measuring = on; }
    void reset()
    {
        events = over16ms = 0;
        longestNs = 0;
        longestWhat.clear();
    }

    qint64 events = 0;
    qint64 over16ms = 0;
    qint64 longestNs = 0;
    QString longestWhat;
    QHash<QString, int> slow;

private:
    int m_depth = 0;
    bool m_measuring = false;
};

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
    std::printf("prepared %d keys in %lld ms\n", keys, setup.elapsed());
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

    // 3. Sorting all of them by Credits (the raw-value role).
    QElapsedTimer sort;
    sort.start();
    view.table()->sortByColumn(gui::KeyListModel::Credits, Qt::DescendingOrder);
    QCoreApplication::processEvents();
    std::printf("sort %d rows by Credits: %lld ms\n", view.proxy()->rowCount(), sort.elapsed());
    app.measure(false);

    std::printf("GUI thread: %lld events, longest %.1f ms (event %s), %lld over 16 ms (target: none over 16 ms)\n", app.events,
                app.longestNs / 1e6, qPrintable(app.longestWhat), app.over16ms);
    for (auto it = app.slow.constBegin(); it != app.slow.constEnd(); ++it)
        std::printf("  over 16 ms: %d × event %s\n", it.value(), qPrintable(it.key()));
    return view.model()->rowCount() == keys ? 0 : 2;
}
