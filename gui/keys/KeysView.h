#pragma once

#include "gui/client/ApiError.h"
#include "gui/keys/KeyListModel.h"
#include "gui/widgets/ConsoleView.h"

#include <QPointer>
#include "gui/client/ApiCall.h"
#include "gui/keys/BulkAction.h"
#include <QTimer>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QTableView;
class QToolButton;

namespace tollgate::gui {

class ApiCall;
class BulkAction;
class KeyDetailPane;
class KeyFilterModel;

// Keys (CONSOLE.md): search (Ctrl+F, server-side q, 300 ms after typing stops), tier and status filters, New key
// (Ctrl+N); the table pages in 100 at a time as it scrolls, sorts by raw values; the selected key's detail
// below in a remembered splitter. Several selected: revoke them or change their tier, one call after the
// other under a progress dialog with Cancel. Del revokes (asking first), Enter opens the detail.
class KeysView : public ConsoleView
{
    Q_OBJECT

public:
    static constexpr int SearchDelayMs = 300;

    explicit KeysView(ConsoleContext &context, QWidget *parent = nullptr);
    ~KeysView() override;

    QString viewId() const override { return QStringLiteral("keys"); }
    QString title() const override { return tr("Keys"); }
    QIcon icon() const override;
    void refresh() override;
    void setActive(bool active) override;
    bool hasLoaded() const override;

    KeyListModel *model() const { return m_model; }
    KeyFilterModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    KeyDetailPane *detail() const { return m_detail; }
    QList<TierRecord> tiers() const { return m_tiers; }
    QList<KeyRecord> selectedKeys() const;
    QString notice() const;
    BulkAction *bulkAction() const { return m_bulk; }

    void openCreateDialog();
    void revokeSelected();             // asks first
    void changeTierOfSelected(const QString &tierSlug);

Q_SIGNALS:
    void tiersLoaded();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    void loadTiers();
    void applyQuery();
    void updateDetail();
    void updateEmptyState();
    void fillViewport();
    void selectKey(const QString &id);
    void setNotice(const QString &text);
    void confirmRevoke(const QList<KeyRecord> &keys);
    void revoke(const QList<KeyRecord> &keys);
    void runBulk(const QList<KeyRecord> &keys, const QString &label, std::function<ApiCall *(const KeyRecord &)> step,
                 std::function<QString(int done, int total)> summary);
    void openEditDialog();
    void openGrantDialog();
    void openRegenerateDialog();
    void showRawKey(const QString &rawKey, const KeyRecord &key, bool regenerated);
    void saveState();
    void restoreState();
    void onKeyChanged(const KeyRecord &key);
    void rebuildTierMenus();

    KeyListModel *m_model;
    KeyFilterModel *m_proxy;
    QLineEdit *m_search;
    QLabel *m_tierLabel;
    QComboBox *m_tierFilter;
    QLabel *m_statusLabel;
    QComboBox *m_statusFilter;
    QPushButton *m_new;
    QPushButton *m_refresh;
    QPushButton *m_bulkRevoke;
    QToolButton *m_bulkTier;
    QMenu *m_tierMenu;
    QLabel *m_notice;
    QLabel *m_loading;
    QSplitter *m_splitter;
    QTableView *m_table;
    QLabel *m_empty;
    KeyDetailPane *m_detail;
    QAction *m_findAction;
    QAction *m_newAction;
    QAction *m_deleteAction;
    QTimer m_searchTimer;
    QTimer m_clockTimer;
    QTimer m_saveTimer;
    QList<TierRecord> m_tiers;
    QPointer<ApiCall> m_tiersCall;
    QPointer<BulkAction> m_bulk;
    QStringList m_reselect;
    QString m_selectAfterLoad;
    bool m_started = false;
};

} // namespace tollgate::gui
