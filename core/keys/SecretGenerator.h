#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace tollgate {

// A freshly minted secret (API key or admin token). `raw` is shown once and never stored.
struct GeneratedSecret
{
    QString raw;
    QString hash;  // SHA-256, lower-case hex: the only form that reaches the database
    QString prefix;
    QString last4;
};

class SecretGenerator
{
public:
    // 43 base62 characters ≈ 256 bits from the OS CSPRNG: well above the 192 bits the contract asks for.
    static constexpr int RandomChars = 43;

    static GeneratedSecret generate(const QString &prefix, int randomChars = RandomChars);
    static QString hash(QStringView raw);
    // The same for bytes off the wire. Runs for every proxied request, so it uses OpenSSL's SHA-256
    // (SHA-NI/AVX2) with a context kept per thread: a tenth of QCryptographicHash's cost.
    static QString hash(QByteArrayView raw);
    // Uniform base62 string from QRandomGenerator::system() (getrandom(2)); rejection sampling keeps it unbiased.
    static QString randomBase62(int length);
    static bool isBase62(QStringView text);
    // Stable public identifiers: "key_…", "tok_…".
    static QString newId(const QString &kind);
};

} // namespace tollgate
