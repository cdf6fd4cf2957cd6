#include "gui/keys/KeyDialogs.h"

#include "gui/widgets/ToneColors.h"
#include "gui/client/AdminClient.h"
#include "gui/client/ApiCall.h"
#include "gui/keys/KeyForm.h"
#include "gui/widgets/FieldErrors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tollgate::gui {

KeyApiDialog::KeyApiDialog(AdminClient *client, QWidget *parent)
    : QDialog(parent), m_client(client), m_layout(new QVBoxLayout(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowFlag(Qt::WindowContextHelpButtonHint, false);
    m_error->setObjectName(QStringLiteral("dialogError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, toneColor(Tone::Error, palette));
    m_error->setPalette(palette);
    m_error->setVisible(false);
    m_accept = m_buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_accept->setObjectName(QStringLiteral("acceptButton"));
    m_accept->setDefault(true);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_call)
            submit();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_layout->addWidget(m_error);
    m_layout->addWidget(m_buttons);
}

KeyApiDialog::~KeyApiDialog()
{
    if (m_call)
        m_call->abort();
}

QString KeyApiDialog::errorText() const
{
    return m_error->text();
}

void KeyApiDialog::setContent(QWidget *content)
{
    m_layout->insertWidget(0, content, 1);
}

void KeyApiDialog::setAcceptText(const QString &text, const QString &busyText)
{
    m_acceptText = text;
    m_busyText = busyText;
    m_accept->setText(text);
}

void KeyApiDialog::setAcceptEnabled(bool enabled)
{
    m_enabled = enabled;
    m_accept->setEnabled(enabled && !m_call);
}

void KeyApiDialog::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void KeyApiDialog::send(ApiCall *call, std::function<void(const QJsonValue &)> onSuccess, FieldHandler fields)
{
    m_call = call;
    setError({});
    m_accept->setEnabled(false);
    m_accept->setText(m_busyText);
    connect(call, &ApiCall::succeeded, this, [this, onSuccess](const QJsonValue &data) {
        m_call = nullptr;
        m_accept->setText(m_acceptText);
        m_accept->setEnabled(m_enabled);
        onSuccess(data);
    });
    connect(call, &ApiCall::failed, this, [this, fields](const ApiError &error) {
        m_call = nullptr;
        m_accept->setText(m_acceptText);
        m_accept->setEnabled(m_enabled);
        if (error.isAborted())
            return;
        if (fields && fields(error))
            return;
        setError(error.message);
    });
}

// ---- New key

CreateKeyDialog::CreateKeyDialog(AdminClient *client, const QList<TierRecord> &tiers, QWidget *parent)
    : KeyApiDialog(client, parent), m_form(new KeyForm(KeyForm::Mode::Create, tiers, this))
{
    setObjectName(QStringLiteral("createKeyDialog"));
    setWindowTitle(tr("New key"));
    setContent(m_form);
    setAcceptText(tr("C&reate"), tr("Creating…"));
    connect(m_form, &KeyForm::validityChanged, this, &KeyApiDialog::setAcceptEnabled);
    setAcceptEnabled(m_form->isValid());
    resize(qMax(sizeHint().width(), 560), sizeHint().height());
}

void CreateKeyDialog::submit()
{
    if (!m_form->isValid())
        return;
    send(client()->post(QStringLiteral("/admin/api-keys"), m_form->createBody()),
         [this](const QJsonValue &data) {
             const QJsonObject created = data.toObject();
             const KeyRecord key = KeyRecord::fromJson(created.value(QStringLiteral("apiKey")).toObject());
             Q_EMIT this->created(created.value(QStringLiteral("key")).toString(), key);
             accept();
         },
         [this](const ApiError &error) { return m_form->showApiError(error); });
}

// ---- Edit

EditKeyDialog::EditKeyDialog(AdminClient *client, const QList<TierRecord> &tiers, const KeyRecord &key, QWidget *parent)
    : KeyApiDialog(client, parent), m_form(new KeyForm(KeyForm::Mode::Edit, tiers, this)), m_key(key)
{
    setObjectName(QStringLiteral("editKeyDialog"));
    setWindowTitle(tr("Edit “%1”").arg(key.name));
    setContent(m_form);
    m_form->setKey(key);
    setAcceptText(tr("&Save"), tr("Saving…"));
    connect(m_form, &KeyForm::validityChanged, this, &KeyApiDialog::setAcceptEnabled);
    setAcceptEnabled(m_form->isValid());
    resize(qMax(sizeHint().width(), 600), sizeHint().height());
}

void EditKeyDialog::submit()
{
    if (!m_form->isValid())
        return;
    const QJsonObject patch = m_form->patchBody();
    if (patch.isEmpty()) {
        accept();
        return;
    }
    send(client()->patch(QStringLiteral("/admin/api-keys/") + AdminClient::segment(m_key.id), patch),
         [this](const QJsonValue &data) {
             Q_EMIT saved(KeyRecord::fromJson(data.toObject()));
             accept();
         },
         [this](const ApiError &error) { return m_form->showApiError(error); });
}

// ---- Regenerate

RegenerateKeyDialog::RegenerateKeyDialog(AdminClient *client, const KeyRecord &key, QWidget *parent)
    : KeyApiDialog(client, parent), m_key(key), m_grace(new QComboBox(this)), m_errors(new FieldErrors(this))
{
    setObjectName(QStringLiteral("regenerateKeyDialog"));
    setWindowTitle(tr("Regenerate “%1”").arg(key.name));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *text = new QLabel(content);
    text->setWordWrap(true);
    text->setTextFormat(Qt::PlainText);
    text->setText(tr("A new secret replaces %1. The new key is shown once. Clients still using the old one keep working "
                     "for the grace period, then are refused.")
                      .arg(key.maskedKey));
    layout->addWidget(text);
    m_grace->setObjectName(QStringLiteral("graceCombo"));
    m_grace->addItem(tr("None — the old key stops now"), 0);
    m_grace->addItem(tr("1 hour"), 3600);
    m_grace->addItem(tr("24 hours"), 86400);
    m_grace->addItem(tr("7 days"), 7 * 86400);
    m_grace->setCurrentIndex(1);
    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Grace period:"), content);
    label->setBuddy(m_grace);
    m_grace->setAccessibleName(tr("Grace period"));
    form->addRow(label, m_grace);
    form->addRow(QString(), m_errors->addField(QStringLiteral("graceSeconds"), m_grace, content));
    layout->addLayout(form);
    setContent(content);
    setAcceptText(tr("&Regenerate"), tr("Regenerating…"));
}

void RegenerateKeyDialog::submit()
{
    const QJsonObject body{{QStringLiteral("graceSeconds"), m_grace->currentData().toInt()}};
    send(client()->post(QStringLiteral("/admin/api-keys/") + AdminClient::segment(m_key.id) + QStringLiteral("/regenerate"), body),
         [this](const QJsonValue &data) {
             const QJsonObject created = data.toObject();
             Q_EMIT regenerated(created.value(QStringLiteral("key")).toString(),
                                KeyRecord::fromJson(created.value(QStringLiteral("apiKey")).toObject()));
             accept();
         },
         [this](const ApiError &error) { return m_errors->showApiError(error); });
}

// ---- Grant credits

GrantCreditsDialog::GrantCreditsDialog(AdminClient *client, const KeyRecord &key, QWidget *parent)
    : KeyApiDialog(client, parent), m_key(key), m_credits(new QSpinBox(this)), m_errors(new FieldErrors(this))
{
    setObjectName(QStringLiteral("grantCreditsDialog"));
    setWindowTitle(tr("Grant credits to “%1”").arg(key.name));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    const QLocale locale;
    auto *text = new QLabel(content);
    text->setWordWrap(true);
    text->setText(tr("Credits are added to this period (the UTC month) only. Now: %1 used, %2 remaining.")
                      .arg(locale.toString(key.creditsUsed), locale.toString(key.creditsRemaining)));
    layout->addWidget(text);
    m_credits->setObjectName(QStringLiteral("grantSpin"));
    m_credits->setRange(1, 1000000000);
    m_credits->setValue(1000);
    m_credits->setGroupSeparatorShown(true);
    m_credits->setSuffix(tr(" credits"));
    m_credits->setAccessibleName(tr("Credits to grant"));
    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Credits:"), content);
    label->setBuddy(m_credits);
    form->addRow(label, m_credits);
    form->addRow(QString(), m_errors->addField(QStringLiteral("grantCredits"), m_credits, content));
    m_errors->alias(QStringLiteral("credits"), QStringLiteral("grantCredits"));
    layout->addLayout(form);
    setContent(content);
    setAcceptText(tr("&Grant"), tr("Granting…"));
    connect(m_credits, &QSpinBox::valueChanged, this, [this] { m_errors->clearAll(); });
}

void GrantCreditsDialog::submit()
{
    const qint64 credits = m_credits->value();
    send(client()->patch(QStringLiteral("/admin/api-keys/") + AdminClient::segment(m_key.id),
                         QJsonObject{{QStringLiteral("grantCredits"), credits}}),
         [this, credits](const QJsonValue &data) {
             Q_EMIT granted(credits, KeyRecord::fromJson(data.toObject()));
             accept();
         },
         [this](const ApiError &error) { return m_errors->showApiError(error); });
}

} // namespace tollgate::gui
