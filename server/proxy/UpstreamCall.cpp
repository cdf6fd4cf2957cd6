#include "server/proxy/UpstreamCall.h"

#include "server/proxy/ProxyLogging.h"
#include "server/proxy/UpstreamConnection.h"
#include "server/proxy/UpstreamRequestEncoder.h"

namespace tollgate::proxy {

// Counts callbacks on the stack, so that ending the call from inside one (cancel() in onData)
// releases the callbacks only once the running one has returned: destroying a std::function while
// it runs would free its captures under it.
struct UpstreamCall::DispatchGuard
{
    explicit DispatchGuard(UpstreamCall *call)
        : call(call)
    {
        ++call->m_dispatching;
    }
    ~DispatchGuard()
    {
        if (--call->m_dispatching == 0 && call->m_releasePending)
            call->releaseCallbacks();
    }
    UpstreamCall *call;
};

UpstreamCall::UpstreamCall(Key, UpstreamRequest request, qint64 deadlineMs)
    : m_request(std::move(request))
    , m_deadlineMs(deadlineMs)
{
}

UpstreamCall::~UpstreamCall() = default;

void UpstreamCall::writeBody(const QByteArray &chunk)
{
    if (m_done || m_bodyEnded || !m_request.streamedBody || chunk.isEmpty())
        return;
    if (m_request.bodyLength >= 0) {
        const qint64 room = m_request.bodyLength - m_bodyBytesAccepted;
        if (chunk.size() > room) {
            // Bytes past the announced length would be read by the upstream as the next request.
            qCWarning(lcTollgateProxy) << "streamed body longer than its Content-Length" << m_request.bodyLength
                                       << "- extra bytes dropped";
            if (room <= 0)
                return;
            m_bodyBytesAccepted += room;
            queueOrSend(chunk.left(room));
            return;
        }
        m_bodyBytesAccepted += chunk.size();
        queueOrSend(chunk);
        return;
    }
    m_bodyBytesAccepted += chunk.size();
    queueOrSend(UpstreamRequestEncoder::chunk(chunk));
}

void UpstreamCall::endBody()
{
    if (m_done || m_bodyEnded || !m_request.streamedBody)
        return;
    m_bodyEnded = true;
    if (m_request.bodyLength < 0) {
        queueOrSend(UpstreamRequestEncoder::lastChunk());
    } else if (m_bodyBytesAccepted < m_request.bodyLength) {
        // The upstream keeps waiting for the rest; the total timeout ends the call. A caller whose
        // client went away should cancel() instead.
        qCWarning(lcTollgateProxy) << "streamed body ended after" << m_bodyBytesAccepted << "of"
                                   << m_request.bodyLength << "announced bytes";
    }
}

void UpstreamCall::queueOrSend(QByteArray bytes)
{
    if (m_connection && m_connection->acceptsBody()) {
        m_bodySent = true;
        m_connection->writeRequestBytes(bytes);
        return;
    }
    m_pendingBodyBytes += bytes.size();
    m_pendingBody.append(std::move(bytes));
}

qint64 UpstreamCall::pendingRequestBytes() const
{
    if (m_done)
        return 0;
    return m_pendingBodyBytes + (m_connection ? m_connection->bytesToWrite() : 0);
}

void UpstreamCall::pauseResponse()
{
    m_paused = true;
}

void UpstreamCall::resumeResponse()
{
    if (!m_paused)
        return;
    m_paused = false;
    if (m_connection && !m_done)
        m_connection->resumeLater();
}

void UpstreamCall::cancel()
{
    m_cancelled = true;
    if (!m_done) {
        m_done = true;
        if (UpstreamConnection *connection = m_connection) {
            m_connection = nullptr;
            connection->abandon();
        }
    }
    releaseCallbacks();
}

void UpstreamCall::deliverHead(const UpstreamResponseHead &head)
{
    if (m_done || !onHead)
        return;
    DispatchGuard guard(this);
    onHead(head);
}

void UpstreamCall::deliverData(const QByteArray &chunk)
{
    if (m_done || !onData)
        return;
    DispatchGuard guard(this);
    onData(chunk);
}

void UpstreamCall::deliverBodyWritten()
{
    if (m_done || !onBodyWritten)
        return;
    DispatchGuard guard(this);
    onBodyWritten();
}

void UpstreamCall::complete()
{
    if (m_done)
        return;
    m_done = true;
    m_connection = nullptr;
    auto callback = std::move(onComplete);
    releaseCallbacks();
    if (callback) {
        DispatchGuard guard(this);
        callback();
    }
}

void UpstreamCall::fail(UpstreamError error, const QString &detail)
{
    if (m_done)
        return;
    m_done = true;
    m_connection = nullptr;
    if (!m_armed) {
        m_deferredError = error;
        m_deferredDetail = detail;
        return;
    }
    auto callback = std::move(onError);
    releaseCallbacks();
    if (callback) {
        DispatchGuard guard(this);
        callback(error, detail);
    }
}

void UpstreamCall::deliverDeferredError()
{
    if (m_cancelled || m_deferredError == UpstreamError::None) {
        releaseCallbacks();
        return;
    }
    const UpstreamError error = std::exchange(m_deferredError, UpstreamError::None);
    auto callback = std::move(onError);
    releaseCallbacks();
    if (callback) {
        DispatchGuard guard(this);
        callback(error, m_deferredDetail);
    }
}

void UpstreamCall::endSilently()
{
    m_cancelled = true;
    m_done = true;
    m_connection = nullptr;
    releaseCallbacks();
}

void UpstreamCall::releaseCallbacks()
{
    if (m_dispatching > 0) {
        m_releasePending = true;
        return;
    }
    m_releasePending = false;
    onHead = nullptr;
    onData = nullptr;
    onComplete = nullptr;
    onError = nullptr;
    onBodyWritten = nullptr;
    m_pendingBody.clear();
    m_pendingBodyBytes = 0;
}

} // namespace tollgate::proxy
