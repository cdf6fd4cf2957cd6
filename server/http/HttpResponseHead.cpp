#include "server/http/HttpResponseHead.h"

#include "server/http/HeaderRules.h"
#include "server/http/HttpDate.h"
#include "server/http/HttpLogging.h"

#include "core/util/ByteWriter.h"

#include <cstring>

namespace tollgate::http {

namespace {

bool hasLineBreak(QByteArrayView v)
{
    return !v.isEmpty()
        && (std::memchr(v.data(), '\n', size_t(v.size())) || std::memchr(v.data(), '\r', size_t(v.size())));
}

} // namespace

QByteArrayView HttpResponseHead::reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Entity";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 451: return "Unavailable For Legal Reasons";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

bool HttpResponseHead::asksToClose(const HttpHeaders &headers)
{
    for (const auto &field : headers.fields) {
        if (HttpHeaders::nameEquals(field.first, "connection")
            && field.second.toLower().contains("close"))
            return true;
    }
    return false;
}

void HttpResponseHead::append(QByteArray &out, int status, const HttpHeaders &headers, Framing framing,
                              qint64 contentLength, ConnectionToken connection, qsizetype bodyReserve,
                              QByteArrayView extraLines)
{
    if (status < 100 || status > 999)
        status = 500;

    qsizetype estimate = 160 + bodyReserve + extraLines.size();
    bool haveServer = false;
    bool haveDate = false;
    for (const auto &field : headers.fields) {
        estimate += field.first.size() + field.second.size() + 4;
        if (HttpHeaders::nameEquals(field.first, "server"))
            haveServer = true;
        else if (HttpHeaders::nameEquals(field.first, "date"))
            haveDate = true;
    }
    ByteWriter writer(out, estimate);

    const char code[4] = {char('0' + status / 100), char('0' + status / 10 % 10), char('0' + status % 10), ' '};
    writer.append("HTTP/1.1 ").append(QByteArrayView(code, 4)).append(reasonPhrase(status)).append("\r\n");
    if (!haveServer)
        writer.append("Server: tollgate\r\n");
    if (!haveDate)
        writer.append(HttpDate::currentHeaderLine());

    for (const auto &field : headers.fields) {
        if (field.first.isEmpty() || HeaderRules::writerOwnsToClient(field.first))
            continue;
        if (hasLineBreak(field.first) || hasLineBreak(field.second)) {
            qCWarning(lcTollgateHttp) << "dropping response header with a line break:" << field.first;
            continue;
        }
        writer.appendHeader(field.first, field.second);
    }
    writer.append(extraLines);

    switch (framing) {
    case Framing::Length:
        writer.appendHeader("Content-Length", contentLength);
        break;
    case Framing::Chunked:
        writer.append("Transfer-Encoding: chunked\r\n");
        break;
    case Framing::UntilClose:
    case Framing::None:
        break;
    }
    switch (connection) {
    case ConnectionToken::Close:
        writer.append("Connection: close\r\n");
        break;
    case ConnectionToken::KeepAlive:
        writer.append("Connection: keep-alive\r\n");
        break;
    case ConnectionToken::Default:
        break;
    }
    writer.append("\r\n");
}

} // namespace tollgate::http
