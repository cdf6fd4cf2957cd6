#include "server/http/HttpHandler.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace tollgate::http {

QByteArray HttpHandler::errorBody(int status, QByteArrayView code, const QString &message)
{
    Q_UNUSED(status);
    // Only the front's own refusals land here, never the hot path, so QJson's escaping is worth it.
    const QByteArray requestId = QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    const QJsonObject error{{QStringLiteral("code"), QString::fromLatin1(code)},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("request_id"), QString::fromLatin1(requestId)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

} // namespace tollgate::http
