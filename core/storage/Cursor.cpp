#include "core/storage/Cursor.h"

#include <QCryptographicHash>

namespace tollgate::cursor {

namespace {

// Long enough for any of ours (a key cursor is ~70 characters), short enough to refuse junk before decoding it.
constexpr qsizetype MaxCursorLength = 256;

QByteArray check(const QByteArray &payload)
{
    return QCryptographicHash::hash("tollgate-cursor:" + payload, QCryptographicHash::Sha256).toHex().left(16);
}

bool isBase64UrlText(const QString &text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_'))
            return false;
    }
    return true;
}

} // namespace

QString encode(QStringView kind, const QStringList &fields)
{
    const QByteArray payload = (kind.toString() + QLatin1Char(':') + fields.join(QLatin1Char(':'))).toUtf8();
    return QString::fromLatin1((payload + ':' + check(payload)).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<QStringList> decode(QStringView kind, const QString &text, int fieldCount)
{
    if (text.isEmpty() || text.size() > MaxCursorLength || !isBase64UrlText(text))
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QByteArray &bytes = *decoded;
    // Canonical only: base64 has several spellings of the same bytes (the unused low bits of the last
    // character); accept just the one encode() writes.
    if (bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) != text.toLatin1())
        return std::nullopt;
    const qsizetype lastColon = bytes.lastIndexOf(':');
    if (lastColon < 0)
        return std::nullopt;
    const QByteArray payload = bytes.left(lastColon);
    if (bytes.mid(lastColon + 1) != check(payload))
        return std::nullopt;
    const QStringList parts = QString::fromUtf8(payload).split(QLatin1Char(':'));
    if (parts.size() != fieldCount + 1 || parts.first() != kind)
        return std::nullopt;
    return parts.mid(1);
}

QString invalidMessage()
{
    return QStringLiteral("cursor: not a cursor from this API");
}

} // namespace tollgate::cursor
