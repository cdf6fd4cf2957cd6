#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace tollgate::gui {

// Asks once for a remote gateway's admin token: the server URL (read-only, from --connect), the token in a
// masked field, and "Remember in the keychain" — off and disabled, saying why, where no Secret Service runs.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectDialog(const QString &serverUrl, bool keychainAvailable, QWidget *parent = nullptr);

    QByteArray token() const;
    bool remember() const;
    // The last attempt's problem ("The gateway refused the token."), shown above the fields.
    void setProblem(const QString &message);
    void setBusy(bool busy);

private:
    QLabel *m_problem;
    QLineEdit *m_server;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QDialogButtonBox *m_buttons;
};

} // namespace tollgate::gui
