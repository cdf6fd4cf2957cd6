#pragma once

// Keys and tokens for the auth tests, made with OpenSSL in the test itself: fresh keys every run, so
// nothing here can pass by matching a recorded answer.

#include "core/auth/Base64Url.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace jwttest {

struct PkeyFree { void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); } };
using Pkey = std::shared_ptr<EVP_PKEY>;

inline QByteArray b64(QByteArrayView data)
{
    return tollgate::auth::Base64Url::encode(data);
}

inline QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A private key and the public JWK that the test JWKS server publishes for it.
struct TestKey
{
    Pkey pkey;
    QString kid;
    QString alg;  // "EdDSA" or "RS256"
    QJsonObject jwk;

    bool isNull() const { return !pkey; }
};

inline Pkey generate(const char *type, int rsaBits = 0)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY *key = nullptr;
    if (ctx && EVP_PKEY_keygen_init(ctx) > 0 && (!rsaBits || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, rsaBits) > 0))
        EVP_PKEY_keygen(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    return Pkey(key, PkeyFree());
}

inline QByteArray bnParam(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        return {};
    QByteArray bytes(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(bytes.data()));
    BN_free(bn);
    return bytes;
}

inline TestKey ed25519Key(const QString &kid, bool withAlg = true)
{
    TestKey key{generate("ED25519"), kid, QStringLiteral("EdDSA"), {}};
    QByteArray raw(32, Qt::Uninitialized);
    size_t length = size_t(raw.size());
    EVP_PKEY_get_raw_public_key(key.pkey.get(), reinterpret_cast<unsigned char *>(raw.data()), &length);
    key.jwk = QJsonObject{{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", kid}, {"use", "sig"},
                          {"x", QString::fromLatin1(b64(raw))}};
    if (withAlg)
        key.jwk.insert("alg", "EdDSA");
    return key;
}

inline TestKey rsaKey(const QString &kid, int bits = 2048, bool withAlg = true)
{
    TestKey key{generate("RSA", bits), kid, QStringLiteral("RS256"), {}};
    key.jwk = QJsonObject{{"kty", "RSA"}, {"kid", kid}, {"use", "sig"},
                          {"n", QString::fromLatin1(b64(bnParam(key.pkey.get(), OSSL_PKEY_PARAM_RSA_N)))},
                          {"e", QString::fromLatin1(b64(bnParam(key.pkey.get(), OSSL_PKEY_PARAM_RSA_E)))}};
    if (withAlg)
        key.jwk.insert("alg", "RS256");
    return key;
}

// SubjectPublicKeyInfo PEM: what a JWT library's "key" argument would be given, the HMAC-confusion secret.
inline QByteArray publicPem(const TestKey &key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key.pkey.get());
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, length);
    BIO_free(bio);
    return pem;
}

// EVP_DigestSign over signingInput with the key's own algorithm (no digest for Ed25519; SHA-256 for RSA).
inline QByteArray sign(const TestKey &key, QByteArrayView signingInput)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const EVP_MD *digest = key.alg == QLatin1String("RS256") ? EVP_sha256() : nullptr;
    size_t length = 0;
    QByteArray signature;
    const auto *input = reinterpret_cast<const unsigned char *>(signingInput.data());
    if (EVP_DigestSignInit(ctx, nullptr, digest, nullptr, key.pkey.get()) == 1
        && EVP_DigestSign(ctx, nullptr, &length, input, size_t(signingInput.size())) == 1) {
        signature.resize(qsizetype(length));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length, input,
                           size_t(signingInput.size())) == 1)
            signature.resize(qsizetype(length));
        else
            signature.clear();
    }
    EVP_MD_CTX_free(ctx);
    return signature;
}

inline QJsonObject headerFor(const TestKey &key)
{
    return QJsonObject{{"alg", key.alg}, {"typ", "JWT"}, {"kid", key.kid}};
}

inline QByteArray signingInput(const QJsonObject &header, const QJsonObject &payload)
{
    return b64(json(header)) + '.' + b64(json(payload));
}

// header.payload signed by `signer` (whatever the header claims).
inline QByteArray mint(const TestKey &signer, const QJsonObject &header, const QJsonObject &payload)
{
    const QByteArray input = signingInput(header, payload);
    return input + '.' + b64(sign(signer, input));
}

inline QByteArray mint(const TestKey &key, const QJsonObject &payload)
{
    return mint(key, headerFor(key), payload);
}

inline QByteArray mintRawPayload(const TestKey &key, const QByteArray &payloadBytes)
{
    const QByteArray input = b64(json(headerFor(key))) + '.' + b64(payloadBytes);
    return input + '.' + b64(sign(key, input));
}

inline QByteArray hs256(const QJsonObject &header, const QJsonObject &payload, const QByteArray &secret)
{
    const QByteArray input = signingInput(header, payload);
    return input + '.' + b64(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

} // namespace jwttest
