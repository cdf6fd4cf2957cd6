#pragma once

#include "server/http/SendBatch.h"
#include "server/http/SocketWatcher.h"

#include "server/http/HttpHeadScanner.h"
#include "server/http/HttpResponseHead.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <http_parser.h>

#include <deque>
#include <any>
#include <memory>


namespace tollgate::http {

class HttpExchange;
class HttpWorker;
struct HttpHeaders;

// One client connection: parses requests with http_parser, queues their exchanges in request order,
// writes responses in that order, and enforces every per-connection limit and timeout.
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

    bool isClosed() const { return m_closed; }
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
    void bodyResumed(HttpExchange *exchange);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Event { None, HeadersComplete, MessageComplete, ChunkHeader, ChunkComplete };

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static int onChunkHeader(http_parser *parser);
    static int onChunkComplete(http_parser *parser);
    static const http_parser_settings parserSettings;

    void onReadable();
    void processInput();
    void scheduleProcess();
    void parseAvailable();
    void readAhead();
    qsizetype receive(char *buffer, qsizetype size);
    qsizetype bufferedInput() const { return qMax<qsizetype>(0, m_pending.size() - m_pendingPos); }
    void updateReadInterest();
    qsizetype parseSome(const char *data, qsizetype length);
    void dispatchEvent();
    void headersComplete();
    void messageComplete();
    void finishHeaderField();
    bool readingAllowed() const;
    void failRequest(int status, QByteArrayView code, const QString &message);
    void failFromParser(http_errno error);
    void setCallbackError(int status, QByteArrayView code, QString message);
    std::shared_ptr<HttpExchange> newExchange();
    void sendContinue(HttpExchange *exchange);

    void appendOutput(QByteArray bytes);
    void flushOutput();
    void sendBatched() override { flushOutput(); }
    void socketReadable() override { onReadable(); }
    void socketWritable() override { onWritable(); }
    qsizetype transmit(const char *data, qsizetype size);
    void keepUnsent(QByteArray bytes, qsizetype offset);
    qsizetype unsentBytes() const { return m_unsent.size() - m_unsentPos; }
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
    http_parser m_parser;

    // In request order. The front one owns the socket's output; the last one may still be parsing.
    std::deque<std::shared_ptr<HttpExchange>> m_queue;
    std::shared_ptr<HttpExchange> m_parsing;

    // Unparsed input kept across event-loop turns (a paused body, a full pipeline), and what was read
    // ahead meanwhile.
    QByteArray m_pending;
    qsizetype m_pendingPos = 0;
    // Output of this processing pass, sent with one send() at its end.
    QByteArray m_out;
    // Output the kernel did not take yet (its buffer was full), from m_unsentPos on.
    QByteArray m_unsent;
    qsizetype m_unsentPos = 0;

    // Parser state of the current request head.
    Event m_event = Event::None;
    HttpHeadScanner m_scanner;
    bool m_inTrailers = false;
    char m_lastByte = 0;            // the last byte the parser consumed (a CRLF may straddle two reads)
    bool m_badFieldName = false;
    bool m_badTransferEncoding = false;
    qsizetype m_headerBytes = 0;
    int m_fieldCount = 0;
    bool m_inValue = false;
    bool m_urlChecked = false;
    bool m_sawTransferEncoding = false;
    int m_contentLengthCount = 0;
    qint64 m_contentLength = -1;
    bool m_contentLengthConflict = false;
    int m_callbackStatus = 0;
    QByteArray m_callbackCode;
    QString m_callbackMessage;

    // Clocks (monotonic ms) for the timeouts.
    qint64 m_acceptedMs;
    qint64 m_headerStartMs = 0;
    qint64 m_lastReadMs = 0;
    qint64 m_bodyClockMs = 0;
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
    bool m_stopParsing = false;     // no further request is read
    bool m_closeWhenFlushed = false;
    bool m_lingering = false;
    bool m_draining = false;
    bool m_closed = false;
};

} // namespace tollgate::http
