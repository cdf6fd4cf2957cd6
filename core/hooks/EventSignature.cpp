#include "core/hooks/EventSignature.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace tollgate::EventSignature {

namespace {

QByteArray mac(const QByteArray &secret, const QByteArray &timestamp, const QByteArray &body)
{
    QMessageAuthenticationCode code(QCryptographicHash::Sha256, secret);
    code.addData(timestamp);
    code.addData(".", 1);
    code.addData(body);
    return code.result().toHex();
}

} // namespace

QByteArray header(const QByteArray &secret, qint64 unixSeconds, const QByteArray &body)
{
    const QByteArray t = QByteArray::number(unixSeconds);
    return "t=" + t + ",v1=" + mac(secret, t, body);
}

} // namespace tollgate::EventSignature
