#include "gui/connect/RemoteLogin.h"

#include "gui/client/AdminClient.h"
#include "gui/connect/ConnectDialog.h"
#include "gui/secrets/TokenStore.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRemoteLogin, "tollgate.gui.connect")

namespace tollgate::gui {

RemoteLogin::RemoteLogin(AdminClient *client, TokenStore *tokens, QObject *parent)
    : QObject(parent), m_client(client), m_tokens(tokens)
{
}

void RemoteLogin::start(const QByteArray &environmentToken)
{
    if (!environmentToken.isEmpty())
        return verify(environmentToken, QStringLiteral("environment"), false);
    const QString server = m_client->baseUrl().toString();
    m_tokens->read(server, [this](const TokenStore::Result &result) {
        switch (result.outcome) {
        case TokenStore::Outcome::Ok:
            return verify(result.token, QStringLiteral("keychain"), false);
        case TokenStore::Outcome::NoKeychain:
            m_keychainAvailable = false;
            qCInfo(lcRemoteLogin).noquote() << result.message;
            return ask({});
        case TokenStore::Outcome::NotFound:
            return ask({});
        case TokenStore::Outcome::Failed:
            return ask(tr("The keychain could not be read: %1").arg(result.message));
        }
    });
}

void RemoteLogin::verify(const QByteArray &token, const QString &source, bool storeAfter)
{
    m_client->setToken(token);
    ApiCall *call = m_client->get(QStringLiteral("/admin/status"));
    connect(call, &ApiCall::succeeded, this, [this, token, source, storeAfter] {
        m_source = source;
        qCInfo(lcRemoteLogin).noquote() << "connected to" << m_client->baseUrl().toString() << "with the token from" << source;
        if (m_dialog)
            m_dialog->deleteLater();
        if (!storeAfter)
            return Q_EMIT finished(true, {});
        m_tokens->write(m_client->baseUrl().toString(), token, [this](const TokenStore::Result &result) {
            // Connected either way; a token that could not be stored is simply asked for next time.
            Q_EMIT finished(true, result.outcome == TokenStore::Outcome::Ok ? QString() : result.message);
        });
    });
    connect(call, &ApiCall::failed, this, [this, source](const ApiError &error) {
        m_client->setToken({});
        if (source == QLatin1String("environment"))
            return Q_EMIT finished(false, tr("TOLLGATE_ADMIN_TOKEN was refused: %1").arg(error.message));
        if (error.status == 401 || error.status == 403)
            return ask(tr("The gateway refused the token: %1").arg(error.message));
        ask(error.message);
    });
}

void RemoteLogin::ask(const QString &problem)
{
    if (!m_dialog) {
        m_dialog = new ConnectDialog(m_client->baseUrl().toString(), m_keychainAvailable);
        m_dialog->setAttribute(Qt::WA_DeleteOnClose, false);
        connect(m_dialog, &QDialog::accepted, this, [this] {
            m_dialog->setBusy(true);
            m_dialog->show();  // stays up, busy, until the token is checked
            verify(m_dialog->token(), QStringLiteral("dialog"), m_dialog->remember());
        });
        connect(m_dialog, &QDialog::rejected, this, [this] {
            m_dialog->deleteLater();
            Q_EMIT finished(false, tr("No admin token was given."));
        });
    }
    m_dialog->setBusy(false);
    m_dialog->setProblem(problem);
    m_dialog->show();
}

} // namespace tollgate::gui
