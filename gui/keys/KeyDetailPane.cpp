#include "gui/keys/KeyDetailPane.h"

#include "gui/widgets/ToneColors.h"
#include "gui/keys/KeyUsageChart.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace tollgate::gui {

KeyDetailPane::KeyDetailPane(AdminClient *client, QWidget *parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_placeholder(new QLabel(this)), m_title(new QLabel(this)),
      m_notice(new QLabel(this)), m_chart(new KeyUsageChart(client, this)), m_edit(new QPushButton(this)),
      m_grant(new QPushButton(this)), m_regenerate(new QPushButton(this)), m_revoke(new QPushButton(this)),
      m_fields(new QWidget(this))
{
    setObjectName(QStringLiteral("keyDetail"));
    m_placeholder->setObjectName(QStringLiteral("detailPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setObjectName(QStringLiteral("detailNotice"));
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);

    auto *grid = new QGridLayout(m_fields);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(3);
    const QList<QString> left{QStringLiteral("id"), QStringLiteral("user"), QStringLiteral("tier"), QStringLiteral("key"),
                              QStringLiteral("status"), QStringLiteral("rate"), QStringLiteral("credits")};
    const QList<QString> right{QStringLiteral("scopes"), QStringLiteral("ips"), QStringLiteral("created"),
                               QStringLiteral("lastUsed"), QStringLiteral("expires"), QStringLiteral("description")};
    for (int i = 0; i < left.size(); ++i)
        addField(left[i], 0, i);
    for (int i = 0; i < right.size(); ++i)
        addField(right[i], 2, i);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setRowStretch(int(left.size()), 1);

    for (auto [button, name] : {std::pair{m_edit, "editKey"}, std::pair{m_grant, "grantCredits"},
                                std::pair{m_regenerate, "regenerateKey"}, std::pair{m_revoke, "revokeKey"}})
        button->setObjectName(QLatin1String(name));
    connect(m_edit, &QPushButton::clicked, this, &KeyDetailPane::editRequested);
    connect(m_grant, &QPushButton::clicked, this, &KeyDetailPane::grantRequested);
    connect(m_regenerate, &QPushButton::clicked, this, &KeyDetailPane::regenerateRequested);
    connect(m_revoke, &QPushButton::clicked, this, &KeyDetailPane::revokeRequested);
    // The title and what can be done to the key on one line, the way the sketch has it.
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_title, 1);
    for (QPushButton *button : {m_edit, m_grant, m_regenerate, m_revoke})
        buttons->addWidget(button);

    auto *body = new QHBoxLayout;
    body->addWidget(m_fields, 3);
    body->addWidget(m_chart, 2);
    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(6, 4, 6, 4);
    pageLayout->addLayout(buttons);
    pageLayout->addWidget(m_notice);
    pageLayout->addLayout(body, 1);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(page);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    retranslate();
    showNothing(0);
}

QLabel *KeyDetailPane::addField(const QString &name, int column, int row)
{
    auto *grid = static_cast<QGridLayout *>(m_fields->layout());
    auto *caption = new QLabel(m_fields);
    auto *value = new QLabel(m_fields);
    value->setObjectName(QStringLiteral("detail_") + name);
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    caption->setAlignment(Qt::AlignRight | Qt::AlignTop);
    QPalette palette = caption->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::Disabled, QPalette::WindowText));
    caption->setPalette(palette);
    grid->addWidget(caption, row, column);
    grid->addWidget(value, row, column + 1);
    m_values.insert(name, value);
    m_captions.insert(name, caption);
    m_order.append(name);
    return value;
}

QString KeyDetailPane::field(const QString &name) const
{
    const QLabel *label = m_values.value(name);
    return label ? label->text() : QString();
}

void KeyDetailPane::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString KeyDetailPane::notice() const
{
    return m_notice->text();
}

void KeyDetailPane::focusActions()
{
    if (hasKey())
        m_edit->setFocus(Qt::OtherFocusReason);
}

void KeyDetailPane::showNothing(int selected)
{
    m_key = KeyRecord();
    m_placeholder->setText(selected > 1 ? tr("%n keys selected. Revoke them or change their tier with the buttons above.", nullptr, selected)
                                        : tr("Select a key to see its details and usage."));
    m_stack->setCurrentWidget(m_placeholder);
    m_chart->showKey({});
    setNotice({});
}

void KeyDetailPane::showKey(const KeyRecord &key)
{
    if (key.id != m_key.id)
        setNotice({});
    m_key = key;
    const QLocale locale;
    m_title->setText(key.name);
    m_values[QStringLiteral("id")]->setText(key.id);
    m_values[QStringLiteral("user")]->setText(key.userId);
    m_values[QStringLiteral("tier")]->setText(key.tier);
    m_values[QStringLiteral("key")]->setText(key.isTest ? tr("%1 (test key)").arg(key.maskedKey) : key.maskedKey);
    QString status;
    switch (key.status) {
    case KeyRecord::Status::Active: status = tr("● Active"); break;
    case KeyRecord::Status::Revoked: status = tr("● Revoked"); break;
    case KeyRecord::Status::Expired: status = tr("● Expired"); break;
    case KeyRecord::Status::Unknown: status = tr("Unknown"); break;
    }
    QLabel *statusLabel = m_values[QStringLiteral("status")];
    statusLabel->setText(status);
    QPalette palette = m_values[QStringLiteral("id")]->palette();
    if (key.status == KeyRecord::Status::Active)
        palette.setColor(QPalette::WindowText, toneColor(Tone::Success, palette));
    else if (key.status == KeyRecord::Status::Revoked)
        palette.setColor(QPalette::WindowText, toneColor(Tone::Error, palette));
    else if (key.status == KeyRecord::Status::Expired)
        palette.setColor(QPalette::WindowText, toneColor(Tone::Warning, palette));
    statusLabel->setPalette(palette);
    m_values[QStringLiteral("rate")]->setText(tr("%1 requests per %2 s").arg(locale.toString(key.rateLimit), locale.toString(key.rateWindowSeconds)));
    m_values[QStringLiteral("credits")]->setText(tr("%1 used, %2 remaining this UTC month (%3 a month)")
                                                    .arg(locale.toString(key.creditsUsed), locale.toString(key.creditsRemaining),
                                                         locale.toString(key.monthlyCredits)));
    m_values[QStringLiteral("scopes")]->setText(key.allowedEndpoints.isEmpty() ? tr("none") : key.allowedEndpoints.join(QStringLiteral(", ")));
    m_values[QStringLiteral("ips")]->setText(key.allowedIps.isEmpty() ? tr("any") : key.allowedIps.join(QStringLiteral(", ")));
    m_values[QStringLiteral("created")]->setText(keytime::dateTimeUtc(key.createdAt));
    m_values[QStringLiteral("lastUsed")]->setText(key.lastUsedAt.isValid()
                                                     ? tr("%1 (%2)").arg(keytime::dateTimeUtc(key.lastUsedAt),
                                                                         keytime::relative(key.lastUsedAt, QDateTime::currentDateTimeUtc()))
                                                     : tr("never"));
    m_values[QStringLiteral("expires")]->setText(key.expiresAt.isValid() ? keytime::dateTimeUtc(key.expiresAt) : tr("never"));
    m_values[QStringLiteral("description")]->setText(key.description.isEmpty() ? tr("—") : key.description);
    const bool active = key.status == KeyRecord::Status::Active;
    m_revoke->setEnabled(key.status != KeyRecord::Status::Revoked);
    m_regenerate->setEnabled(key.status != KeyRecord::Status::Revoked);
    m_grant->setEnabled(active);
    m_edit->setEnabled(key.status != KeyRecord::Status::Revoked);
    m_stack->setCurrentIndex(1);
    m_chart->showKey(key.id);
}

void KeyDetailPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        if (hasKey())
            showKey(m_key);
    }
    QWidget::changeEvent(event);
}

void KeyDetailPane::retranslate()
{
    const QHash<QString, QString> captions{
        {QStringLiteral("id"), tr("ID")},          {QStringLiteral("user"), tr("User")},
        {QStringLiteral("tier"), tr("Tier")},      {QStringLiteral("key"), tr("Key")},
        {QStringLiteral("status"), tr("Status")},  {QStringLiteral("rate"), tr("Rate limit")},
        {QStringLiteral("credits"), tr("Credits")}, {QStringLiteral("scopes"), tr("Scopes")},
        {QStringLiteral("ips"), tr("Allowed IPs")}, {QStringLiteral("created"), tr("Created")},
        {QStringLiteral("lastUsed"), tr("Last used")}, {QStringLiteral("expires"), tr("Expires")},
        {QStringLiteral("description"), tr("Description")},
    };
    for (auto it = captions.constBegin(); it != captions.constEnd(); ++it) {
        m_captions[it.key()]->setText(tr("%1:").arg(it.value()));
        m_values[it.key()]->setAccessibleName(it.value());
    }
    m_edit->setText(tr("E&dit…"));
    m_grant->setText(tr("&Grant credits…"));
    m_regenerate->setText(tr("&Regenerate…"));
    m_revoke->setText(tr("Re&voke…"));
    m_edit->setToolTip(tr("Tier, limits, scopes, allowed IPs, expiry"));
}

} // namespace tollgate::gui
