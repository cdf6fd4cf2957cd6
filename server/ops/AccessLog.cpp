#include "server/ops/AccessLog.h"

#include <QDateTime>
#include <QTimeZone>

namespace tollgate::ops {

namespace {

constexpr qsizetype FlushBytes = 64 * 1024;

// Request ids, key ids and routes are our own tokens; escaping keeps a client-sent X-Request-ID honest.
void appendJsonString(QByteArray &out, const QByteArray &value)
{
    out += '"';
    for (const char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (quint8(c) < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[(c >> 4) & 0xf];
            out += "0123456789abcdef"[c & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

// "2026-11-22T01:02:03.456Z": the part up to the seconds is formatted once a second per thread.
QByteArray timestamp()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cachedPrefix;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    if (ms / 1000 != cachedSecond) {
        cachedSecond = ms / 1000;
        cachedPrefix = QDateTime::fromSecsSinceEpoch(cachedSecond, QTimeZone::utc())
                           .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1();
    }
    char millis[6] = {'.', char('0' + ms % 1000 / 100), char('0' + ms % 100 / 10), char('0' + ms % 10), 'Z', 0};
    return cachedPrefix + millis;
}

} // namespace

AccessLog::AccessLog(bool json, FILE *stream, QObject *parent) : QObject(parent), m_json(json), m_stream(stream)
{
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
    QByteArray line;
    line.reserve(320);
    const QByteArray ts = timestamp();
    if (m_json) {
        line += "{\"ts\":\"" + ts + "\",\"level\":\"info\",\"category\":\"tollgate.access\",\"request_id\":";
        appendJsonString(line, e.requestId);
        line += ",\"key_id\":";
        if (e.keyId.isEmpty())
            line += "null";
        else
            appendJsonString(line, e.keyId);
        line += ",\"method\":";
        appendJsonString(line, e.method);
        line += ",\"route\":";
        appendJsonString(line, e.route);
        line += ",\"status\":" + QByteArray::number(e.status) + ",\"latency_ms\":" + QByteArray::number(e.latencyMs, 'f', 2)
            + ",\"credits\":" + QByteArray::number(e.credits) + ",\"bytes_in\":" + QByteArray::number(e.bytesIn)
            + ",\"bytes_out\":" + QByteArray::number(e.bytesOut) + ",\"client_ip\":";
        appendJsonString(line, e.clientIp);
        if (!e.error.isEmpty()) {
            line += ",\"error\":";
            appendJsonString(line, e.error);
        }
        line += "}\n";
    } else {
        line += ts + " info tollgate.access: request_id=" + e.requestId + " key_id=" + (e.keyId.isEmpty() ? "-" : e.keyId)
            + ' ' + e.method + ' ' + e.route + " status=" + QByteArray::number(e.status) + " latency_ms="
            + QByteArray::number(e.latencyMs, 'f', 2) + " credits=" + QByteArray::number(e.credits) + " bytes_in="
            + QByteArray::number(e.bytesIn) + " bytes_out=" + QByteArray::number(e.bytesOut) + " client_ip=" + e.clientIp
            + (e.error.isEmpty() ? QByteArray() : " error=" + e.error) + '\n';
    }
    QMutexLocker locker(&m_mutex);
    m_buffer += line;
    if (m_buffer.size() >= FlushBytes) {
        std::fwrite(m_buffer.constData(), 1, size_t(m_buffer.size()), m_stream);
        std::fflush(m_stream);
        m_buffer.clear();
    }
}

void AccessLog::flush()
{
    QMutexLocker locker(&m_mutex);
    if (m_buffer.isEmpty())
        return;
    std::fwrite(m_buffer.constData(), 1, size_t(m_buffer.size()), m_stream);
    std::fflush(m_stream);
    m_buffer.clear();
}

} // namespace tollgate::ops
