#pragma once

#include "server/proxy/UpstreamError.h"
#include "server/proxy/UpstreamRequest.h"
#include "server/proxy/UpstreamResponseHead.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace tollgate::proxy {

class UpstreamConnection;
class UpstreamPool;

// The caller's handle on one upstream call, owned by shared_ptr (the pool keeps a reference while
// the call runs, so dropping the handle does not stop it: cancel() does).
//
// Callbacks run on the pool's thread from its event loop, never from inside start() or any method
// below, so a caller may call these methods from its callbacks and need not guard against
// re-entry. Exactly one of onComplete or onError ends a call, unless cancel() came first; after
// the end no callback runs and all of them are released (so captures are freed and cycles broken).
class UpstreamCall
{
    // Only the pool creates calls; the key keeps the constructor usable by std::make_shared.
    struct Key
    {
        explicit Key() = default;
    };

public:
    UpstreamCall(Key, UpstreamRequest request, qint64 deadlineMs);
    ~UpstreamCall();
    UpstreamCall(const UpstreamCall &) = delete;
    UpstreamCall &operator=(const UpstreamCall &) = delete;

    // Set before data flows (right after start()).
    std::function<void(const UpstreamResponseHead &)> onHead;
    std::function<void(const QByteArray &chunk)> onData; // decoded body, as it arrives
    std::function<void()> onComplete;
    std::function<void(UpstreamError, const QString &detail)> onError;
    // Optional, streamed bodies: the upstream socket took request bytes; pendingRequestBytes() has
    // dropped. Lets an uploader resume reading its client without polling.
    std::function<void()> onBodyWritten;

    // Streamed request bodies (UpstreamRequest::streamedBody). Ignored once the call has ended
    // (the upstream may answer early, e.g. 413, and the caller should then stop reading its client).
    void writeBody(const QByteArray &chunk);
    void endBody();
    // Request bytes accepted but not yet handed to the kernel: the uploader's backpressure gauge.
    qint64 pendingRequestBytes() const;

    // Stops delivering onData (and reading the upstream, so TCP pushes back) until resumed.
    void pauseResponse();
    void resumeResponse();

    // The client left: the connection is closed, not returned to the pool, and no callback runs
    // after this returns. Safe at any time, also repeatedly and after the end.
    void cancel();
    // The call ended: completed, failed, cancelled, or its pool was destroyed.
    bool isDone() const { return m_done; }

private:
    friend class UpstreamConnection;
    friend class UpstreamPool;

    // Deliveries, from the connection and the pool.
    void deliverHead(const UpstreamResponseHead &head);
    void deliverData(const QByteArray &chunk);
    void deliverBodyWritten();
    void complete();
    // Ends the call with an error. Before start() has returned (no callback set yet) the error is
    // only recorded; the pool then delivers it from the event loop.
    void fail(UpstreamError error, const QString &detail);
    void deliverDeferredError();
    // The pool is going away: end without any callback.
    void endSilently();
    void releaseCallbacks();
    void queueOrSend(QByteArray bytes);

    struct DispatchGuard;

    UpstreamRequest m_request;
    qint64 m_deadlineMs;
    UpstreamConnection *m_connection = nullptr; // set while a connection works on the call

    // Streamed body bytes (already framed) waiting for a connected socket.
    QList<QByteArray> m_pendingBody;
    qint64 m_pendingBodyBytes = 0;
    qint64 m_bodyBytesAccepted = 0; // raw body bytes taken from writeBody()

    UpstreamError m_deferredError = UpstreamError::None;
    QString m_deferredDetail;

    int m_dispatching = 0; // callbacks on the stack: releasing them must wait
    bool m_armed = false;  // start() returned: callbacks may be set
    bool m_bodyEnded = false;
    bool m_bodySent = false; // streamed body bytes reached a socket: no transparent retry any more
    bool m_retried = false; // the stale-connection retry (same instance) was used
    bool m_moved = false;   // the call went to another instance (at most once)
    bool m_trial = false;   // this attempt is its instance's half-open breaker trial
    bool m_judged = false;  // this attempt's outcome went to the instance's breaker
    bool m_answeredWell = false; // ... as a success (its head): a later break-off still counts
    int m_instance = -1;    // the pool's index of the instance of this attempt
    bool m_paused = false;
    bool m_done = false;
    bool m_cancelled = false;
    bool m_releasePending = false;
};

} // namespace tollgate::proxy
