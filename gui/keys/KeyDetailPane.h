#pragma once

#include "gui/keys/KeyRecord.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace tollgate::gui {

class AdminClient;
class KeyUsageChart;

// The selected key under the table: every field, its 30-day usage, and what can be done to it.
class KeyDetailPane : public QWidget
{
    Q_OBJECT

public:
    explicit KeyDetailPane(AdminClient *client, QWidget *parent = nullptr);

    void showKey(const KeyRecord &key);
    void showNothing(int selected);  // 0: "select a key", more: "n keys selected"
    bool hasKey() const { return !m_key.id.isEmpty(); }
    KeyRecord key() const { return m_key; }
    void setNotice(const QString &text);
    QString notice() const;
    QString field(const QString &name) const;  // the shown value of a field, for tests
    KeyUsageChart *chart() const { return m_chart; }
    void focusActions();

Q_SIGNALS:
    void editRequested();
    void grantRequested();
    void regenerateRequested();
    void revokeRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    QLabel *addField(const QString &name, int column, int row);

    KeyRecord m_key;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_title;
    QLabel *m_notice;
    QHash<QString, QLabel *> m_values;
    QHash<QString, QLabel *> m_captions;
    QList<QString> m_order;
    KeyUsageChart *m_chart;
    QPushButton *m_edit;
    QPushButton *m_grant;
    QPushButton *m_regenerate;
    QPushButton *m_revoke;
    QWidget *m_fields;
};

} // namespace tollgate::gui
