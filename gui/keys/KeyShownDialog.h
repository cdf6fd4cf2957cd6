#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace tollgate::gui {

// The one time a new or regenerated key is shown (CONSOLE.md): read-only and monospace, Copy (the clipboard is
// cleared after 60 s if it still holds the key), and Close only once "I have stored the key" is checked —
// Esc and the window's close button are refused until then. The key lives in this dialog's field only and is
// wiped when it closes; it is never logged or written to settings.
class KeyShownDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Reason { Created, Regenerated };
    KeyShownDialog(const QString &rawKey, const QString &keyName, Reason reason, QWidget *parent = nullptr);
    ~KeyShownDialog() override;

    void reject() override;
    void done(int result) override;

protected:
    void closeEvent(QCloseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void copy();

    QLineEdit *m_key;
    QPushButton *m_copy;
    QLabel *m_copied;
    QCheckBox *m_stored;
    QPushButton *m_close;
};

} // namespace tollgate::gui
