#include "core/auth/Base64Url.h"

namespace tollgate::auth {

namespace {

constexpr auto kOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

bool isUrlAlphabet(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

} // namespace

std::optional<QByteArray> Base64Url::decode(QByteArrayView text)
{
    // A length of 1 mod 4 cannot come from any byte string.
    if (text.size() % 4 == 1)
        return std::nullopt;
    for (char c : text) {
        if (!isUrlAlphabet(c))
            return std::nullopt;
    }
    auto result = QByteArray::fromBase64Encoding(text.toByteArray(), kOptions | QByteArray::AbortOnBase64DecodingErrors);
    if (result.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    // Unused low bits of the last character must be zero: re-encoding gives back the same text only then.
    if (encode(result.decoded) != text)
        return std::nullopt;
    return std::move(result.decoded);
}

QByteArray Base64Url::encode(QByteArrayView data)
{
    return data.toByteArray().toBase64(kOptions);
}

} // namespace tollgate::auth
