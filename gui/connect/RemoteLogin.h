#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

namespace tollgate::gui {

class AdminClient;
class ConnectDialog;
class TokenStore;

// How the console gets the admin token of a remote gateway (--connect URL), once:
// TOLLGATE_ADMIN_TOKEN when set (used, never stored); else the keychain's entry for the URL; else it asks
// (ConnectDialog). Every token is checked against GET /admin/status before it is used, and one typed in is
// stored in the keychain only after that check. Ends with finished(true) and the client holding the token,
// or finished(false) when the user cancels.
class RemoteLogin : public QObject
{
    Q_OBJECT

public:
    RemoteLogin(AdminClient *client, TokenStore *tokens, QObject *parent = nullptr);
    void start(const QByteArray &environmentToken);
    // Where it came from, for the log and tests: "environment", "keychain" or "dialog".
    QString source() const { return m_source; }

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    void verify(const QByteArray &token, const QString &source, bool storeAfter);
    void ask(const QString &problem);

    AdminClient *m_client;
    TokenStore *m_tokens;
    bool m_keychainAvailable = true;
    QString m_source;
    QPointer<ConnectDialog> m_dialog;
};

} // namespace tollgate::gui
