#include "core/hooks/EventSignature.h"

#include <QByteArrayList>
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

// Compares without stopping at the first difference, so the time taken says nothing about the expected value.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

QByteArray header(const QByteArray &secret, qint64 unixSeconds, const QByteArray &body)
{
    const QByteArray t = QByteArray::number(unixSeconds);
    return "t=" + t + ",v1=" + mac(secret, t, body);
}

bool verify(const QByteArray &secret, const QByteArray &header, const QByteArray &body, qint64 *timestamp)
{
    QByteArray t;
    QByteArrayList signatures;
    for (const QByteArray &part : header.split(',')) {
        const QByteArray item = part.trimmed();
        if (item.startsWith("t="))
            t = item.mid(2);
        else if (item.startsWith("v1="))
            signatures << item.mid(3);
    }
    bool ok = false;
    const qint64 seconds = t.toLongLong(&ok);
    if (!ok || signatures.isEmpty())
        return false;
    const QByteArray expected = mac(secret, t, body);
    bool match = false;
    for (const QByteArray &signature : signatures)
        match |= sameBytes(signature, expected);
    if (match && timestamp)
        *timestamp = seconds;
    return match;
}

} // namespace tollgate::EventSignature
