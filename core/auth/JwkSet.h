#pragma once

#include "core/auth/Jwk.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>

#include <memory>
#include <optional>

namespace tollgate::auth {

// One immutable JWKS snapshot: the usable keys by kid, plus whether the fetch that should have produced
// it worked. Verifiers hold a shared_ptr to one, so a refresh swapping in the next never disturbs a
// verification in progress.
class JwkSet
{
public:
    JwkSet() = default;

    // {"keys": [...]}. Keys this project cannot use (EC, oct, Ed448, small RSA, ...) or a repeated kid are
    // skipped and described in *skipped; nullopt (and *error) when the document is not a JWKS at all or
    // holds no usable key, so a broken answer never replaces a working key set.
    static std::optional<JwkSet> fromJson(const QByteArray &json, qint64 fetchedAtMs, QStringList *skipped,
                                          QString *error);

    // A token without "kid" may use the only key when there is exactly one (a JWKS with one key often
    // omits kids); with several keys it must name one.
    std::shared_ptr<const Jwk> find(const QString &kid) const;
    qsizetype size() const { return m_keys.size(); }
    bool isEmpty() const { return m_keys.isEmpty(); }
    QStringList kids() const;

    // false before the first successful fetch, and while the latest fetch failed (the keys are then the
    // last good ones). A kid missing from a current set is "unknown"; from a stale one, we cannot tell.
    bool current() const { return m_current; }
    qint64 fetchedAtMs() const { return m_fetchedAtMs; }  // of the keys held; 0 = never
    JwkSet stale() const;

private:
    QHash<QString, std::shared_ptr<const Jwk>> m_keys;
    bool m_current = false;
    qint64 m_fetchedAtMs = 0;
};

} // namespace tollgate::auth
