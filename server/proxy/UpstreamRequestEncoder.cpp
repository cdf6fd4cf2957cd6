#include "server/proxy/UpstreamRequestEncoder.h"

#include "server/http/HeaderRules.h"
#include "server/http/HttpHeadScanner.h"
#include "server/http/HttpHeaders.h"
#include "server/proxy/UpstreamRequest.h"

#include "core/util/ByteWriter.h"

namespace tollgate::proxy {

namespace {

using http::HttpHeaders;

bool hasControlOrSpace(QByteArrayView text)
{
    for (char c : text) {
        if (uchar(c) <= ' ' || c == 0x7f)
            return true;
    }
    return false;
}

} // namespace

bool UpstreamRequestEncoder::methodExpectsBody(QByteArrayView method)
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

QString UpstreamRequestEncoder::validate(const UpstreamRequest &request)
{
    if (!http::HttpHeadScanner::isToken(request.method))
        return QStringLiteral("invalid request method");
    if (hasControlOrSpace(request.target))
        return QStringLiteral("invalid request target");
    for (const auto &field : request.headers.fields) {
        if (!http::HttpHeadScanner::isToken(field.first))
            return QStringLiteral("invalid header name");
        if (!HttpHeaders::isSafeValue(field.second))
            return QStringLiteral("invalid value in header %1").arg(QString::fromLatin1(field.first));
    }
    if (request.streamedBody && request.bodyLength < -1)
        return QStringLiteral("invalid body length");
    return {};
}

QByteArray UpstreamRequestEncoder::head(const UpstreamRequest &request, QByteArrayView hostHeader)
{
    qsizetype size = request.method.size() + request.target.size() + hostHeader.size() + request.extraHeaderLines.size() + 96;
    for (const auto &field : request.headers.fields)
        size += field.first.size() + field.second.size() + 4;

    QByteArray out;
    {
        ByteWriter writer(out, size);
        writer.append(request.method).append(' ');
        if (request.target.isEmpty())
            writer.append('/');
        else
            writer.append(request.target);
        writer.append(" HTTP/1.1\r\n");

        bool hostSet = false;
        for (const auto &field : request.headers.fields) {
            // Framing and connection fields belong to this hop (HeaderRules): written below.
            if (http::HeaderRules::encoderOwnsToUpstream(field.first))
                continue;
            if (HttpHeaders::nameEquals(field.first, "host"))
                hostSet = true;
            writer.appendHeader(field.first, field.second);
        }
        writer.append(request.extraHeaderLines);
        if (!hostSet)
            writer.appendHeader("Host", hostHeader);

        if (request.streamedBody) {
            if (request.bodyLength < 0)
                writer.append("Transfer-Encoding: chunked\r\n");
            else
                writer.appendHeader("Content-Length", request.bodyLength);
        } else if (!request.body.isEmpty() || methodExpectsBody(request.method)) {
            writer.appendHeader("Content-Length", request.body.size());
        }
        writer.append("Connection: keep-alive\r\n\r\n");
    }
    return out;
}

QByteArray UpstreamRequestEncoder::chunk(QByteArrayView data)
{
    QByteArray out;
    out.reserve(data.size() + 20);
    out += QByteArray::number(qulonglong(data.size()), 16);
    out += "\r\n";
    out.append(data);
    out += "\r\n";
    return out;
}

} // namespace tollgate::proxy
