#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tollgate::auth {

// The unpadded base64url of JWS compact serialisation (RFC 7515 §2), decoded strictly: anything but the
// URL-safe alphabet (padding, '+', '/', whitespace) or a non-canonical final character is refused, so
// one token has exactly one spelling and a "changed" signature can never verify as the original.
class Base64Url
{
public:
    static std::optional<QByteArray> decode(QByteArrayView text);
    static QByteArray encode(QByteArrayView data);
};

} // namespace tollgate::auth
