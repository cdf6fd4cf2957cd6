#include "core/keys/SecretGenerator.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <openssl/evp.h>

namespace tollgate {

namespace {
constexpr char Alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
}

QString SecretGenerator::randomBase62(int length)
{
    QString out;
    out.reserve(length);
    auto *rng = QRandomGenerator::system();
    while (out.size() < length) {
        quint32 block[16];
        rng->fillRange(block);
        for (quint32 word : block) {
            // 4 bytes per word; 248 = 4 * 62 is the largest multiple of 62 below 256.
            for (int i = 0; i < 4 && out.size() < length; ++i) {
                const quint8 byte = quint8(word >> (8 * i));
                if (byte < 248)
                    out.append(QLatin1Char(Alphabet[byte % 62]));
            }
        }
    }
    return out;
}

bool SecretGenerator::isBase62(QStringView text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z')))
            return false;
    }
    return !text.isEmpty();
}

QString SecretGenerator::hash(QStringView raw)
{
    return hash(QByteArrayView(raw.toUtf8()));
}

QString SecretGenerator::hash(QByteArrayView raw)
{
    struct Context
    {
        EVP_MD *sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        EVP_MD_CTX *context = EVP_MD_CTX_new();
        ~Context()
        {
            EVP_MD_CTX_free(context);
            EVP_MD_free(sha256);
        }
    };
    thread_local Context local;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!local.sha256 || !local.context || !EVP_DigestInit_ex2(local.context, local.sha256, nullptr)
        || !EVP_DigestUpdate(local.context, raw.data(), size_t(raw.size()))
        || !EVP_DigestFinal_ex(local.context, digest, &length) || length != 32) {
        // Only if OpenSSL cannot give SHA-256 at all; Qt's own is slower but gives the same digest.
        return QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex());
    }
    static constexpr char16_t hex[] = u"0123456789abcdef";
    QString out(64, Qt::Uninitialized);
    char16_t *p = reinterpret_cast<char16_t *>(out.data());
    for (unsigned int i = 0; i < length; ++i) {
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 0xf];
    }
    return out;
}

GeneratedSecret SecretGenerator::generate(const QString &prefix, int randomChars)
{
    GeneratedSecret secret;
    secret.raw = prefix + randomBase62(randomChars);
    secret.hash = hash(secret.raw);
    secret.prefix = prefix;
    secret.last4 = secret.raw.right(4);
    return secret;
}

QString SecretGenerator::newId(const QString &kind)
{
    return kind + QLatin1Char('_') + randomBase62(20);
}

} // namespace tollgate
