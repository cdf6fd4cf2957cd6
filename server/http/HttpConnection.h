#pragma once

#include "server/http/SendBatch.h"
#include "server/http/SocketWatcher.h"

#include "server/http/BodyRateClock.h"
#include "server/http/HttpRequestParser.h"
#include "server/http/HttpResponseHead.h"
#include "server/http/SocketSendQueue.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <deque>
#include <any>
#include <memory>


namespace tollgate::http {

class HttpExchange;
class HttpWorker;
struct HttpHeaders;

// One client connection: frames requests with HttpRequestParser, queues their exchanges in request
// order, writes responses in that order, and enforces every per-connection limit and timeout.
//
// Internal to the front. Never deleted from inside its own call stack: closing marks it closed at once
// (all later calls are no-ops) and deletion happens from the event loop.
//
// Drives the accepted socket itself (recv/send on the descriptor, readiness from the thread's epoll
// set) rather than through QTcpSocket, whose buffering costs an ioctl(FIONREAD) before every read and
// a copy of all input and output.
class HttpConnection : public QObject, private SendBatch::Member, private SocketWatcher::Handler
{
public:
    enum class AbortDelivery { Queued, Direct };

    // Takes ownership of fd, which must be a connected, non-blocking stream socket (accept4 SOCK_NONBLOCK).
    HttpConnection(HttpWorker *worker, int fd, const QHostAddress &peer, quint16 peerPort, qint64 nowMs);
    ~HttpConnection() override;

    bool isClosed() const { return m_state == State::Closed; }
    // Graceful shutdown: finish what is in flight, take no new request, close when idle.
    void beginDrain();
    // Drop the connection now; unfinished exchanges are aborted.
    void closeNow(AbortDelivery delivery = AbortDelivery::Queued);

    // Called by HttpExchange.
    void exchangeOutput(HttpExchange *exchange, QByteArray bytes);
    void exchangeFinished(HttpExchange *exchange);
    HttpResponseHead::ConnectionToken connectionTokenFor(HttpExchange *exchange, const HttpHeaders &headers);
    qint64 pendingOutputFor(const HttpExchange *exchange) const;
    std::any &handlerState() { return m_handlerState; }
    void bodyPaused(HttpExchange *exchange);
    void bodyResumed(HttpExchange *exchange);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // Where the connection is in its life; it only ever moves down this list.
    enum class State {
        Reading,            // requests are read as they come
        NoMoreRequests,     // the ones in flight are answered, no further one is read
        ClosingAfterOutput, // the last response is going out; then Lingering
        Lingering,          // our FIN is sent; what the client still sends is read and dropped
        Closed,             // every later call is a no-op; deletion is queued
    };
    // What the last parse step left for dispatchEvent(), which runs once unparsed input is safe.
    enum class Event { None, HeadersComplete, MessageComplete };

    void onReadable();
    void processInput();
    void scheduleProcess();
    void parseAvailable();
    void readAhead();
    qsizetype receive(char *buffer, qsizetype size);
    qsizetype bufferedInput() const { return qMax<qsizetype>(0, m_pending.size() - m_pendingPos); }
    void updateReadInterest();
    qsizetype parseSome(const char *data, qsizetype length);
    void bodyData(const char *data, qsizetype size);
    void dispatchEvent();
    void headersComplete();
    void messageComplete();
    bool readingAllowed() const;
    bool bodyHeldBack() const;
    bool requestInProgress() const { return m_parsing || m_parser.phase() != HttpRequestParser::Phase::Idle; }
    void failRequest(int status, QByteArrayView code, const QString &message);
    std::shared_ptr<HttpExchange> newExchange(HttpRequest request);
    void sendContinue(HttpExchange *exchange);
    void advanceState(State state);

    void appendOutput(QByteArray bytes);
    void flushOutput();
    void sendBatched() override { flushOutput(); }
    void socketReadable() override { onReadable(); }
    void socketWritable() override { onWritable(); }
    qsizetype transmit(const char *data, qsizetype size);
    bool sendUnsent();
    qint64 unsentBytes() const { return m_unsent.size(); }
    void onWritable();
    void advancePipeline();
    void closeAfterOutput();
    void maybeClose();
    void startLingering();
    void discardInput();
    void checkDrained();
    void abortExchange(const std::shared_ptr<HttpExchange> &exchange, AbortDelivery delivery);
    void closeSocket();

    qint64 deadline() const;
    void syncBodyRate();
    void updateTimer();

    HttpWorker *m_worker;
    int m_fd;
    // Read: on unless reading is paused and the read-ahead is full. Write: on only while the kernel
    // has not taken all of our output.
    std::unique_ptr<SocketWatcher> m_watcher;
    // The kernel may hold input we have not read: set by a read notification, cleared by a recv that
    // did not fill its buffer (the socket is drained then, so we skip the recv that would say EAGAIN).
    bool m_socketReadable = false;
    QHostAddress m_peerAddress;
    quint16 m_peerPort;
    QByteArray m_peerText;
    std::any m_handlerState;
    HttpRequestParser m_parser;

    // In request order. The front one owns the socket's output; the last one may still be parsing.
    std::deque<std::shared_ptr<HttpExchange>> m_queue;
    std::shared_ptr<HttpExchange> m_parsing;

    // Unparsed input kept across event-loop turns (a paused body, a full pipeline), and what was read
    // ahead meanwhile.
    QByteArray m_pending;
    qsizetype m_pendingPos = 0;
    // Output of this processing pass, sent with one send() at its end.
    QByteArray m_out;
    // Output the kernel did not take yet (its buffer was full).
    SocketSendQueue m_unsent;

    Event m_event = Event::None;

    // Clocks (monotonic ms) for the timeouts.
    qint64 m_acceptedMs;
    qint64 m_headerStartMs = 0;
    qint64 m_lastReadMs = 0;
    qint64 m_bodyClockMs = 0;       // the body stall clock's latest restart (head, 100 Continue, resume)
    BodyRateClock m_bodyRate;
    qint64 m_idleSinceMs = 0;
    qint64 m_writeProgressMs = 0;
    qint64 m_lingerDeadlineMs = 0;
    qint64 m_armedDeadlineMs = -1;
    QBasicTimer m_timer;

    quint64 m_requestCount = 0;
    qint64 m_lingerDiscarded = 0;
    bool m_inProcess = false;
    bool m_processAgain = false;
    bool m_processPosted = false;
    bool m_draining = false;        // graceful shutdown: the last response says Connection: close
    State m_state = State::Reading;
};

} // namespace tollgate::http
