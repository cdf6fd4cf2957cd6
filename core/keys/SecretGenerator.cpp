#include "core/keys/SecretGenerator.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

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
    return QString::fromLatin1(
        QCryptographicHash::hash(raw.toUtf8(), QCryptographicHash::Sha256).toHex());
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
