#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace tollgate::gui {

// A message across the top of the view (CONSOLE.md: "nothing modal pops up on its own"): the connection is
// lost, or an action failed for a reason no field can show. One line, the API's own words, an optional Retry.
class Banner : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Warning, Error, Info };
    explicit Banner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &message, bool retry = false);
    void clear();
    QString message() const;

Q_SIGNALS:
    void retryRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_text;
    QPushButton *m_retry;
    QPushButton *m_close;
};

} // namespace tollgate::gui
