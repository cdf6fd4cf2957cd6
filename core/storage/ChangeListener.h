#pragma once

#include "core/config/DatabaseUrl.h"

#include <QObject>
#include <QThread>

#include <atomic>

namespace tollgate {

// LISTEN tollgate_changes on a PostgreSQL connection of its own, in a thread of its own: it shares nothing
// with the storage worker, so a slow or stuck write-behind transaction never delays a revocation. Every
// change-feed row is announced by a trigger in the writer's transaction (migration 3), so `changed` fires once
// the change is committed. Checks its connection every second and reconnects (and says `resubscribed`, after
// which a poll should catch up on what was missed) by itself.
class ChangeListener : public QObject
{
    Q_OBJECT

public:
    static inline const QString Channel = QStringLiteral("tollgate_changes");

    explicit ChangeListener(DatabaseUrl url, QObject *parent = nullptr);
    ~ChangeListener() override;
    void start();
    bool isListening() const { return m_listening.load(); }

Q_SIGNALS:
    // Emitted in the listener's thread; connect with a context in yours.
    void changed(const QString &entity, const QString &entityId);
    void resubscribed();

private:
    class Session;
    DatabaseUrl m_url;
    QThread m_thread;
    Session *m_session = nullptr;
    std::atomic<bool> m_listening{false};
};

} // namespace tollgate
