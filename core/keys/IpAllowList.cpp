#include "core/keys/IpAllowList.h"

namespace tollgate {

namespace {

std::optional<QPair<QHostAddress, int>> parseEntry(const QString &text)
{
    const QString entry = text.trimmed();
    if (entry.isEmpty())
        return std::nullopt;
    if (!entry.contains(QLatin1Char('/'))) {
        QHostAddress address;
        if (!address.setAddress(entry))
            return std::nullopt;
        const int bits = address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
        return qMakePair(address, bits);
    }
    const auto subnet = QHostAddress::parseSubnet(entry);
    if (subnet.first.isNull() || subnet.second < 0)
        return std::nullopt;
    return subnet;
}

// A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; compare them as IPv4.
QHostAddress unmapped(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
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

bool IpAllowList::allows(const QHostAddress &client) const
{
    if (m_subnets.isEmpty())
        return true;
    const QHostAddress address = unmapped(client);
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
