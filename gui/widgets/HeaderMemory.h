#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

class QHeaderView;

namespace tollgate::gui {

// Remembers a table header's column widths, order and sort indicator in QSettings under one key per view
// ("keys/header", "audit/header", …), as MainWindow remembers the window: restored when made, saved a moment after
// the user stops dragging (not on every pixel: each save writes the settings file), when the header is hidden,
// and by saveNow() from the owning view's destructor.
class HeaderMemory : public QObject
{
    Q_OBJECT

public:
    // The header's model must be set already (its column count is part of the state).
    HeaderMemory(QHeaderView *header, QString settingsKey);
    ~HeaderMemory() override;

    // Whether a remembered state was applied: a view fits its columns to the first data only when not.
    bool restored() const { return m_restored; }
    void saveNow();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Widens any column narrower than its own title (remembered widths from English headers, then German ones):
    // a width is the user's, a cut-off title is not.
    void fitTitles();

    QPointer<QHeaderView> m_header;
    QString m_key;
    QTimer m_delay;
    bool m_restored = false;
    bool m_pending = false;
};

} // namespace tollgate::gui
