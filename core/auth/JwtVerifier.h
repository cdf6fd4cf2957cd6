#pragma once

#include "core/auth/JwkSet.h"
#include "core/auth/JwtResult.h"
#include "core/util/Clock.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFuture>

#include <memory>

namespace tollgate::auth {

class JwksCache;

// Verifies management-API bearer JWTs against the JWKS: the signature (EdDSA or RS256 only, the
// algorithm fixed by the key, never chosen by the token), then exp/nbf with leeway, iss and aud when
// configured, and a subject. Every refusal carries one JwtReason. Thread-safe and non-blocking: it reads
// the cache's current snapshot; the JWKS cache must outlive the verifier.
class JwtVerifier
{
public:
    struct Options
    {
        QString issuer;             // JWT_ISSUER; empty = not checked
        QString audience;           // JWT_AUDIENCE; empty = not checked
        qint64 leewaySeconds = 60;  // clock skew allowed on exp and nbf
        qsizetype maxTokenBytes = 16 * 1024;
    };

    JwtVerifier(JwksCache *jwks, std::shared_ptr<const Clock> clock, Options options);

    // Against the keys cached now. A kid not among them (or no keys at all) asks the cache for a refresh
    // (at most one fetch per 30 s) and answers "unknown_kid" / "jwks_unavailable"; the caller may retry.
    JwtResult verify(QByteArrayView token) const;
    // The same, but when the key is missing it waits for that refresh (if one may run) and answers with
    // the refreshed keys. Finishes on the JWKS cache's thread unless answered at once; attach a context
    // object to the continuation to come back to the caller's thread.
    QFuture<JwtResult> verifyAsync(QByteArray token) const;

    // The checks alone, against a given key set; *keyMissing says a refresh might change the answer.
    static JwtResult verifyWith(QByteArrayView token, const JwkSet &keys, const Clock &clock, const Options &options,
                                bool *keyMissing = nullptr);

private:
    JwksCache *m_jwks;
    std::shared_ptr<const Clock> m_clock;
    Options m_options;
};

} // namespace tollgate::auth
