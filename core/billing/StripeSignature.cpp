#include "core/billing/StripeSignature.h"

#include <QCryptographicHash>
#include <QList>
#include <QMessageAuthenticationCode>

#include <openssl/crypto.h>

namespace tollgate {

namespace {

QByteArray mac(QByteArrayView timestampText, QByteArrayView rawBody, QByteArrayView secret)
{
    QMessageAuthenticationCode code(QCryptographicHash::Sha256, secret.toByteArray());
    code.addData(timestampText.data(), timestampText.size());
    code.addData(".", 1);
    code.addData(rawBody.data(), rawBody.size());
    return code.result();
}

bool isHex(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

bool isDigits(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 15)
        return false;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

StripeSignature::Verdict verdict(StripeSignature::Result result, const char *message)
{
    return {result, QString::fromLatin1(message)};
}

} // namespace

QByteArray StripeSignature::Verdict::reason() const
{
    switch (result) {
    case Result::Valid: return QByteArrayLiteral("valid");
    case Result::Missing: return QByteArrayLiteral("missing");
    case Result::Malformed: return QByteArrayLiteral("malformed");
    case Result::NoMatch: return QByteArrayLiteral("mismatch");
    case Result::OutsideTolerance: return QByteArrayLiteral("stale");
    }
    return QByteArrayLiteral("malformed");
}

StripeSignature::Verdict StripeSignature::verify(QByteArrayView header, QByteArrayView rawBody, QByteArrayView secret,
                                                 qint64 nowSeconds, int toleranceSeconds)
{
    const QByteArray text = header.toByteArray().trimmed();
    if (text.isEmpty())
        return verdict(Result::Missing, "The Stripe-Signature header is missing.");
    QByteArray timestamp;
    QList<QByteArray> candidates;
    for (const QByteArray &rawItem : text.split(',')) {
        const QByteArray item = rawItem.trimmed();
        const qsizetype eq = item.indexOf('=');
        if (eq <= 0)
            return verdict(Result::Malformed, "The Stripe-Signature header is not t=<unix time>,v1=<signature>.");
        const QByteArray name = item.left(eq);
        const QByteArray value = item.mid(eq + 1);
        if (name == "t") {
            if (!timestamp.isEmpty() || !isDigits(value))
                return verdict(Result::Malformed, "The Stripe-Signature header needs exactly one t=<unix time in seconds>.");
            timestamp = value;
        } else if (name == "v1") {
            candidates.append(value);
        }
        // v0 and schemes to come: not ours to check, as Stripe's libraries ignore them.
    }
    if (timestamp.isEmpty())
        return verdict(Result::Malformed, "The Stripe-Signature header has no timestamp (t=).");
    if (candidates.isEmpty())
        return verdict(Result::Malformed, "The Stripe-Signature header has no v1 signature.");

    const QByteArray expected = mac(timestamp, rawBody, secret);
    bool matched = false;
    for (const QByteArray &candidate : candidates) {
        // Hex of another length or alphabet cannot be ours; the bytes of one that could are compared in constant time.
        if (candidate.size() != expected.size() * 2 || !isHex(candidate))
            continue;
        const QByteArray given = QByteArray::fromHex(candidate);
        if (CRYPTO_memcmp(given.constData(), expected.constData(), size_t(expected.size())) == 0)
            matched = true;  // no early exit: every candidate costs the same
    }
    if (!matched)
        return verdict(Result::NoMatch, "No v1 signature in Stripe-Signature matches the body signed with the webhook secret.");
    // Checked after the signature, as Stripe does: the timestamp is only worth believing once it is signed.
    const qint64 age = nowSeconds - timestamp.toLongLong();
    if (age > toleranceSeconds || age < -toleranceSeconds)
        return {Result::OutsideTolerance,
                QStringLiteral("The Stripe-Signature timestamp is %1 s %2 this server's clock; at most %3 s are accepted.")
                    .arg(qAbs(age)).arg(age > 0 ? QStringLiteral("behind") : QStringLiteral("ahead of")).arg(toleranceSeconds)};
    return {Result::Valid, {}};
}

QByteArray StripeSignature::sign(qint64 timestamp, QByteArrayView rawBody, QByteArrayView secret)
{
    return mac(QByteArray::number(timestamp), rawBody, secret).toHex();
}

QByteArray StripeSignature::header(qint64 timestamp, QByteArrayView rawBody, QByteArrayView secret)
{
    return "t=" + QByteArray::number(timestamp) + ",v1=" + sign(timestamp, rawBody, secret);
}

} // namespace tollgate
