#pragma once

#include "gui/client/ApiCall.h"

#include <QComboBox>
#include <QPointer>
#include <QTimer>

class QJsonArray;

namespace tollgate::gui {

class AdminClient;

// [All keys ▾ / one key]: an editable combo that searches GET /admin/api-keys?q= as the admin types (name, id,
// user or the last 4 characters), debounced, and offers the matches in a popup that leaves the typing alone.
// A key is chosen only by picking it (click, or Enter on an exact match); typing alone changes nothing.
class KeyPicker : public QComboBox
{
    Q_OBJECT

public:
    explicit KeyPicker(AdminClient *client, QWidget *parent = nullptr);

    // Empty: all keys.
    QString keyId() const { return m_keyId; }
    // Choose a key (or "" for all) as if picked; emits keyChanged when it differs.
    void selectKey(const QString &id, const QString &label = {});
    // Fetch the matches for the current text now (the first keys when it is empty).
    void search();
    void retranslate();

    static constexpr int SearchLimit = 20;
    static constexpr int DebounceMs = 250;

Q_SIGNALS:
    void keyChanged(const QString &keyId);
    void searchFailed(const QString &message);

private:
    void onActivated(int index);
    void onTextEdited(const QString &text);
    void fill(const QJsonArray &keys);
    QString searchText() const;

    AdminClient *m_client;
    QTimer m_debounce;
    QPointer<ApiCall> m_call;
    QString m_keyId;
    QString m_keyLabel;
};

} // namespace tollgate::gui
