#pragma once

#include <QFuture>
#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <utility>

namespace tollgate {

// Calls fn(future) in context's thread once future is done (with a result, an exception or canceled),
// unless context has been destroyed by then; the call is the last link, nothing is chained after it.
//
// Why not future.then(context, ...).onFailed(context, ...): Qt 6.4 asserts that the context is still alive
// when the parent future finishes, and when the context dies with the continuation's event still queued,
// the event's promise is destroyed, which runs the next context continuation of the chain with a dead
// context (an ASan test build aborted in ~ChangeFeedWatcher). Release builds survive it by luck.
template<typename T, typename F>
void whenDone(QFuture<T> future, QObject *context, F &&fn)
{
    future.then(QtFuture::Launch::Sync,
                [context = QPointer<QObject>(context), fn = std::forward<F>(fn)](QFuture<T> done) mutable {
                    if (!context)
                        return;
                    QMetaObject::invokeMethod(context.data(), [context, fn = std::move(fn), done]() mutable {
                        if (context)
                            fn(done);
                    });
                });
}

} // namespace tollgate
