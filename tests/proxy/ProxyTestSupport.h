#pragma once

// Records what an UpstreamCall delivers, and flags any callback after the call ended.

#include "server/proxy/UpstreamPool.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <malloc.h>
#include <unistd.h>

#include <functional>
#include <memory>

using namespace tollgate::proxy;

struct CallRecorder
{
    std::shared_ptr<UpstreamCall> call;
    UpstreamResponseHead head;
    QByteArray body;
    qint64 bodyBytes = 0;
    bool keepBody = true;
    int heads = 0;
    int dataCalls = 0;
    int completes = 0;
    int errors = 0;
    int late = 0; // callbacks after the end, or after cancel(): must stay 0
    bool cancelled = false;
    UpstreamError error = UpstreamError::None;
    QString detail;
    std::function<void()> headHook;
    std::function<void(const QByteArray &)> dataHook;
    std::function<void()> completeHook;

    bool ended() const { return completes + errors > 0; }
    bool finishedOrCancelled() const { return ended() || cancelled; }

    void watch(std::shared_ptr<UpstreamCall> started)
    {
        call = std::move(started);
        call->onHead = [this](const UpstreamResponseHead &h) {
            late += finishedOrCancelled() ? 1 : 0;
            ++heads;
            head = h;
            if (headHook)
                headHook();
        };
        call->onData = [this](const QByteArray &chunk) {
            late += finishedOrCancelled() ? 1 : 0;
            ++dataCalls;
            bodyBytes += chunk.size();
            if (keepBody)
                body += chunk;
            if (dataHook)
                dataHook(chunk);
        };
        call->onComplete = [this] {
            late += finishedOrCancelled() ? 1 : 0;
            ++completes;
            if (completeHook)
                completeHook();
        };
        call->onError = [this](UpstreamError e, const QString &d) {
            late += finishedOrCancelled() ? 1 : 0;
            ++errors;
            error = e;
            detail = d;
        };
    }
    void cancel()
    {
        cancelled = true;
        call->cancel();
    }
};

inline UpstreamRequest makeRequest(QByteArray method = "GET", QByteArray target = "/")
{
    UpstreamRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    return request;
}

inline qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

// Heap bytes in use (glibc): unlike RSS, not masked by memory an earlier test freed.
inline qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

inline QByteArray okResponse(const QByteArray &body = "ok", const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}
