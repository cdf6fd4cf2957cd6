#pragma once

#include "core/auth/JwtClaims.h"

#include <QLatin1StringView>
#include <QString>

namespace tollgate::auth {

// Why a token was refused: one stable snake_case label each, for the 401 log line and the
// tollgate_auth_failures_total{reason} metric. Never shown with the token itself.
namespace JwtReason {
inline constexpr QLatin1StringView AlgNone{"alg_none"};              // alg "none" (any case)
inline constexpr QLatin1StringView AlgHmac{"alg_hmac"};              // HS256/HS384/HS512: we hold no shared secrets
inline constexpr QLatin1StringView AlgMismatch{"alg_mismatch"};      // alg not the key's (or not EdDSA/RS256 at all)
inline constexpr QLatin1StringView BadSignature{"bad_signature"};    // signature does not verify (incl. tampering)
inline constexpr QLatin1StringView Malformed{"malformed"};           // not 3 strict base64url parts, bad JSON, no/bad exp, crit
inline constexpr QLatin1StringView Expired{"expired"};               // now >= exp + leeway
inline constexpr QLatin1StringView NotYetValid{"not_yet_valid"};     // now + leeway < nbf
inline constexpr QLatin1StringView WrongIssuer{"wrong_issuer"};      // iss != JWT_ISSUER (when set)
inline constexpr QLatin1StringView WrongAudience{"wrong_audience"};  // JWT_AUDIENCE (when set) not in aud
inline constexpr QLatin1StringView NoSubject{"no_subject"};          // sub missing, empty or not a string
inline constexpr QLatin1StringView UnknownKid{"unknown_kid"};        // kid not in a freshly fetched JWKS
inline constexpr QLatin1StringView JwksUnavailable{"jwks_unavailable"};  // no key set, or the last fetch failed and the kid is not cached
} // namespace JwtReason

struct JwtResult
{
    bool ok = false;
    QString reason;   // empty when ok; else one of JwtReason
    QString message;  // one line for logs (never contains the token); not meant for response bodies
    JwtClaims claims; // only when ok

    static JwtResult refused(QLatin1StringView reason, const QString &message)
    {
        JwtResult result;
        result.reason = reason;
        result.message = message;
        return result;
    }
};

} // namespace tollgate::auth
