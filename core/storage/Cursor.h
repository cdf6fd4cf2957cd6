#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace tollgate::cursor {

// Pagination cursors: opaque to clients, strict to us. A cursor is base64url (no padding) of
// "<kind>:<field>:…:<check>", where <check> is 16 hex digits of SHA-256 over "tollgate-cursor:<kind>:<fields>".
//
// Why no HMAC: instances behind one load balancer share a database but no secret (WEBHOOK_SECRET and the JWKS
// are optional), so a key made per process would turn page 2 into a 400 whenever it lands on another instance.
// What this gives instead: anything that is not exactly what encode() made — garbage, other base64, our own
// format with a digit changed by hand, a cursor of another list kind — fails decode(), so it is a 400 and never a
// silently empty or shifted page. A client that recomputes the check can still forge a position; the stores make
// that harmless by requiring that the row a cursor names exists inside the list being paged (a caller can only
// move within what it could list anyway) — see KeyStore::list and AuditStore::list.
QString encode(QStringView kind, const QStringList &fields);
// The fields when `text` is a well-formed cursor of `kind` with `fieldCount` fields; nullopt otherwise.
std::optional<QStringList> decode(QStringView kind, const QString &text, int fieldCount);

// The message of the 400 every malformed cursor gets.
QString invalidMessage();

} // namespace tollgate::cursor
