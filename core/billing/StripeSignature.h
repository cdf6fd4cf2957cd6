#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tollgate {

// Stripe's webhook signature scheme, as its own libraries check it: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=…]
// [,v0=…]`, where each v1 is HMAC-SHA256(secret, "<t>.<raw body>") in hex. Any one matching v1 suffices (Stripe sends
// two while a secret is being rolled); other schemes (v0, the test-mode scheme) are ignored; the comparison takes
// the same time whatever the bytes. The timestamp must lie within the tolerance of now, in both directions: a
// captured delivery cannot be replayed later, nor one signed with a clock far ahead.
class StripeSignature
{
public:
    static constexpr int DefaultToleranceSeconds = 300;

    enum class Result { Valid, Missing, Malformed, NoMatch, OutsideTolerance };
    struct Verdict
    {
        Result result = Result::Missing;
        QString message;  // for the 400: says what is wrong, never what would have been right
        bool valid() const { return result == Result::Valid; }
        QByteArray reason() const;  // metric label: valid, missing, malformed, mismatch, stale
    };

    static Verdict verify(QByteArrayView header, QByteArrayView rawBody, QByteArrayView secret, qint64 nowSeconds,
                          int toleranceSeconds = DefaultToleranceSeconds);
    // The v1 of a payload, lower-case hex: what a sender puts in the header (tests, and the README's curl example).
    static QByteArray sign(qint64 timestamp, QByteArrayView rawBody, QByteArrayView secret);
    static QByteArray header(qint64 timestamp, QByteArrayView rawBody, QByteArrayView secret);
};

} // namespace tollgate
