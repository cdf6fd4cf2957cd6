#include "server/http/HttpExchange.h"

#include "server/http/HttpConnection.h"
#include "server/http/HttpLogging.h"
#include "server/http/HttpResponseHead.h"

#include <QAbstractEventDispatcher>
#include <QMetaObject>

#include <cstdio>

namespace tollgate::http {

HttpExchange::HttpExchange(Key, HttpConnection *connection, HttpRequest request)
    : m_connection(connection), m_request(std::move(request))
{
}

HttpExchange::~HttpExchange() = default;

void HttpExchange::setBodyCallbacks(std::function<void(QByteArray)> onData, std::function<void()> onEnd)
{
    m_onData = std::move(onData);
    m_onEnd = std::move(onEnd);
    postBodyDelivery();
}

void HttpExchange::pauseBody()
{
    if (m_bodyPaused)
        return;
    m_bodyPaused = true;
    // The time the body is held back is not held against the client's minimum rate.
    if (m_connection)
        m_connection->bodyPaused(this);
}

void HttpExchange::resumeBody()
{
    if (!m_bodyPaused)
        return;
    m_bodyPaused = false;
    postBodyDelivery();
    if (m_connection)
        m_connection->bodyResumed(this);
}

void HttpExchange::readBody(std::function<void()> done)
{
    if (m_aborted)
        return;
    if (m_bodyComplete) {
        done();
        return;
    }
    m_onBodyRead = std::move(done);
    resumeBody();
}

void HttpExchange::respond(int status, const HttpHeaders &headers, const QByteArray &body, QByteArrayView extraHeaderLines)
{
    if (!canRespond()) {
        if (m_responseStarted && !m_finished)
            qCWarning(lcTollgateHttp) << "respond() after startResponse() ignored:" << m_request.target;
        return;
    }
    m_responseStarted = true;
    const bool noBody = HttpResponseHead::statusForbidsBody(status);
    const auto token = m_connection->connectionTokenFor(this, headers);
    const bool sendBody = !noBody && !m_head;
    QByteArray out;
    HttpResponseHead::append(out, status, headers,
                             noBody ? HttpResponseHead::Framing::None : HttpResponseHead::Framing::Length,
                             body.size(), token, sendBody ? body.size() : 0, extraHeaderLines);
    if (sendBody)
        out.append(body);
    output(std::move(out));
    markFinished();
}

void HttpExchange::startResponse(int status, const HttpHeaders &headers, qint64 contentLength, QByteArrayView extraHeaderLines)
{
    if (!canRespond()) {
        if (m_responseStarted && !m_finished)
            qCWarning(lcTollgateHttp) << "startResponse() called twice:" << m_request.target;
        return;
    }
    m_responseStarted = true;
    HttpResponseHead::Framing framing;
    if (HttpResponseHead::statusForbidsBody(status)) {
        framing = HttpResponseHead::Framing::None;
        m_suppressBody = true;
    } else if (contentLength >= 0) {
        framing = HttpResponseHead::Framing::Length;
        m_remaining = contentLength;
    } else if (m_request.versionMinor >= 1) {
        framing = HttpResponseHead::Framing::Chunked;
        m_chunked = true;
    } else {
        // An HTTP/1.0 client knows no chunks: the end of the connection ends the body.
        framing = HttpResponseHead::Framing::UntilClose;
        m_closeAfter = true;
    }
    if (m_head)
        m_suppressBody = true; // same head as the GET, no body
    const auto token = m_connection->connectionTokenFor(this, headers);
    QByteArray out;
    HttpResponseHead::append(out, status, headers, framing, contentLength, token, 0, extraHeaderLines);
    output(std::move(out));
}

void HttpExchange::write(const QByteArray &data)
{
    if (!m_connection || !m_responseStarted || m_finished || data.isEmpty() || m_suppressBody)
        return;
    if (m_chunked) {
        // One buffer per chunk: size line, data and CRLF leave in the same write().
        char sizeLine[20];
        const int n = std::snprintf(sizeLine, sizeof sizeLine, "%llx\r\n", static_cast<unsigned long long>(data.size()));
        QByteArray chunk;
        chunk.reserve(n + data.size() + 2);
        chunk.append(sizeLine, n);
        chunk.append(data);
        chunk.append("\r\n", 2);
        output(std::move(chunk));
    } else if (m_remaining >= 0) {
        if (data.size() > m_remaining) {
            // More than the Content-Length we announced would be read as the next response.
            qCWarning(lcTollgateHttp) << "response body longer than its Content-Length, truncated:"
                                      << m_request.target;
            if (m_remaining > 0)
                output(data.left(m_remaining));
            m_remaining = 0;
        } else {
            m_remaining -= data.size();
            output(data);
        }
    } else {
        output(data);
    }
    if (m_connection && pendingOutputBytes() >= OutputLowWater)
        m_drainArmed = true;
}

void HttpExchange::finish()
{
    if (!m_connection || !m_responseStarted || m_finished)
        return;
    if (!m_suppressBody) {
        if (m_chunked) {
            output(QByteArray::fromRawData("0\r\n\r\n", 5));
        } else if (m_remaining > 0) {
            // The client waits for bytes that will never come: only closing tells it the body ended.
            qCWarning(lcTollgateHttp) << "response body shorter than its Content-Length, closing:"
                                      << m_request.target;
            m_closeAfter = true;
        }
    }
    markFinished();
}

void HttpExchange::abortResponse()
{
    if (!m_connection || !m_responseStarted || m_finished)
        return;
    // No terminating chunk and a close: the client must see the body cut short, never complete.
    m_chunked = false;
    m_closeAfter = true;
    markFinished();
}

std::any *HttpExchange::connectionState()
{
    return m_connection ? &m_connection->handlerState() : nullptr;
}

qint64 HttpExchange::pendingOutputBytes() const
{
    return m_connection ? m_connection->pendingOutputFor(this) : 0;
}

void HttpExchange::output(QByteArray bytes)
{
    m_connection->exchangeOutput(this, std::move(bytes));
}

void HttpExchange::markFinished()
{
    m_finished = true;
    if (m_connection)
        m_connection->exchangeFinished(this);
}

void HttpExchange::deliverBody()
{
    if (m_aborted || m_bodyPaused || !m_onData)
        return;
    // A callback may drop the handler's last reference to us.
    const auto self = shared_from_this();
    if (!m_bodyPending.isEmpty()) {
        QByteArray chunk = std::move(m_bodyPending);
        m_bodyPending = QByteArray();
        m_onData(std::move(chunk));
    }
    if (m_bodyComplete && m_bodyPending.isEmpty() && !m_endDelivered && !m_aborted) {
        m_endDelivered = true;
        if (m_onEnd)
            m_onEnd();
    }
}

void HttpExchange::postBodyDelivery()
{
    if (m_deliveryPosted || m_aborted)
        return;
    m_deliveryPosted = true;
    post([weak = weak_from_this()] {
        const auto self = weak.lock();
        if (!self)
            return;
        self->m_deliveryPosted = false;
        self->deliverBody();
        // Reading may have stopped while chunks waited for the callbacks.
        if (self->m_connection && !self->m_bodyPaused)
            self->m_connection->bodyResumed(self.get());
    });
}

void HttpExchange::post(std::function<void()> fn)
{
    // The dispatcher lives as long as the thread: a context that never goes away before its queue.
    QMetaObject::invokeMethod(QAbstractEventDispatcher::instance(), std::move(fn), Qt::QueuedConnection);
}

void HttpExchange::notifyAborted()
{
    m_onBodyRead = nullptr;
    if (!m_onAborted)
        return;
    // The handler may drop the last reference to us, and must run once.
    const auto self = shared_from_this();
    const auto handler = std::move(m_onAborted);
    m_onAborted = nullptr;
    handler();
}

void HttpExchange::notifyOutputDrained()
{
    if (!m_onOutputDrained)
        return;
    const auto self = shared_from_this();
    const auto handler = m_onOutputDrained; // a copy: it may replace itself
    handler();
}

} // namespace tollgate::http
