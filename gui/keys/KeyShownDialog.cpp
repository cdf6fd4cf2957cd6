#include "gui/keys/KeyShownDialog.h"

#include "gui/widgets/SecretClipboard.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace tollgate::gui {

KeyShownDialog::KeyShownDialog(const QString &rawKey, const QString &keyName, Reason reason, QWidget *parent)
    : QDialog(parent), m_key(new QLineEdit(this)), m_copy(new QPushButton(this)), m_copied(new QLabel(this)),
      m_stored(new QCheckBox(this)), m_close(new QPushButton(this))
{
    setObjectName(QStringLiteral("keyShownDialog"));
    setWindowTitle(reason == Reason::Created ? tr("Key created") : tr("Key regenerated"));
    // No context help; the close button stays but is refused until the key is stored.
    setWindowFlag(Qt::WindowContextHelpButtonHint, false);

    auto *headline = new QLabel(this);
    headline->setObjectName(QStringLiteral("keyShownHeadline"));
    headline->setWordWrap(true);
    headline->setTextFormat(Qt::PlainText);
    headline->setText(tr("This is the only time the key is shown."));
    QFont bold = headline->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    headline->setFont(bold);

    auto *which = new QLabel(this);
    which->setWordWrap(true);
    which->setTextFormat(Qt::PlainText);
    which->setText(reason == Reason::Created ? tr("The new key “%1”:").arg(keyName) : tr("The new secret of “%1”:").arg(keyName));

    m_key->setObjectName(QStringLiteral("rawKey"));
    m_key->setReadOnly(true);
    m_key->setText(rawKey);
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_key->setMinimumWidth(m_key->fontMetrics().horizontalAdvance(rawKey) + 24);
    m_key->setAccessibleName(tr("The key"));
    m_key->setContextMenuPolicy(Qt::NoContextMenu);  // copying goes through Copy, which clears the clipboard later
    m_copy->setObjectName(QStringLiteral("copyKey"));
    m_copy->setText(tr("&Copy"));
    m_copy->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));
    connect(m_copy, &QPushButton::clicked, this, &KeyShownDialog::copy);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_copy);

    m_copied->setObjectName(QStringLiteral("copiedNote"));
    m_copied->setWordWrap(true);
    m_copied->setVisible(false);

    auto *warning = new QLabel(this);
    warning->setObjectName(QStringLiteral("keyShownWarning"));
    warning->setWordWrap(true);
    warning->setTextFormat(Qt::PlainText);
    warning->setText(tr("Store it now, in a password manager or your deployment's secret store. The gateway keeps only a "
                        "hash of it: a lost key cannot be shown again, only regenerated."));
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    icon->setAlignment(Qt::AlignTop);
    auto *warningRow = new QHBoxLayout;
    warningRow->addWidget(icon);
    warningRow->addWidget(warning, 1);

    m_stored->setObjectName(QStringLiteral("keyStored"));
    m_stored->setText(tr("I have &stored the key"));
    m_close->setObjectName(QStringLiteral("closeKeyShown"));
    m_close->setText(tr("C&lose"));
    m_close->setEnabled(false);
    m_close->setAutoDefault(false);
    m_copy->setAutoDefault(false);
    connect(m_stored, &QCheckBox::toggled, m_close, &QWidget::setEnabled);
    connect(m_stored, &QCheckBox::toggled, this, [this](bool on) { m_close->setDefault(on); });
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_stored);
    buttons->addStretch(1);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(headline);
    layout->addWidget(which);
    layout->addLayout(keyRow);
    layout->addWidget(m_copied);
    layout->addSpacing(6);
    layout->addLayout(warningRow);
    layout->addSpacing(6);
    layout->addLayout(buttons);
    m_key->setFocus();
    m_key->selectAll();
}

KeyShownDialog::~KeyShownDialog()
{
    m_key->clear();
}

void KeyShownDialog::copy()
{
    SecretClipboard *clipboard = SecretClipboard::instance();
    clipboard->copy(m_key->text());
    m_copied->setText(tr("Copied. The clipboard is cleared in %n s if it still holds the key.", nullptr,
                         clipboard->clearAfterMs() / 1000));
    m_copied->setVisible(true);
}

void KeyShownDialog::reject()
{
    // Esc, the window's close button: not before the key is stored.
    if (!m_stored->isChecked()) {
        m_stored->setFocus();
        return;
    }
    QDialog::reject();
}

void KeyShownDialog::done(int result)
{
    if (!m_stored->isChecked())
        return;
    m_key->clear();
    QDialog::done(result);
}

void KeyShownDialog::closeEvent(QCloseEvent *event)
{
    if (!m_stored->isChecked()) {
        event->ignore();
        m_stored->setFocus();
        return;
    }
    QDialog::closeEvent(event);
}

void KeyShownDialog::keyPressEvent(QKeyEvent *event)
{
    // Enter in the key field must not close the dialog past the checkbox.
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && !m_stored->isChecked()) {
        event->accept();
        return;
    }
    QDialog::keyPressEvent(event);
}

} // namespace tollgate::gui
