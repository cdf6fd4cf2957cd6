#pragma once

#include "gui/client/ApiError.h"
#include "gui/keys/KeyRecord.h"

#include <QObject>
#include <QPointer>
#include <QProgressDialog>
#include "gui/client/ApiCall.h"
#include <functional>

class QProgressDialog;
class QWidget;

namespace tollgate::gui {

class ApiCall;

// One admin API call per key, one after the other, under a progress dialog with Cancel: nothing is sent
// after Cancel (the call already out is let finish and counted, so the report is exact). At the end,
// finished() says how many succeeded and the first failure's message.
class BulkAction : public QObject
{
    Q_OBJECT

public:
    using Step = std::function<ApiCall *(const KeyRecord &key)>;
    BulkAction(const QList<KeyRecord> &keys, const QString &label, Step step, QWidget *dialogParent);
    ~BulkAction() override;

    void start();
    void cancel();
    bool isCancelled() const { return m_cancelled; }
    int total() const { return int(m_keys.size()); }
    int succeeded() const { return m_succeeded; }
    int failedCount() const { return m_failed; }
    QString firstError() const { return m_firstError; }
    QProgressDialog *progressDialog() const { return m_progress; }

Q_SIGNALS:
    // After each answer: done of total.
    void progressed(int done, int total);
    void keyUpdated(const tollgate::gui::KeyRecord &key);
    void finished();

private:
    void next();

    QList<KeyRecord> m_keys;
    Step m_step;
    QPointer<QProgressDialog> m_progress;
    QPointer<ApiCall> m_call;
    int m_index = 0;
    int m_succeeded = 0;
    int m_failed = 0;
    QString m_firstError;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace tollgate::gui
