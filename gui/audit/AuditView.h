#pragma once

#include "gui/widgets/ConsoleView.h"

#include <QTimer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;

namespace tollgate::gui {

class AuditDiffModel;
class AuditModel;

// Audit: the gateway's log of admin actions, newest first, paged as it is scrolled; filtered by actor, action
// and key id on the gateway; the selected entry's before and after field by field, what changed in bold.
class AuditView : public ConsoleView
{
    Q_OBJECT

public:
    explicit AuditView(ConsoleContext &context, QWidget *parent = nullptr);

    QString viewId() const override { return QStringLiteral("audit"); }
    QString title() const override { return tr("Audit"); }
    QIcon icon() const override;
    void refresh() override;
    void setActive(bool active) override;
    bool hasLoaded() const override;

    AuditModel *model() const { return m_model; }
    AuditDiffModel *diffModel() const { return m_diff; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void applyFilter();
    void showSelected();
    void updateState();

    AuditModel *m_model;
    AuditDiffModel *m_diff;
    QLabel *m_actorLabel;
    QLineEdit *m_actor;
    QLabel *m_actionLabel;
    QComboBox *m_action;
    QLabel *m_keyLabel;
    QLineEdit *m_keyId;
    QPushButton *m_reload;
    QSplitter *m_splitter;
    QTableView *m_table;
    QLabel *m_state;
    QPushButton *m_more;
    QLabel *m_detail;
    QCheckBox *m_changedOnly;
    QTableView *m_diffTable;
    QTimer m_filterDelay;
    QString m_error;
    bool m_started = false;
    bool m_fitted = false;  // columns fitted to the first rows (or remembered from an earlier run)
};

} // namespace tollgate::gui
