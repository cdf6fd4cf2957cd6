#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace tollgate::gui {

// Admin tokens of remote gateways in the OS keychain (Secret Service, KWallet, macOS Keychain), one entry per
// server URL, through QtKeychain with the insecure plain-file fallback switched off: a token is in the
// keychain or nowhere. Asynchronous, like QtKeychain's jobs (a Secret Service may ask the user to unlock).
// The URLs that have an entry are remembered in QSettings (the tokens never are), for Settings → Known servers.
class TokenStore : public QObject
{
    Q_OBJECT

public:
    enum class Outcome { Ok, NotFound, NoKeychain, Failed };
    struct Result
    {
        Outcome outcome = Outcome::Failed;
        QByteArray token;  // read only
        QString message;   // a readable sentence when not Ok
    };
    using Callback = std::function<void(const Result &)>;

    explicit TokenStore(QObject *parent = nullptr);

    void read(const QString &serverUrl, Callback done);
    void write(const QString &serverUrl, const QByteArray &token, Callback done);
    void forget(const QString &serverUrl, Callback done);
    QStringList knownServers() const;
    // A Secret Service (or KWallet) is on the session bus, or can be started there.
    static bool isAvailable();

    // The keychain entry's key: the server URL without path, query or credentials ("https://gw.example:8443").
    static QString entryKey(const QString &serverUrl);

private:
    void remember(const QString &serverUrl, bool known);
};

} // namespace tollgate::gui
