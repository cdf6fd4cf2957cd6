#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

#include <optional>

namespace tollgate {

// A key's allowed client networks, as CIDRs (IPv4 and IPv6). Empty means every address.
class IpAllowList
{
public:
    IpAllowList() = default;

    // Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128). On a bad entry
    // returns nullopt and names it in *error.
    static std::optional<IpAllowList> parse(const QStringList &entries, QString *error = nullptr);
    // The canonical text form of one entry ("10.1.2.3" → "10.1.2.3/32"), or an empty string if invalid.
    static QString normalize(const QString &entry);

    // Matches nobody: what a stored list that no longer parses becomes (fail closed, never open).
    static IpAllowList denyAll();

    bool isEmpty() const { return m_subnets.isEmpty() && !m_denyAll; }
    bool allows(const QHostAddress &client) const;
    QStringList toStringList() const;

private:
    QList<QPair<QHostAddress, int>> m_subnets;
    bool m_denyAll = false;
};

} // namespace tollgate
