#pragma once

#include "gui/widgets/ConsoleView.h"

#include <QPointer>

class QLabel;
class QPushButton;
class QTableView;

namespace tollgate::gui {

class ApiCall;
class TierTableModel;
struct ApiError;

// Tiers: the gateway's tiers as an editable table. A value is checked in its cell; Save sends the whole list
// (PUT /admin/tiers) and shows the gateway's refusal (a tier still used by keys, say) in a line above the table,
// never in a dialog; Revert drops the edits. Edited cells are bold and Save is enabled only when there are edits.
class TiersView : public ConsoleView
{
    Q_OBJECT

public:
    explicit TiersView(ConsoleContext &context, QWidget *parent = nullptr);

    QString viewId() const override { return QStringLiteral("tiers"); }
    QString title() const override { return tr("Tiers"); }
    QIcon icon() const override;
    void refresh() override;
    bool hasLoaded() const override { return m_loaded; }

    TierTableModel *model() const { return m_model; }
    // The line above the table: the last refusal (a cell's, or the gateway's), or a note such as "Saved.".
    QString message() const;
    void save();
    void revert();
    void addTier();
    void removeSelected();

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Tone { Note, Error };
    void retranslate();
    void load();
    void showMessage(Tone tone, const QString &text, bool fromCell = false);
    void onFailure(const ApiError &error, bool saving);
    void updateButtons();

    TierTableModel *m_model;
    QLabel *m_message;
    QLabel *m_changes;
    QTableView *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_revert;
    QPushButton *m_save;
    QLabel *m_hint;
    QPointer<ApiCall> m_loading;
    QPointer<ApiCall> m_saving;
    bool m_loaded = false;
    bool m_fitColumns = true;  // no widths remembered: fit them to the first tiers
};

} // namespace tollgate::gui
