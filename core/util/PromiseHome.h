#pragma once

#include <QAbstractEventDispatcher>
#include <QMetaObject>
#include <QPointer>
#include <QPromise>

#include <memory>

namespace tollgate {

// Where a promise is finished: in the thread that made it, when that thread has said it runs an event
// loop, else wherever the work ended.
//
// Why: Qt 6.4 can run a continuation twice when it is attached (future.then(...)) while another
// thread finishes the future. QFutureInterfaceBase::setContinuation sees the future finished, runs the
// continuation itself and then stores it; the finishing thread's runContinuation() finds it stored and
// runs it again, with its promise already moved out: a crash (seen in the daemon when a change-feed
// reload raced its own .then()). Later Qt versions mark a continuation as executed. Finishing in the
// thread that attaches makes finishing and attaching sequential.
//
// Only threads that never block waiting on such a future may opt in (the daemon's main thread and the
// HTTP threads); others (the CLI, which waits with result()) keep finishing from the worker.
class PromiseHome
{
public:
    PromiseHome()
    {
        if (deliversHere())
            m_home = QAbstractEventDispatcher::instance();
    }

    // This thread processes its events until futures it made are finished (and never blocks on one).
    static void setDeliversHere(bool enabled) { flag() = enabled; }
    static bool deliversHere() { return flag(); }

    template<typename T>
    void finish(const std::shared_ptr<QPromise<T>> &promise) const
    {
        if (m_home) {
            // If the thread's event loop is gone, the call is dropped with its copy of the promise and
            // the future ends canceled, as any promise destroyed unfinished does.
            QMetaObject::invokeMethod(m_home.data(), [promise] { promise->finish(); }, Qt::QueuedConnection);
        } else {
            promise->finish();
        }
    }

private:
    static bool &flag()
    {
        thread_local bool delivers = false;
        return delivers;
    }

    QPointer<QAbstractEventDispatcher> m_home;
};

} // namespace tollgate
