#include "gui/usage/UsageCsv.h"

#include "gui/usage/UsageModel.h"

#include <QPointer>
#include <QSaveFile>
#include <QThread>

namespace tollgate::gui {

namespace UsageCsv {

QByteArray header()
{
    return QByteArrayLiteral("day,metric,series,value");
}

QByteArray field(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r'))
        utf8 = '"' + utf8.replace("\"", "\"\"") + '"';
    return utf8;
}

QByteArray number(double value)
{
    // QByteArray::number is locale-neutral: always a dot, never a group separator.
    if (value == double(qint64(value)))
        return QByteArray::number(qint64(value));
    QByteArray text = QByteArray::number(value, 'f', 3);
    while (text.endsWith('0'))
        text.chop(1);
    if (text.endsWith('.'))
        text.chop(1);
    return text;
}

QByteArrayList rows(const UsageModel &model)
{
    QByteArrayList out;
    out.reserve(model.days() * (model.seriesCount() + 2));
    for (int row = 0; row < model.days(); ++row) {
        // The start of the UTC day, always with Z (QDateTime would write +00:00 for a QTimeZone).
        const QByteArray day = model.day(row).toString(Qt::ISODate).toLatin1() + "T00:00:00Z";
        for (int series = 0; series < model.seriesCount(); ++series) {
            out.append(day + ",requests," + field(model.seriesId(series)) + ',' +
                       number(double(model.requests(row, series))));
        }
        out.append(day + ",credits,all," + number(double(model.credits(row))));
        out.append(day + ",avgLatencyMs,all," + number(model.avgLatencyMs(row)));
    }
    return out;
}

} // namespace UsageCsv

CsvExportJob::CsvExportJob(QObject *parent) : QObject(parent)
{
}

CsvExportJob::~CsvExportJob()
{
    if (m_thread) {
        m_state->cancel.store(true);
        m_thread->wait();
        delete m_thread;
    }
}

void CsvExportJob::start(const QString &path, QByteArrayList lines)
{
    if (m_thread)
        return;
    m_state = std::make_shared<State>();
    auto state = m_state;
    QPointer<CsvExportJob> self(this);
    m_thread = QThread::create([self, state, path, lines = std::move(lines)] {
        // Off the GUI thread: progress goes back queued, the outcome through `state` when the thread ends.
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            state->result = Result::Failed;
            state->message = file.errorString();
            return;
        }
        const int total = int(lines.size());
        int lastPercent = -1;
        for (int i = 0; i < total; ++i) {
            if (state->cancel.load())
                break;
            file.write(lines[i]);
            file.write("\r\n");
            const int percent = (i + 1) * 100 / total;
            if (percent != lastPercent) {
                lastPercent = percent;
                QMetaObject::invokeMethod(
                    self.data(), [self, i, total] { if (self) Q_EMIT self->progress(i + 1, total); }, Qt::QueuedConnection);
            }
        }
        if (state->cancel.load()) {
            file.cancelWriting();
            state->result = Result::Cancelled;
        } else if (!file.commit()) {
            state->result = Result::Failed;
            state->message = file.errorString();
        } else {
            state->result = Result::Written;
        }
    });
    connect(m_thread, &QThread::finished, this, [this, state] {
        m_thread->deleteLater();
        m_thread = nullptr;
        Q_EMIT finished(state->result, state->message);
    });
    m_thread->start();
}

void CsvExportJob::cancel()
{
    if (m_state)
        m_state->cancel.store(true);
}

} // namespace tollgate::gui
