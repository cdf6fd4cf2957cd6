#include "core/util/IpAddress.h"

#include <QRegularExpression>

namespace tollgate {

std::optional<QHostAddress> parseIpAddress(const QString &text)
{
    static const QRegularExpression dottedQuad(QRegularExpression::anchoredPattern(
        QStringLiteral("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")));
    const QString trimmed = text.trimmed();
    if (!trimmed.contains(QLatin1Char(':')) && !dottedQuad.match(trimmed).hasMatch())
        return std::nullopt;
    QHostAddress address;
    if (!address.setAddress(trimmed))
        return std::nullopt;
    return address;
}

} // namespace tollgate
