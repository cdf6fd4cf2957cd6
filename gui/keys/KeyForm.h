#pragma once

#include "gui/client/ApiError.h"
#include "gui/keys/KeyRecord.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace tollgate::gui {

class CidrListEdit;
class FieldErrors;

// The fields of a key, for New key (name, user, tier, test, expiry, scopes, IPs) and Edit (name, tier, the
// rate/window/credit overrides, scopes, IPs, expiry). Each field is checked as it is typed and says why at the
// field; the gateway's 400 answers are shown at the field they name.
class KeyForm : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Create, Edit };
    static const QStringList &endpointGroups();  // search, extract, stt, tts

    KeyForm(Mode mode, const QList<TierRecord> &tiers, QWidget *parent = nullptr);

    // Edit: the key as it is now; the patch holds only what changed from it.
    void setKey(const KeyRecord &key);
    QJsonObject createBody() const;
    QJsonObject patchBody() const;

    bool isValid() const;
    // A 400 naming a field: shown there; true. Otherwise false (the dialog shows it).
    bool showApiError(const ApiError &error);
    FieldErrors *errors() const { return m_errors; }

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    TierRecord tier() const;
    QStringList checkedScopes() const;
    void onTierChanged();
    void validate();
    void addRow(QFormLayout *form, const QString &label, QWidget *field, const QString &errorField);
    QSpinBox *overrideSpin(QCheckBox **check, const QString &name, int maximum);

    Mode m_mode;
    QList<TierRecord> m_tiers;
    KeyRecord m_key;
    FieldErrors *m_errors;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QLineEdit *m_user = nullptr;
    QComboBox *m_tier;
    QCheckBox *m_test = nullptr;
    QCheckBox *m_rateOverride = nullptr;
    QSpinBox *m_rate = nullptr;
    QCheckBox *m_windowOverride = nullptr;
    QSpinBox *m_window = nullptr;
    QCheckBox *m_creditsOverride = nullptr;
    QSpinBox *m_credits = nullptr;
    QList<QCheckBox *> m_scopes;
    CidrListEdit *m_ips;
    QCheckBox *m_expires;
    QDateTimeEdit *m_expiry;
    bool m_valid = false;
    bool m_followTier = true;  // every endpoint of the tier is allowed: keep it so when the tier changes
};

} // namespace tollgate::gui
