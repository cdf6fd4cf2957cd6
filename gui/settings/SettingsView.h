#pragma once

#include "gui/widgets/ConsoleView.h"

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace tollgate::gui {

// Settings: the UI language (applied at once, no restart) and the servers whose admin token is in the
// keychain, each of which can be forgotten.
class SettingsView : public ConsoleView
{
    Q_OBJECT

public:
    explicit SettingsView(ConsoleContext &context, QWidget *parent = nullptr);

    QString viewId() const override { return QStringLiteral("settings"); }
    QString title() const override { return tr("Settings"); }
    QIcon icon() const override;
    void refresh() override;
    bool hasLoaded() const override { return true; }
    // Local settings stay usable while the gateway is away.
    void setStale(bool) override {}

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void forgetSelected();

    QLabel *m_languageLabel;
    QComboBox *m_language;
    QLabel *m_serversLabel;
    QListWidget *m_servers;
    QPushButton *m_forget;
    QLabel *m_note;
};

} // namespace tollgate::gui
