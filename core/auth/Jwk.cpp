#include "core/auth/Jwk.h"

#include "core/auth/Base64Url.h"

#include <QJsonArray>

#include <bit>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace tollgate::auth {

namespace {

constexpr int kEd25519KeyBytes = 32;
constexpr int kEd25519SignatureBytes = 64;
// Below 2048 bits RSA is breakable in practice; above 16384 a key mostly costs verification time.
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 16384;

struct BnFree { void operator()(BIGNUM *bn) const { BN_free(bn); } };
struct ParamBldFree { void operator()(OSSL_PARAM_BLD *bld) const { OSSL_PARAM_BLD_free(bld); } };
struct ParamFree { void operator()(OSSL_PARAM *params) const { OSSL_PARAM_free(params); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX *ctx) const { EVP_PKEY_CTX_free(ctx); } };
struct MdCtxFree { void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); } };

std::optional<QByteArray> member(const QJsonObject &jwk, const char *name, QString *error)
{
    const QJsonValue value = jwk.value(QLatin1String(name));
    std::optional<QByteArray> bytes = value.isString() ? Base64Url::decode(value.toString().toLatin1()) : std::nullopt;
    if (!bytes || bytes->isEmpty())
        *error = QStringLiteral("\"%1\" missing or not base64url").arg(QLatin1String(name));
    return bytes;
}

QByteArray stripLeadingZeros(QByteArray bytes)
{
    qsizetype zeros = 0;
    while (zeros < bytes.size() && bytes.at(zeros) == 0)
        ++zeros;
    return bytes.mid(zeros);
}

EVP_PKEY *ed25519Key(const QJsonObject &jwk, QString *error)
{
    if (jwk.value(QLatin1String("crv")).toString() != QLatin1String("Ed25519")) {
        *error = QStringLiteral("unsupported OKP curve \"%1\"").arg(jwk.value(QLatin1String("crv")).toString());
        return nullptr;
    }
    const std::optional<QByteArray> x = member(jwk, "x", error);
    if (!x)
        return nullptr;
    if (x->size() != kEd25519KeyBytes) {
        *error = QStringLiteral("Ed25519 \"x\" is %1 bytes, not 32").arg(x->size());
        return nullptr;
    }
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char *>(x->constData()), size_t(x->size()));
    if (!key)
        *error = QStringLiteral("OpenSSL refused the Ed25519 key");
    return key;
}

EVP_PKEY *rsaKey(const QJsonObject &jwk, QString *error)
{
    std::optional<QByteArray> n = member(jwk, "n", error);
    std::optional<QByteArray> e = n ? member(jwk, "e", error) : std::nullopt;
    if (!n || !e)
        return nullptr;
    n = stripLeadingZeros(*n);
    e = stripLeadingZeros(*e);
    const qsizetype bits = n->isEmpty() ? 0 : (n->size() - 1) * 8 + std::bit_width(unsigned(quint8(n->at(0))));
    if (bits < kMinRsaBits || bits > kMaxRsaBits) {
        *error = QStringLiteral("RSA modulus of %1 bits (accepted: %2 to %3)").arg(bits).arg(kMinRsaBits).arg(kMaxRsaBits);
        return nullptr;
    }
    // e is 65537 in practice; an even or tiny exponent (or one longer than 64 bits) is no real key.
    if (e->isEmpty() || e->size() > 8 || (quint8(e->back()) & 1) == 0 || (e->size() == 1 && quint8(e->at(0)) < 3)) {
        *error = QStringLiteral("unusable RSA exponent");
        return nullptr;
    }

    const auto toBn = [](const QByteArray &bytes) {
        return std::unique_ptr<BIGNUM, BnFree>(
            BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr));
    };
    const auto bnN = toBn(*n);
    const auto bnE = toBn(*e);
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
    if (!bnN || !bnE || !builder || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bnN.get())
        || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bnE.get())) {
        *error = QStringLiteral("OpenSSL could not hold the RSA parameters");
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(builder.get()));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
        || EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        *error = QStringLiteral("OpenSSL refused the RSA key");
        return nullptr;
    }
    return key;
}

} // namespace

void Jwk::PkeyFree::operator()(EVP_PKEY *key) const
{
    EVP_PKEY_free(key);
}

Jwk::~Jwk() = default;

std::optional<Jwk::Algorithm> Jwk::algorithmFromName(QStringView alg)
{
    if (alg == QLatin1String("EdDSA") || alg == QLatin1String("Ed25519"))
        return Algorithm::EdDSA;
    if (alg == QLatin1String("RS256"))
        return Algorithm::RS256;
    return std::nullopt;
}

QString Jwk::algorithmName(Algorithm algorithm)
{
    return algorithm == Algorithm::EdDSA ? QStringLiteral("EdDSA") : QStringLiteral("RS256");
}

std::optional<Jwk> Jwk::fromJson(const QJsonObject &json, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Jwk jwk;
    jwk.m_kid = json.value(QLatin1String("kid")).toString();
    jwk.m_kty = json.value(QLatin1String("kty")).toString();
    jwk.m_alg = json.value(QLatin1String("alg")).toString();

    // "use" and "key_ops" say what the key may do (RFC 7517 §4.2, §4.3): an encryption key is not ours to verify with.
    if (json.contains(QLatin1String("use")) && json.value(QLatin1String("use")).toString() != QLatin1String("sig")) {
        *error = QStringLiteral("key \"%1\" is not for signatures (use)").arg(jwk.m_kid);
        return std::nullopt;
    }
    if (json.contains(QLatin1String("key_ops"))
        && !json.value(QLatin1String("key_ops")).toArray().contains(QJsonValue(QLatin1String("verify")))) {
        *error = QStringLiteral("key \"%1\" is not for verification (key_ops)").arg(jwk.m_kid);
        return std::nullopt;
    }

    EVP_PKEY *key = nullptr;
    if (jwk.m_kty == QLatin1String("OKP")) {
        jwk.m_algorithm = Algorithm::EdDSA;
        jwk.m_crv = json.value(QLatin1String("crv")).toString();
        key = ed25519Key(json, error);
    } else if (jwk.m_kty == QLatin1String("RSA")) {
        jwk.m_algorithm = Algorithm::RS256;
        key = rsaKey(json, error);
    } else {
        *error = QStringLiteral("unsupported kty \"%1\"").arg(jwk.m_kty);
        return std::nullopt;
    }
    if (!key) {
        error->prepend(QStringLiteral("key \"%1\": ").arg(jwk.m_kid));
        ERR_clear_error();
        return std::nullopt;
    }
    jwk.m_key.reset(key);

    // A declared "alg" must be the one this key type implies; otherwise the JWKS contradicts itself.
    if (!jwk.m_alg.isEmpty() && algorithmFromName(jwk.m_alg) != jwk.m_algorithm) {
        *error = QStringLiteral("key \"%1\": alg \"%2\" does not fit kty %3").arg(jwk.m_kid, jwk.m_alg, jwk.m_kty);
        return std::nullopt;
    }
    return jwk;
}

int Jwk::bits() const
{
    return EVP_PKEY_get_bits(m_key.get());
}

bool Jwk::verify(QByteArrayView signingInput, QByteArrayView signature) const
{
    // Fixed lengths (RFC 8037 §3.1, RFC 7518 §3.3): checked here rather than trusting every provider to.
    const qsizetype expected = m_algorithm == Algorithm::EdDSA ? kEd25519SignatureBytes : EVP_PKEY_get_size(m_key.get());
    if (signature.size() != expected)
        return false;

    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    // Ed25519 hashes internally (no digest may be named); RS256 is PKCS#1 v1.5, OpenSSL's RSA default.
    const EVP_MD *digest = m_algorithm == Algorithm::RS256 ? EVP_sha256() : nullptr;
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, m_key.get()) == 1
                    && EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                                        size_t(signature.size()),
                                        reinterpret_cast<const unsigned char *>(signingInput.data()),
                                        size_t(signingInput.size())) == 1;
    if (!ok)
        ERR_clear_error(); // the error queue is per thread: leave nothing behind for the next TLS call there
    return ok;
}

} // namespace tollgate::auth
