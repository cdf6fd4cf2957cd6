#pragma once

#include <QByteArray>

namespace tollgate {

// The Tollgate-Signature header of an outgoing webhook, the scheme Stripe uses: "t=<unix s>,v1=<hex HMAC-SHA256 of
// "<t>.<body>" keyed with WEBHOOK_SECRET>". The timestamp is the attempt's, so a receiver can refuse replays of old
// attempts; the body (and its event id) is the same on every attempt.
namespace EventSignature {

QByteArray header(const QByteArray &secret, qint64 unixSeconds, const QByteArray &body);

} // namespace EventSignature

} // namespace tollgate
