#pragma once

#include <QPlainTextEdit>

namespace tollgate::gui {

// Allowed client networks, one CIDR per line ("10.0.0.0/8", "2001:db8::/32", or a bare address), checked as
// typed with the gateway's own parser: a bad line is marked and problem() says which and why.
class CidrListEdit : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int MaxEntries = 100;  // the API's list limit

    explicit CidrListEdit(QWidget *parent = nullptr);

    QStringList entries() const;  // the non-empty lines, trimmed
    void setEntries(const QStringList &entries);
    bool isValid() const { return m_problem.isEmpty(); }
    QString problem() const { return m_problem; }

Q_SIGNALS:
    // Empty when every line is a network.
    void problemChanged(const QString &problem);

protected:
    void changeEvent(QEvent *event) override;

private:
    void validate();

    QString m_problem;
};

} // namespace tollgate::gui
