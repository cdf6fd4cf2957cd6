#pragma once

#include "gui/client/ApiError.h"
#include "gui/keys/KeyRecord.h"

#include <QDialog>
#include <QPointer>
#include "gui/client/ApiCall.h"
#include <functional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace tollgate::gui {

class AdminClient;
class ApiCall;
class FieldErrors;
class KeyForm;

// A dialog that does one admin API call when its main button is pressed: the button waits while the call is
// out, a 400 that names a field is shown at the field, anything else in the dialog's own line — never a
// second dialog. Cancel aborts a call in flight.
class KeyApiDialog : public QDialog
{
    Q_OBJECT

public:
    KeyApiDialog(AdminClient *client, QWidget *parent);
    ~KeyApiDialog() override;
    QPushButton *acceptButton() const { return m_accept; }
    QString errorText() const;
    bool isBusy() const { return m_call != nullptr; }
    void setAcceptEnabled(bool enabled);

protected:
    void setContent(QWidget *content);
    void setAcceptText(const QString &text, const QString &busyText);
    using FieldHandler = std::function<bool(const ApiError &)>;
    void send(ApiCall *call, std::function<void(const QJsonValue &)> onSuccess, FieldHandler fields = {});
    void setError(const QString &message);
    AdminClient *client() const { return m_client; }
    virtual void submit() = 0;

private:
    AdminClient *m_client;
    QVBoxLayout *m_layout;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QPushButton *m_accept;
    QPointer<ApiCall> m_call;
    QString m_acceptText;
    QString m_busyText;
    bool m_enabled = true;
};

// New key (Ctrl+N): POST /admin/api-keys; created() carries the raw key for the shown-once dialog only.
class CreateKeyDialog : public KeyApiDialog
{
    Q_OBJECT
public:
    CreateKeyDialog(AdminClient *client, const QList<TierRecord> &tiers, QWidget *parent);
    KeyForm *form() const { return m_form; }
Q_SIGNALS:
    void created(const QString &rawKey, const tollgate::gui::KeyRecord &key);
protected:
    void submit() override;
private:
    KeyForm *m_form;
};

// Edit: PATCH /admin/api-keys/{id} with only what changed.
class EditKeyDialog : public KeyApiDialog
{
    Q_OBJECT
public:
    EditKeyDialog(AdminClient *client, const QList<TierRecord> &tiers, const KeyRecord &key, QWidget *parent);
    KeyForm *form() const { return m_form; }
Q_SIGNALS:
    void saved(const tollgate::gui::KeyRecord &key);
protected:
    void submit() override;
private:
    KeyForm *m_form;
    KeyRecord m_key;
};

// Regenerate…: a new secret; the old one keeps working for the chosen grace period.
class RegenerateKeyDialog : public KeyApiDialog
{
    Q_OBJECT
public:
    RegenerateKeyDialog(AdminClient *client, const KeyRecord &key, QWidget *parent);
Q_SIGNALS:
    void regenerated(const QString &rawKey, const tollgate::gui::KeyRecord &key);
protected:
    void submit() override;
private:
    KeyRecord m_key;
    QComboBox *m_grace;
    FieldErrors *m_errors;
};

// Grant credits…: PATCH {grantCredits}; the answer's balance goes back to the detail pane.
class GrantCreditsDialog : public KeyApiDialog
{
    Q_OBJECT
public:
    GrantCreditsDialog(AdminClient *client, const KeyRecord &key, QWidget *parent);
Q_SIGNALS:
    void granted(qint64 credits, const tollgate::gui::KeyRecord &key);
protected:
    void submit() override;
private:
    KeyRecord m_key;
    QSpinBox *m_credits;
    FieldErrors *m_errors;
};

} // namespace tollgate::gui
