#pragma once

#include "server/http/HttpRequest.h"

#include <QHostAddress>

#include <any>
#include <functional>
#include <memory>

namespace tollgate::http {

class HttpConnection;

// One request and its response. Shared-pointer owned: the connection holds it until its response is
// out, a handler may hold it as long as it likes (an upstream call, a timer). Once the client has gone,
// or the connection was closed for any reason, every call is a no-op and the abort handler runs, so
// handlers never have to ask whether the socket is still there.
//
// Not a QObject: one is made per request, and a QObject's private data, its connection list and the
// work of tearing them down cost more than the rest of the exchange together. Notifications are
// plain callbacks, queued work goes through the thread's event dispatcher.
//
// Lives in its connection's thread; call it from there only (it is not locked). respond() and finish()
// may release the connection's reference: keep a shared_ptr of your own if you touch it afterwards.
//
// Responses: either one respond(), or startResponse() + write()… + finish(). Responses of pipelined
// requests are queued and reach the client in request order, whatever order the handlers finish in.
class HttpExchange : public std::enable_shared_from_this<HttpExchange>
{
    // Only the connection creates exchanges; the key keeps std::make_shared usable.
    struct Key
    {
        explicit Key() = default;
    };

public:
    HttpExchange(Key, HttpConnection *connection, HttpRequest request);
    ~HttpExchange();
    HttpExchange(const HttpExchange &) = delete;
    HttpExchange &operator=(const HttpExchange &) = delete;

    const HttpRequest &request() const { return m_request; }
    bool isHead() const { return m_head; }
    // The handler's body policy chose streaming for this request (see HttpHandler::bodyPolicy).
    bool streamsBody() const { return m_streamBody; }

    // Streamed request bodies (BodyPolicy::stream): chunks arrive in order, then onEnd once. Chunks that
    // arrived before the callbacks were set are delivered right after (from the event loop, never from
    // inside this call).
    void setBodyCallbacks(std::function<void(QByteArray chunk)> onData, std::function<void()> onEnd);
    // Backpressure: while paused no chunk is delivered and the socket is not read.
    void pauseBody();
    void resumeBody();
    // BodyPolicy::judgeHead with a buffered body: reads the whole body into request().body, then runs done
    // (at once when it is complete already, as for a request without one). Never runs after an abort.
    void readBody(std::function<void()> done);

    // The whole response in one write(): adds Content-Length, Date, Server and, when the connection
    // ends with it, Connection: close. HEAD gets the head only, with the GET's Content-Length.
    // extraHeaderLines: see HttpResponseHead::append.
    void respond(int status, const HttpHeaders &headers, const QByteArray &body, QByteArrayView extraHeaderLines = {});
    // contentLength -1: chunked for HTTP/1.1 clients, close-delimited for HTTP/1.0 ones.
    void startResponse(int status, const HttpHeaders &headers, qint64 contentLength, QByteArrayView extraHeaderLines = {});
    void write(const QByteArray &data);
    void finish();
    // A streamed response that cannot be completed (its upstream failed mid-body): ends it so that the
    // client sees it broken (connection closed, no final chunk) rather than complete.
    void abortResponse();
    // Bytes written but not yet taken by the kernel; outputDrained() says when it falls below 64 KiB again.
    qint64 pendingOutputBytes() const;

    bool isFinished() const { return m_finished; }
    // The whole request body has been received (a request without body: from the start).
    bool isBodyComplete() const { return m_bodyComplete; }
    // The client disconnected or the connection was closed before finish().
    bool isAborted() const { return m_aborted; }

    // What a handler keeps for this connection across its requests (say, the digest of the
    // credentials a client presents on every one of them). Lives as long as the connection; null
    // once this exchange is detached from it (answered, or the client gone).
    std::any *connectionState();

    static constexpr qint64 OutputLowWater = 64 * 1024;

    // The client left before finish(): release credits, cancel the upstream call. Runs from the
    // event loop (never from inside a call on this exchange), at most once. One handler; setting
    // another replaces it, nullptr removes it (a handler that dies before the exchange must).
    void setAbortHandler(std::function<void()> handler) { m_onAborted = std::move(handler); }
    // pendingOutputBytes() fell below OutputLowWater after having reached it.
    void setOutputDrainedHandler(std::function<void()> handler) { m_onOutputDrained = std::move(handler); }

    // Runs fn from this thread's event loop, after the current event.
    static void post(std::function<void()> fn);

private:
    friend class HttpConnection;

    bool canRespond() const { return m_connection && !m_responseStarted && !m_finished; }
    void output(QByteArray bytes);
    void markFinished();
    void deliverBody();
    void postBodyDelivery();
    void notifyAborted();
    void notifyOutputDrained();

    HttpConnection *m_connection; // null once the connection is gone or has sent our response
    HttpRequest m_request;
    bool m_head = false;

    // Request side, maintained by the connection.
    bool m_headersComplete = false;
    bool m_bodyComplete = false;
    bool m_keepAlive = true;        // the client allows another request after this one
    bool m_streamBody = false;
    bool m_judgeHead = false;       // handed at the head, body unread until asked for
    bool m_discardBody = false;     // answered early: the rest of the body is read and dropped
    bool m_expectContinue = false;  // "100 Continue" owed before the body comes
    bool m_continueSent = false;
    bool m_handed = false;          // the handler has seen it
    bool m_countedInFlight = false;
    qint64 m_bodyLimit = 0;
    qint64 m_bodyReceived = 0;

    std::function<void()> m_onAborted;
    std::function<void()> m_onOutputDrained;

    // Streamed body delivery.
    std::function<void(QByteArray)> m_onData;
    std::function<void()> m_onEnd;
    std::function<void()> m_onBodyRead;   // readBody()
    QByteArray m_bodyPending;
    bool m_bodyPaused = false;
    bool m_endDelivered = false;
    bool m_deliveryPosted = false;

    // Response side.
    bool m_responseStarted = false;
    bool m_finished = false;
    bool m_aborted = false;
    bool m_closeAfter = false;      // the connection ends with this response
    bool m_chunked = false;
    bool m_suppressBody = false;    // HEAD, 1xx, 204, 304
    qint64 m_remaining = -1;        // what a declared Content-Length still expects; -1: not length-framed
    QByteArray m_output;            // serialized, waiting for the responses before ours
    bool m_drainArmed = false;
};

} // namespace tollgate::http
