#include "gui/client/ApiCall.h"

#include "core/util/WhenDone.h"
#include "gui/client/ClientLogging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace tollgate::gui {

ApiCall::ApiCall(QNetworkReply *reply, QByteArray method, int timeoutMs, QObject *parent)
    : QObject(parent), m_reply(reply), m_method(std::move(method))
{
    reply->setParent(this);
    connect(reply, &QNetworkReply::finished, this, &ApiCall::onReplyFinished);
    // A gateway that accepts the connection and then says nothing must not leave a view waiting for ever.
    QTimer::singleShot(timeoutMs, this, [this] {
        if (m_finished || !m_reply)
            return;
        m_timedOut = true;
        m_reply->abort();
    });
}

ApiCall::~ApiCall() = default;

void ApiCall::abort()
{
    if (m_finished || !m_reply)
        return;
    m_aborted = true;
    if (m_reply->isFinished()) {
        // Answered, and its body is being decoded: that result is dropped when it comes.
        ApiError error;
        error.code = QStringLiteral("ABORTED");
        error.message = QCoreApplication::translate("tollgate::gui::ApiCall", "The request was cancelled.");
        return finish(&error);
    }
    m_reply->abort();
}

void ApiCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An aborted reply is closed: reading it would only warn.
    const QByteArray body = m_aborted || m_timedOut ? QByteArray() : reply->readAll();
    // Method, path and status only: bodies can hold a freshly made key, requests a token.
    qCDebug(lcConsoleClient).noquote() << m_method << reply->url().path() << status;

    if (m_aborted || m_timedOut || status == 0) {
        ApiError error;
        if (m_aborted) {
            error.code = QStringLiteral("ABORTED");
            error.message = QCoreApplication::translate("tollgate::gui::ApiCall", "The request was cancelled.");
        } else if (m_timedOut) {
            error.code = QStringLiteral("TIMEOUT");
            error.message = QCoreApplication::translate("tollgate::gui::ApiCall", "The gateway did not answer in time.");
        } else {
            error.code = QStringLiteral("NETWORK");
            error.message = QCoreApplication::translate("tollgate::gui::ApiCall", "The gateway cannot be reached: %1")
                                .arg(reply->errorString());
        }
        return finish(&error);
    }
    if (m_decoder && status >= 200 && status < 300)
        return decodeInBackground(body);
    QJsonParseError parseError;
    const QJsonDocument document = body.isEmpty() ? QJsonDocument() : QJsonDocument::fromJson(body, &parseError);
    const QJsonObject object = document.object();
    if (status >= 200 && status < 300)
        return finish(nullptr, object.value(QStringLiteral("data")), object.value(QStringLiteral("meta")).toObject());

    ApiError error;
    error.status = status;
    const QJsonObject envelope = object.value(QStringLiteral("error")).toObject();
    error.code = envelope.value(QStringLiteral("code")).toString();
    error.message = envelope.value(QStringLiteral("message")).toString();
    if (error.message.isEmpty()) {
        error.message = QCoreApplication::translate("tollgate::gui::ApiCall", "The gateway answered %1 %2.")
                            .arg(status)
                            .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    }
    finish(&error);
}

void ApiCall::decodeInBackground(QByteArray body)
{
    struct Decoded
    {
        QJsonValue data;
        QJsonObject meta;
        QVariant value;
    };
    QFuture<Decoded> future = QtConcurrent::run([body = std::move(body), decoder = m_decoder] {
        const QJsonObject object = body.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(body).object();
        Decoded out{object.value(QStringLiteral("data")), object.value(QStringLiteral("meta")).toObject(), {}};
        out.value = decoder(out.data);
        return out;
    });
    whenDone(future, this, [this](QFuture<Decoded> done) {
        if (m_finished)
            return;  // aborted meanwhile
        if (done.isCanceled() || done.resultCount() == 0) {
            ApiError error;
            error.code = QStringLiteral("DECODE");
            error.message = QCoreApplication::translate("tollgate::gui::ApiCall", "The gateway's answer could not be read.");
            return finish(&error);
        }
        const Decoded result = done.result();
        Q_EMIT decoded(result.value, result.meta);
        finish(nullptr, result.data, result.meta);
    });
}

void ApiCall::finish(const ApiError *error, const QJsonValue &data, const QJsonObject &meta)
{
    if (m_finished)
        return;
    m_finished = true;
    if (error)
        Q_EMIT failed(*error);
    else
        Q_EMIT succeeded(data, meta);
    Q_EMIT finished();
    deleteLater();
}

} // namespace tollgate::gui
