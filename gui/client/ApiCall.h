#pragma once

#include "gui/client/ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QVariant>

#include <functional>

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

    // For answers too big to read on the GUI thread (a page of 100 keys is ~5 ms of JSON and dates): the body of a
    // 2xx answer is parsed and decoder(data) run on a worker thread; decoded() then carries its result, emitted on
    // this call's thread just before succeeded(). Set it right after the request is made, before the event loop
    // runs. decoder must be thread-safe: it gets its own copy of the data and nothing else.
    using Decoder = std::function<QVariant(const QJsonValue &data)>;
    void setDecoder(Decoder decoder) { m_decoder = std::move(decoder); }

Q_SIGNALS:
    // With a decoder only: what it made of the data (before succeeded()).
    void decoded(const QVariant &value, const QJsonObject &meta);
    // data: the envelope's "data" (for a 204, null); meta: its "meta" (cursor paging: next_cursor).
    void succeeded(const QJsonValue &data, const QJsonObject &meta);
    void failed(const tollgate::gui::ApiError &error);
    void finished();

private:
    void onReplyFinished();
    void decodeInBackground(QByteArray body);
    void finish(const ApiError *error, const QJsonValue &data = {}, const QJsonObject &meta = {});

    QPointer<QNetworkReply> m_reply;
    QByteArray m_method;
    Decoder m_decoder;
    bool m_timedOut = false;
    bool m_aborted = false;
    bool m_finished = false;
};

} // namespace tollgate::gui
