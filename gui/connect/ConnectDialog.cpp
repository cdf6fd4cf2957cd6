#include "gui/connect/ConnectDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tollgate::gui {

ConnectDialog::ConnectDialog(const QString &serverUrl, bool keychainAvailable, QWidget *parent)
    : QDialog(parent), m_problem(new QLabel(this)), m_server(new QLineEdit(serverUrl, this)), m_token(new QLineEdit(this)),
      m_remember(new QCheckBox(this)), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to a gateway"));
    m_problem->setObjectName(QStringLiteral("connectProblem"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    m_server->setReadOnly(true);
    m_token->setObjectName(QStringLiteral("tokenField"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(QStringLiteral("tga_…"));  // untranslated: the admin tokens' own prefix
    m_token->setAccessibleName(tr("Admin token"));
    m_remember->setObjectName(QStringLiteral("rememberToken"));
    m_remember->setText(tr("&Remember in the keychain"));
    m_remember->setChecked(keychainAvailable);
    m_remember->setEnabled(keychainAvailable);
    if (!keychainAvailable)
        m_remember->setToolTip(tr("No keychain (Secret Service) is running: the token is kept for this session only."));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("Admin &token:"), m_token);
    form->addRow(QString(), m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_problem);
    layout->addLayout(form);
    if (!keychainAvailable) {
        auto *why = new QLabel(m_remember->toolTip(), this);
        why->setWordWrap(true);
        layout->addWidget(why);
    }
    layout->addWidget(m_buttons);
    connect(m_token, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(520, sizeHint().height());
}

QByteArray ConnectDialog::token() const
{
    return m_token->text().trimmed().toUtf8();
}

bool ConnectDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

void ConnectDialog::setProblem(const QString &message)
{
    m_problem->setText(message);
    m_problem->setVisible(!message.isEmpty());
}

void ConnectDialog::setBusy(bool busy)
{
    m_token->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy && !m_token->text().trimmed().isEmpty());
}

} // namespace tollgate::gui
