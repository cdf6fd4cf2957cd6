#pragma once

#include "gui/client/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>

class QNetworkReply;

namespace tollgate::gui {

// One admin API request in flight. Exactly one of succeeded() or failed() is emitted, then finished(), then
// the call deletes itself. Connect with a context object (the view), so a view that closes never hears
// about calls it no longer cares for; abort() ends a call early with failed(ABORTED).
class ApiCall : public QObject
{
    Q_OBJECT

public:
    ApiCall(QNetworkReply *reply, QByteArray method, int timeoutMs, QObject *parent);
    ~ApiCall() override;

    void abort();
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    // data: the envelope's "data" (for a 204, null); meta: its "meta" (cursor paging: next_cursor).
    void succeeded(const QJsonValue &data, const QJsonObject &meta);
    void failed(const tollgate::gui::ApiError &error);
    void finished();

private:
    void onReplyFinished();
    void finish(const ApiError *error, const QJsonValue &data = {}, const QJsonObject &meta = {});

    QPointer<QNetworkReply> m_reply;
    QByteArray m_method;
    bool m_timedOut = false;
    bool m_aborted = false;
    bool m_finished = false;
};

} // namespace tollgate::gui
