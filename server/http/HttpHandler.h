#pragma once

#include "server/http/HttpRequest.h"

#include <QByteArrayView>
#include <QString>

#include <memory>

namespace tollgate::http {

class HttpExchange;

// How the front takes a request body. The limit is enforced before anything is buffered:
// a Content-Length above it is answered 413 right after the headers, a chunked body when it crosses it.
struct BodyPolicy
{
    qint64 limit = 1 << 20;
    bool stream = false;
    // The handler judges the head before any body byte is read (credentials, scope, rate: a client that
    // will be refused never makes us buffer its body). handle() runs when the head is complete and the
    // body stays unread, without a 100 Continue, until the handler asks for it: HttpExchange::readBody()
    // (buffered) or resumeBody() (streamed). A handler that answers without asking closes the connection
    // after its answer, since the unread body cannot be told from a next request.
    bool judgeHead = false;
};

// What the gateway plugs into the front. One instance per event-loop thread (see HttpServer's
// factory), so an implementation needs no locking for its own state; every call arrives in that thread.
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;

    // Headers complete: how to take the body.
    virtual BodyPolicy bodyPolicy(const HttpRequest &head)
    {
        Q_UNUSED(head);
        return {};
    }

    // Buffered: called when the whole body is in request().body. Streamed: called right after the
    // headers; the body arrives through the exchange's body callbacks. judgeHead: called right after the
    // headers when a body follows (after the whole request when none does), the body unread.
    virtual void handle(const std::shared_ptr<HttpExchange> &exchange) = 0;

    // The JSON body of the errors the front answers itself (400, 413, 431, 501, 505). The default is the
    // contract's envelope with a fresh random request id; the gateway overrides it to use its own ids.
    virtual QByteArray errorBody(int status, QByteArrayView code, const QString &message);
};

} // namespace tollgate::http
