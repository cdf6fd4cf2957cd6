#include "server/ops/AccessLog.h"

#include "core/util/ByteWriter.h"

#include <QDateTime>
#include <QTimeZone>

namespace tollgate::ops {

namespace {

constexpr qsizetype FlushBytes = 64 * 1024;

// Request ids, key ids and routes are our own tokens; escaping keeps a client-sent X-Request-ID honest.
void appendJsonString(ByteWriter &out, QByteArrayView value)
{
    out.append('"');
    qsizetype clean = 0; // start of the run that needs no escaping, copied in one piece
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c != '"' && c != '\\' && quint8(c) >= 0x20)
            continue;
        out.append(value.sliced(clean, i - clean));
        clean = i + 1;
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else {
            const char escape[6] = {'\\', 'u', '0', '0', "0123456789abcdef"[(c >> 4) & 0xf], "0123456789abcdef"[c & 0xf]};
            out.append(QByteArrayView(escape, 6));
        }
    }
    out.append(value.sliced(clean)).append('"');
}

// "2026-11-22T01:02:03.456Z": the part up to the seconds is formatted once a second per thread.
void appendTimestamp(ByteWriter &out)
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cachedPrefix;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    if (ms / 1000 != cachedSecond) {
        cachedSecond = ms / 1000;
        cachedPrefix = QDateTime::fromSecsSinceEpoch(cachedSecond, QTimeZone::utc())
                           .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1();
    }
    const char millis[5] = {'.', char('0' + ms % 1000 / 100), char('0' + ms % 100 / 10), char('0' + ms % 10), 'Z'};
    out.append(cachedPrefix).append(QByteArrayView(millis, 5));
}

} // namespace

AccessLog::AccessLog(bool json, FILE *stream, QObject *parent) : QObject(parent), m_json(json), m_stream(stream)
{
    m_buffer.reserve(FlushBytes + 4096);
    m_timer.setInterval(200);
    connect(&m_timer, &QTimer::timeout, this, &AccessLog::flush);
    m_timer.start();
}

AccessLog::~AccessLog()
{
    flush();
}

void AccessLog::write(const Entry &e)
{
    if (!isEnabled())
        return;
    // Built in a per-thread buffer, so that only the copy into the shared one happens under the lock.
    thread_local QByteArray line;
    line.resize(0);
    {
        ByteWriter out(line, 384);
        if (m_json) {
            out.append("{\"ts\":\"");
            appendTimestamp(out);
            out.append("\",\"level\":\"info\",\"category\":\"tollgate.access\",\"request_id\":");
            appendJsonString(out, e.requestId);
            out.append(",\"key_id\":");
            if (e.keyId.isEmpty())
                out.append("null");
            else
                appendJsonString(out, e.keyId);
            out.append(",\"method\":");
            appendJsonString(out, e.method);
            out.append(",\"route\":");
            appendJsonString(out, e.route);
            out.append(",\"status\":").appendNumber(e.status);
            out.append(",\"latency_ms\":").appendFixed(e.latencyMs, 2);
            out.append(",\"credits\":").appendNumber(e.credits);
            out.append(",\"bytes_in\":").appendNumber(e.bytesIn);
            out.append(",\"bytes_out\":").appendNumber(e.bytesOut);
            out.append(",\"client_ip\":");
            appendJsonString(out, e.clientIp);
            if (!e.error.isEmpty()) {
                out.append(",\"error\":");
                appendJsonString(out, e.error);
            }
            if (!e.traceId.isEmpty()) {
                out.append(",\"trace_id\":");
                appendJsonString(out, e.traceId);
                out.append(",\"span_id\":");
                appendJsonString(out, e.spanId);
            }
            out.append("}\n");
        } else {
            appendTimestamp(out);
            out.append(" info tollgate.access: request_id=").append(e.requestId);
            out.append(" key_id=").append(e.keyId.isEmpty() ? QByteArrayView("-") : QByteArrayView(e.keyId));
            out.append(' ').append(e.method).append(' ').append(e.route);
            out.append(" status=").appendNumber(e.status);
            out.append(" latency_ms=").appendFixed(e.latencyMs, 2);
            out.append(" credits=").appendNumber(e.credits);
            out.append(" bytes_in=").appendNumber(e.bytesIn);
            out.append(" bytes_out=").appendNumber(e.bytesOut);
            out.append(" client_ip=").append(e.clientIp);
            if (!e.error.isEmpty())
                out.append(" error=").append(e.error);
            if (!e.traceId.isEmpty())
                out.append(" trace_id=").append(e.traceId).append(" span_id=").append(e.spanId);
            out.append('\n');
        }
    }
    QMutexLocker locker(&m_mutex);
    m_buffer.append(line);
    if (m_buffer.size() >= FlushBytes)
        writeOutLocked();
}

void AccessLog::writeOutLocked()
{
    std::fwrite(m_buffer.constData(), 1, size_t(m_buffer.size()), m_stream);
    std::fflush(m_stream);
    // resize, not clear(): the buffer keeps its capacity instead of growing again from nothing.
    m_buffer.resize(0);
}

void AccessLog::flush()
{
    QMutexLocker locker(&m_mutex);
    if (!m_buffer.isEmpty())
        writeOutLocked();
}

} // namespace tollgate::ops
