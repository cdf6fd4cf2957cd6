#pragma once

#include <QByteArrayList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace tollgate::gui {

class UsageModel;

// The CSV of exactly what the Usage view shows: a header row, then one row per day and series, days as the
// start of the UTC day in ISO 8601 ("2026-12-01T00:00:00Z"), numbers locale-neutral (a dot, no thousands
// separators), UTF-8, CRLF line ends (RFC 4180).
//   day,metric,series,value
//   2026-12-01T00:00:00Z,requests,ok,12          one row per stacked series (an outcome or an endpoint)
//   2026-12-01T00:00:00Z,credits,all,12          the credits chart
//   2026-12-01T00:00:00Z,avgLatencyMs,all,8.25   the latency chart
namespace UsageCsv {
QByteArray header();
QByteArrayList rows(const UsageModel &model);
QByteArray field(const QString &text);
QByteArray number(double value);
} // namespace UsageCsv

// Writes lines to a file on a worker thread (the disk may be slow or remote: the window never waits for it),
// reporting progress; cancel() stops it and leaves no partial file behind (QSaveFile, not committed).
class CsvExportJob : public QObject
{
    Q_OBJECT

public:
    enum class Result { Written, Cancelled, Failed };
    Q_ENUM(Result)

    explicit CsvExportJob(QObject *parent = nullptr);
    ~CsvExportJob() override;

    void start(const QString &path, QByteArrayList lines);
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    void progress(int done, int total);
    void finished(tollgate::gui::CsvExportJob::Result result, const QString &message);

private:
    struct State
    {
        std::atomic_bool cancel = false;
        Result result = Result::Failed;
        QString message;
    };
    QThread *m_thread = nullptr;
    std::shared_ptr<State> m_state;
};

} // namespace tollgate::gui
