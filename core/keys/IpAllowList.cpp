#include "core/keys/IpAllowList.h"

#include "core/util/IpAddress.h"

namespace tollgate {

namespace {

// A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; entries and clients are both compared as IPv4.
QPair<QHostAddress, int> unmappedSubnet(const QHostAddress &address, int bits)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4 && address.protocol() == QAbstractSocket::IPv6Protocol && bits >= 96)
        return qMakePair(QHostAddress(v4), bits - 96);
    return qMakePair(address, bits);
}

std::optional<QPair<QHostAddress, int>> parseEntry(const QString &text)
{
    const QString entry = text.trimmed();
    const QString addressPart = entry.section(QLatin1Char('/'), 0, 0);
    const auto address = parseIpAddress(addressPart);
    if (!address)
        return std::nullopt;
    const int maxBits = address->protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
    if (!entry.contains(QLatin1Char('/')))
        return unmappedSubnet(*address, maxBits);
    const QString maskPart = entry.section(QLatin1Char('/'), 1);
    bool ok = false;
    const int bits = maskPart.toInt(&ok);
    const bool dottedMask = maskPart.contains(QLatin1Char('.')) && parseIpAddress(maskPart).has_value();
    if (!dottedMask && (!ok || bits < 0 || bits > maxBits || maskPart.startsWith(QLatin1Char('+'))))
        return std::nullopt;
    // parseSubnet() clears the host bits, so "10.1.2.3/8" is stored as the network it means.
    const auto subnet = QHostAddress::parseSubnet(address->toString() + QLatin1Char('/') + maskPart);
    if (subnet.first.isNull() || subnet.second < 0)
        return std::nullopt;
    return unmappedSubnet(subnet.first, subnet.second);
}

} // namespace

std::optional<IpAllowList> IpAllowList::parse(const QStringList &entries, QString *error)
{
    IpAllowList list;
    for (const QString &entry : entries) {
        const auto subnet = parseEntry(entry);
        if (!subnet) {
            if (error)
                *error = QStringLiteral("not an IP address or CIDR: \"%1\"").arg(entry);
            return std::nullopt;
        }
        list.m_subnets.append(*subnet);
    }
    return list;
}

QString IpAllowList::normalize(const QString &entry)
{
    const auto subnet = parseEntry(entry);
    if (!subnet)
        return {};
    // parseSubnet() already clears host bits, so "10.1.2.3/8" is stored as the network it means.
    return subnet->first.toString() + QLatin1Char('/') + QString::number(subnet->second);
}

IpAllowList IpAllowList::denyAll()
{
    IpAllowList list;
    list.m_denyAll = true;
    return list;
}

bool IpAllowList::allows(const QHostAddress &client) const
{
    if (m_denyAll)
        return false;
    if (m_subnets.isEmpty())
        return true;
    const QHostAddress address = unmappedSubnet(client, 128).first;
    for (const auto &subnet : m_subnets) {
        if (address.isInSubnet(subnet))
            return true;
    }
    return false;
}

QStringList IpAllowList::toStringList() const
{
    QStringList out;
    for (const auto &subnet : m_subnets)
        out.append(subnet.first.toString() + QLatin1Char('/') + QString::number(subnet.second));
    return out;
}

} // namespace tollgate
