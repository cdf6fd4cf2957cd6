#include "gui/settings/SettingsView.h"

#include "gui/ConsoleContext.h"
#include "gui/secrets/TokenStore.h"
#include "gui/settings/Language.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace tollgate::gui {

SettingsView::SettingsView(ConsoleContext &context, QWidget *parent)
    : ConsoleView(context, parent), m_languageLabel(new QLabel(this)), m_language(new QComboBox(this)),
      m_serversLabel(new QLabel(this)), m_servers(new QListWidget(this)), m_forget(new QPushButton(this)),
      m_note(new QLabel(this))
{
    setObjectName(QStringLiteral("settingsView"));
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_servers->setObjectName(QStringLiteral("knownServers"));
    m_forget->setObjectName(QStringLiteral("forgetToken"));
    m_note->setWordWrap(true);
    for (const QString &code : Language::available())
        m_language->addItem(Language::nativeName(code), code);
    m_languageLabel->setBuddy(m_language);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(m_languageLabel, m_language);
    m_servers->setMaximumWidth(720);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(12);
    layout->addWidget(m_serversLabel);
    layout->addWidget(m_servers, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_forget);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(m_note);

    if (context.language)
        m_language->setCurrentIndex(qMax(0, m_language->findData(context.language->current())));
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        if (this->context().language)
            this->context().language->apply(m_language->currentData().toString());
    });
    connect(m_servers, &QListWidget::currentRowChanged, this, [this](int row) { m_forget->setEnabled(row >= 0); });
    connect(m_forget, &QPushButton::clicked, this, &SettingsView::forgetSelected);
    retranslate();
    refresh();
}

QIcon SettingsView::icon() const
{
    return QIcon(QStringLiteral(":/icons/settings.svg"));
}

void SettingsView::refresh()
{
    m_servers->clear();
    if (context().tokens)
        m_servers->addItems(context().tokens->knownServers());
    m_forget->setEnabled(m_servers->currentRow() >= 0);
}

void SettingsView::forgetSelected()
{
    QListWidgetItem *item = m_servers->currentItem();
    if (!item || !context().tokens)
        return;
    const QString server = item->text();
    m_forget->setEnabled(false);
    context().tokens->forget(server, [this, server](const TokenStore::Result &result) {
        if (result.outcome == TokenStore::Outcome::Ok)
            m_note->setText(tr("The token for %1 was removed from the keychain.").arg(server));
        else
            Q_EMIT problem(tr("The token for %1 could not be removed: %2").arg(server, result.message));
        refresh();
    });
}

void SettingsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    ConsoleView::changeEvent(event);
}

void SettingsView::retranslate()
{
    m_languageLabel->setText(tr("&Language:"));
    m_serversLabel->setText(tr("Servers with an admin token in the keychain:"));
    m_forget->setText(tr("&Forget token"));
    m_servers->setAccessibleName(tr("Known servers"));
}

} // namespace tollgate::gui
