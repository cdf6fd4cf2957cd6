#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

typedef struct evp_pkey_st EVP_PKEY;

namespace tollgate::auth {

// One public signing key from a JWKS (RFC 7517), as an OpenSSL key ready to verify with. Only the two
// algorithms the auth service signs with exist here: Ed25519 (kty OKP, crv Ed25519, JWS alg "EdDSA")
// and RSA with SHA-256 (kty RSA, JWS alg "RS256"). Symmetric ("oct") and every other key type are refused
// at parse time, so no JWKS content can make an HMAC or unexpected algorithm verifiable.
// Immutable after parsing; verify() is safe from any number of threads at once.
class Jwk
{
public:
    enum class Algorithm { EdDSA, RS256 };

    // nullopt (and *error) for anything not usable as an EdDSA or RS256 verification key: another kty or
    // curve, an "alg" that contradicts the key type, "use" other than "sig", "key_ops" without "verify",
    // bad base64url, an Ed25519 key not 32 bytes, an RSA modulus under 2048 or over 16384 bits.
    static std::optional<Jwk> fromJson(const QJsonObject &jwk, QString *error);

    // The JWS "alg" header values this project accepts. "Ed25519" is the fully specified name
    // (RFC 9864) for the same algorithm as "EdDSA" with an Ed25519 key.
    static std::optional<Algorithm> algorithmFromName(QStringView alg);
    static QString algorithmName(Algorithm algorithm);

    Jwk(Jwk &&) noexcept = default;
    Jwk &operator=(Jwk &&) noexcept = default;
    ~Jwk();

    QString kid() const { return m_kid; }
    QString kty() const { return m_kty; }
    QString crv() const { return m_crv; }          // empty for RSA
    QString declaredAlg() const { return m_alg; }  // the JWK's own "alg", possibly empty
    Algorithm algorithm() const { return m_algorithm; }
    int bits() const;

    // Signature over signingInput ("base64url(header).base64url(payload)") with this key's algorithm.
    bool verify(QByteArrayView signingInput, QByteArrayView signature) const;

private:
    struct PkeyFree
    {
        void operator()(EVP_PKEY *key) const;
    };

    Jwk() = default;

    QString m_kid;
    QString m_kty;
    QString m_crv;
    QString m_alg;
    Algorithm m_algorithm = Algorithm::EdDSA;
    std::unique_ptr<EVP_PKEY, PkeyFree> m_key;
};

} // namespace tollgate::auth
