#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace tollgate::gui {

// Puts a secret on the clipboard and takes it off again after a while, if it is still there (as KeePassXC
// does): whatever the user copied since stays. Only a hash of the secret is kept for the comparison, and the
// clipboard data carries the hint that tells clipboard managers not to record it.
class SecretClipboard : public QObject
{
    Q_OBJECT

public:
    static SecretClipboard *instance();

    void copy(const QString &secret);
    int clearAfterMs() const { return m_clearAfterMs; }
    void setClearAfterMs(int ms) { m_clearAfterMs = ms; }
    bool isPending() const { return m_timer.isActive(); }

Q_SIGNALS:
    // The timer ran out; cleared: the clipboard still held the secret and was emptied.
    void expired(bool cleared);

private:
    explicit SecretClipboard(QObject *parent);
    void clearIfUnchanged();

    QTimer m_timer;
    QByteArray m_hash;
    int m_clearAfterMs = 60000;
};

} // namespace tollgate::gui
