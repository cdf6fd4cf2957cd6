#include "gui/keys/KeyForm.h"

#include "gui/widgets/CidrListEdit.h"
#include "gui/widgets/FieldErrors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimeZone>

namespace tollgate::gui {

namespace {
constexpr int MaxName = 200;
constexpr int MaxDescription = 1000;

QString scopeLabel(const QString &group)
{
    if (group == QLatin1String("search"))
        return KeyForm::tr("search");
    if (group == QLatin1String("extract"))
        return KeyForm::tr("extract");
    if (group == QLatin1String("stt"))
        return KeyForm::tr("stt (speech to text)");
    if (group == QLatin1String("tts"))
        return KeyForm::tr("tts (text to speech)");
    return group;
}
} // namespace

const QStringList &KeyForm::endpointGroups()
{
    static const QStringList groups{QStringLiteral("search"), QStringLiteral("extract"), QStringLiteral("stt"), QStringLiteral("tts")};
    return groups;
}

KeyForm::KeyForm(Mode mode, const QList<TierRecord> &tiers, QWidget *parent)
    : QWidget(parent), m_mode(mode), m_tiers(tiers), m_errors(new FieldErrors(this)), m_name(new QLineEdit(this)),
      m_description(new QLineEdit(this)), m_tier(new QComboBox(this)), m_ips(new CidrListEdit(this)),
      m_expires(new QCheckBox(this)), m_expiry(new QDateTimeEdit(this))
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);

    m_name->setObjectName(QStringLiteral("keyName"));
    m_name->setMaxLength(MaxName);
    m_name->setPlaceholderText(tr("e.g. Search bot"));
    addRow(form, tr("&Name:"), m_name, QStringLiteral("name"));
    m_description->setObjectName(QStringLiteral("keyDescription"));
    m_description->setMaxLength(MaxDescription);
    m_description->setPlaceholderText(tr("Optional: what it is for, who to ask"));
    addRow(form, tr("&Description:"), m_description, QStringLiteral("description"));

    if (mode == Mode::Create) {
        m_user = new QLineEdit(this);
        m_user->setObjectName(QStringLiteral("keyUser"));
        m_user->setPlaceholderText(tr("The user id the key belongs to"));
        addRow(form, tr("&User:"), m_user, QStringLiteral("userId"));
        m_errors->alias(QStringLiteral("user"), QStringLiteral("userId"));
    }

    m_tier->setObjectName(QStringLiteral("keyTier"));
    const QLocale locale;
    for (const TierRecord &t : m_tiers) {
        m_tier->addItem(tr("%1 — %2 req/%3 s, %4 credits a month")
                            .arg(t.name, locale.toString(t.rateLimit), locale.toString(t.rateWindowSeconds),
                                 locale.toString(t.monthlyCredits)),
                        t.slug);
    }
    addRow(form, tr("&Tier:"), m_tier, QStringLiteral("tier"));

    if (mode == Mode::Create) {
        m_test = new QCheckBox(tr("Test &key (sk_test_…)"), this);
        m_test->setObjectName(QStringLiteral("keyTest"));
        form->addRow(QString(), m_test);
    } else {
        m_rate = overrideSpin(&m_rateOverride, QStringLiteral("rateLimit"), 1000000000);
        auto *rateRow = new QHBoxLayout;
        rateRow->addWidget(m_rateOverride);
        rateRow->addWidget(m_rate, 1);
        auto *rateWidget = new QWidget(this);
        rateWidget->setLayout(rateRow);
        rateRow->setContentsMargins(0, 0, 0, 0);
        m_rate->setSuffix(tr(" requests"));
        addRow(form, tr("&Rate limit:"), rateWidget, QStringLiteral("rateLimit"));
        m_window = overrideSpin(&m_windowOverride, QStringLiteral("rateWindowSeconds"), 86400 * 31);
        m_window->setSuffix(tr(" s"));
        auto *windowRow = new QHBoxLayout;
        windowRow->setContentsMargins(0, 0, 0, 0);
        windowRow->addWidget(m_windowOverride);
        windowRow->addWidget(m_window, 1);
        auto *windowWidget = new QWidget(this);
        windowWidget->setLayout(windowRow);
        addRow(form, tr("Rate &window:"), windowWidget, QStringLiteral("rateWindowSeconds"));
        m_credits = overrideSpin(&m_creditsOverride, QStringLiteral("monthlyCredits"), 2000000000);
        m_credits->setMinimum(0);
        m_credits->setSuffix(tr(" credits"));
        auto *creditsRow = new QHBoxLayout;
        creditsRow->setContentsMargins(0, 0, 0, 0);
        creditsRow->addWidget(m_creditsOverride);
        creditsRow->addWidget(m_credits, 1);
        auto *creditsWidget = new QWidget(this);
        creditsWidget->setLayout(creditsRow);
        addRow(form, tr("&Monthly credits:"), creditsWidget, QStringLiteral("monthlyCredits"));
    }

    auto *scopes = new QWidget(this);
    scopes->setObjectName(QStringLiteral("keyScopes"));
    auto *scopeRow = new QHBoxLayout(scopes);
    scopeRow->setContentsMargins(0, 0, 0, 0);
    for (const QString &group : endpointGroups()) {
        auto *box = new QCheckBox(scopeLabel(group), scopes);
        box->setObjectName(QStringLiteral("scope_") + group);
        box->setProperty("group", group);
        scopeRow->addWidget(box);
        m_scopes.append(box);
        connect(box, &QCheckBox::toggled, this, [this] {
            m_followTier = checkedScopes() == tier().endpoints;
            validate();
        });
    }
    scopeRow->addStretch(1);
    addRow(form, tr("Sco&pes:"), scopes, QStringLiteral("allowedEndpoints"));

    m_ips->setObjectName(QStringLiteral("keyIps"));
    addRow(form, tr("Allowed &IPs:"), m_ips, QStringLiteral("allowedIps"));
    connect(m_ips, &CidrListEdit::problemChanged, this, [this](const QString &problem) {
        m_errors->setError(QStringLiteral("allowedIps"), problem);
        validate();
    });

    m_expires->setObjectName(QStringLiteral("keyExpires"));
    m_expires->setText(tr("E&xpires at"));
    m_expiry->setObjectName(QStringLiteral("keyExpiry"));
    m_expiry->setTimeSpec(Qt::UTC);
    m_expiry->setCalendarPopup(true);
    m_expiry->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_expiry->setDateTime(QDateTime::currentDateTimeUtc().addDays(90));
    m_expiry->setEnabled(false);
    auto *expiryRow = new QHBoxLayout;
    expiryRow->setContentsMargins(0, 0, 0, 0);
    expiryRow->addWidget(m_expires);
    expiryRow->addWidget(m_expiry, 1);
    auto *utc = new QLabel(tr("UTC"), this);
    expiryRow->addWidget(utc);
    auto *expiryWidget = new QWidget(this);
    expiryWidget->setLayout(expiryRow);
    m_expiry->setAccessibleName(tr("Expiry time (UTC)"));
    addRow(form, tr("Expiry:"), expiryWidget, QStringLiteral("expiresAt"));
    connect(m_expires, &QCheckBox::toggled, m_expiry, &QWidget::setEnabled);
    connect(m_expires, &QCheckBox::toggled, this, &KeyForm::validate);
    connect(m_expiry, &QDateTimeEdit::dateTimeChanged, this, &KeyForm::validate);

    connect(m_name, &QLineEdit::textChanged, this, &KeyForm::validate);
    connect(m_description, &QLineEdit::textChanged, this, &KeyForm::validate);
    if (m_user)
        connect(m_user, &QLineEdit::textChanged, this, &KeyForm::validate);
    connect(m_tier, &QComboBox::currentIndexChanged, this, &KeyForm::onTierChanged);
    m_tier->setCurrentIndex(qMax(0, m_tier->findData(QStringLiteral("free"))));
    onTierChanged();
    validate();
}

QSpinBox *KeyForm::overrideSpin(QCheckBox **check, const QString &name, int maximum)
{
    *check = new QCheckBox(tr("Override"), this);
    (*check)->setObjectName(name + QStringLiteral("Override"));
    auto *spin = new QSpinBox(this);
    spin->setObjectName(name);
    spin->setRange(1, maximum);
    spin->setGroupSeparatorShown(true);
    spin->setEnabled(false);
    connect(*check, &QCheckBox::toggled, spin, &QWidget::setEnabled);
    connect(*check, &QCheckBox::toggled, this, [this, spin](bool on) {
        if (!on)
            onTierChanged();  // back to the tier's value
        validate();
    });
    connect(spin, &QSpinBox::valueChanged, this, &KeyForm::validate);
    return spin;
}

void KeyForm::addRow(QFormLayout *form, const QString &label, QWidget *field, const QString &errorField)
{
    auto *caption = new QLabel(label, this);
    QWidget *buddy = field;
    if (field->focusPolicy() == Qt::NoFocus || field->layout()) {
        // A row of widgets: the mnemonic goes to its first focusable child.
        for (QWidget *child : field->findChildren<QWidget *>()) {
            if (child->focusPolicy() & Qt::TabFocus) {
                buddy = child;
                break;
            }
        }
    }
    caption->setBuddy(buddy);
    QString accessible = label;
    accessible.remove(QLatin1Char('&')).remove(QLatin1Char(':'));
    if (field->accessibleName().isEmpty())
        field->setAccessibleName(accessible);
    form->addRow(caption, field);
    form->addRow(QString(), m_errors->addField(errorField, buddy, this));
}

TierRecord KeyForm::tier() const
{
    const QString slug = m_tier->currentData().toString();
    for (const TierRecord &t : m_tiers) {
        if (t.slug == slug)
            return t;
    }
    return {};
}

QStringList KeyForm::checkedScopes() const
{
    QStringList out;
    for (QCheckBox *box : m_scopes) {
        if (box->isEnabled() && box->isChecked())
            out.append(box->property("group").toString());
    }
    return out;
}

void KeyForm::onTierChanged()
{
    const TierRecord t = tier();
    for (QCheckBox *box : m_scopes) {
        const QString group = box->property("group").toString();
        const bool inTier = t.endpoints.contains(group);
        const QSignalBlocker block(box);
        box->setEnabled(inTier);
        box->setToolTip(inTier ? QString() : tr("Not in the %1 tier").arg(t.name));
        if (!inTier)
            box->setChecked(false);
        else if (m_followTier)
            box->setChecked(true);
    }
    if (m_rate && !m_rateOverride->isChecked())
        m_rate->setValue(qMax(1, t.rateLimit));
    if (m_window && !m_windowOverride->isChecked())
        m_window->setValue(qMax(1, t.rateWindowSeconds));
    if (m_credits && !m_creditsOverride->isChecked())
        m_credits->setValue(int(qMin<qint64>(t.monthlyCredits, m_credits->maximum())));
    m_errors->clear(QStringLiteral("tier"));
    validate();
}

void KeyForm::setKey(const KeyRecord &key)
{
    m_key = key;
    m_name->setText(key.name);
    m_description->setText(key.description);
    {
        const QSignalBlocker block(m_tier);
        m_tier->setCurrentIndex(qMax(0, m_tier->findData(key.tier)));
    }
    const TierRecord t = tier();
    m_followTier = key.allowedEndpoints.isEmpty() || key.allowedEndpoints == t.endpoints;
    if (m_rate) {
        m_rateOverride->setChecked(key.rateLimit != t.rateLimit);
        m_windowOverride->setChecked(key.rateWindowSeconds != t.rateWindowSeconds);
        m_creditsOverride->setChecked(key.monthlyCredits != t.monthlyCredits);
    }
    onTierChanged();
    if (m_rate) {
        m_rate->setValue(qMax(1, key.rateLimit));
        m_window->setValue(qMax(1, key.rateWindowSeconds));
        m_credits->setValue(int(qMin<qint64>(key.monthlyCredits, m_credits->maximum())));
    }
    for (QCheckBox *box : m_scopes) {
        const QSignalBlocker block(box);
        box->setChecked(box->isEnabled() && (m_followTier || key.allowedEndpoints.contains(box->property("group").toString())));
    }
    m_ips->setEntries(key.allowedIps);
    m_expires->setChecked(key.expiresAt.isValid());
    if (key.expiresAt.isValid())
        m_expiry->setDateTime(key.expiresAt);
    m_errors->clearAll();
    validate();
}

void KeyForm::validate()
{
    if (m_name->text().trimmed().isEmpty())
        m_errors->setError(QStringLiteral("name"), tr("A name is required, so the key can be found again."));
    else
        m_errors->clear(QStringLiteral("name"));
    if (m_user) {
        if (m_user->text().trimmed().isEmpty())
            m_errors->setError(QStringLiteral("userId"), tr("Whose key is it? Enter the user id."));
        else
            m_errors->clear(QStringLiteral("userId"));
    }
    m_errors->clear(QStringLiteral("description"));
    if (checkedScopes().isEmpty())
        m_errors->setError(QStringLiteral("allowedEndpoints"), tr("Choose at least one endpoint group."));
    else
        m_errors->clear(QStringLiteral("allowedEndpoints"));
    m_errors->setError(QStringLiteral("allowedIps"), m_ips->problem());
    if (m_expires->isChecked() && m_expiry->dateTime() <= QDateTime::currentDateTimeUtc())
        m_errors->setError(QStringLiteral("expiresAt"), tr("The expiry must be in the future."));
    else
        m_errors->clear(QStringLiteral("expiresAt"));
    for (const char *field : {"rateLimit", "rateWindowSeconds", "monthlyCredits"})
        m_errors->clear(QLatin1String(field));

    const bool valid = !m_errors->hasErrors() && m_tier->count() > 0;
    if (valid != m_valid) {
        m_valid = valid;
        Q_EMIT validityChanged(valid);
    }
}

bool KeyForm::isValid() const
{
    return m_valid;
}

bool KeyForm::showApiError(const ApiError &error)
{
    if (!m_errors->showApiError(error))
        return false;
    if (m_valid) {
        // The gateway's word stands until the field is edited; the dialog's button waits for that.
        m_valid = false;
        Q_EMIT validityChanged(false);
    }
    return true;
}

QJsonObject KeyForm::createBody() const
{
    QJsonObject body{{QStringLiteral("name"), m_name->text().trimmed()},
                     {QStringLiteral("userId"), m_user ? m_user->text().trimmed() : QString()},
                     {QStringLiteral("tier"), m_tier->currentData().toString()}};
    if (!m_description->text().trimmed().isEmpty())
        body.insert(QStringLiteral("description"), m_description->text().trimmed());
    if (m_test && m_test->isChecked())
        body.insert(QStringLiteral("isTest"), true);
    if (m_expires->isChecked())
        body.insert(QStringLiteral("expiresAt"), m_expiry->dateTime().toUTC().toString(Qt::ISODate));
    if (!m_followTier)
        body.insert(QStringLiteral("allowedEndpoints"), QJsonArray::fromStringList(checkedScopes()));
    const QStringList ips = m_ips->entries();
    if (!ips.isEmpty())
        body.insert(QStringLiteral("allowedIps"), QJsonArray::fromStringList(ips));
    return body;
}

QJsonObject KeyForm::patchBody() const
{
    QJsonObject patch;
    const QString name = m_name->text().trimmed();
    if (name != m_key.name)
        patch.insert(QStringLiteral("name"), name);
    const QString description = m_description->text().trimmed();
    if (description != m_key.description)
        patch.insert(QStringLiteral("description"), description);
    const TierRecord t = tier();
    if (t.slug != m_key.tier)
        patch.insert(QStringLiteral("tier"), t.slug);
    auto overrideField = [&](const char *field, QCheckBox *check, QSpinBox *spin, qint64 current, qint64 tierValue) {
        if (!check)
            return;
        if (!check->isChecked()) {
            if (current != tierValue)
                patch.insert(QLatin1String(field), QJsonValue::Null);  // back to the tier's value
        } else if (spin->value() != current || t.slug != m_key.tier) {
            patch.insert(QLatin1String(field), spin->value());
        }
    };
    const TierRecord oldTier = [this] {
        for (const TierRecord &candidate : m_tiers) {
            if (candidate.slug == m_key.tier)
                return candidate;
        }
        return TierRecord{};
    }();
    overrideField("rateLimit", m_rateOverride, m_rate, m_key.rateLimit, oldTier.rateLimit);
    overrideField("rateWindowSeconds", m_windowOverride, m_window, m_key.rateWindowSeconds, oldTier.rateWindowSeconds);
    overrideField("monthlyCredits", m_creditsOverride, m_credits, m_key.monthlyCredits, oldTier.monthlyCredits);
    QStringList scopes = checkedScopes();
    QStringList before = m_key.allowedEndpoints;
    std::sort(scopes.begin(), scopes.end());
    std::sort(before.begin(), before.end());
    if (scopes != before || t.slug != m_key.tier)
        patch.insert(QStringLiteral("allowedEndpoints"), QJsonArray::fromStringList(m_followTier ? QStringList() : checkedScopes()));
    const QStringList ips = m_ips->entries();
    if (ips != m_key.allowedIps)
        patch.insert(QStringLiteral("allowedIps"), QJsonArray::fromStringList(ips));
    const QDateTime expiry = m_expires->isChecked() ? m_expiry->dateTime().toUTC() : QDateTime();
    if (expiry.isValid() != m_key.expiresAt.isValid() || (expiry.isValid() && qAbs(expiry.secsTo(m_key.expiresAt)) >= 60))
        patch.insert(QStringLiteral("expiresAt"), expiry.isValid() ? QJsonValue(expiry.toString(Qt::ISODate)) : QJsonValue::Null);
    return patch;
}

} // namespace tollgate::gui
