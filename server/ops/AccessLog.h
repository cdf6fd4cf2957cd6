#pragma once

#include <atomic>

#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <cstdio>

namespace tollgate::ops {

// One line per request (JSON or key=value text, after LOG_FORMAT), buffered and written at most every
// 200 ms or 64 KiB: a write(2) per request would cost more than the request itself at gateway rates.
class AccessLog : public QObject
{
    Q_OBJECT

public:
    struct Entry
    {
        QByteArray requestId;
        QByteArray keyId;   // never the key
        QByteArray method;
        QByteArray route;
        int status = 0;
        double latencyMs = 0;
        qint64 credits = 0;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        QByteArray clientIp;
        QByteArray error;   // error code, if any
        // W3C trace context: the trace the call belongs to and the gateway's span in it (empty: none).
        // Views: the line is built before write() returns.
        QByteArrayView traceId;
        QByteArrayView spanId;
    };

    AccessLog(bool json, FILE *stream, QObject *parent = nullptr);
    ~AccessLog() override;
    void write(const Entry &entry);  // any thread; nothing while disabled
    void flush();
    // ACCESS_LOG on/off, changeable while serving (SIGHUP).
    void setEnabled(bool enabled) { m_enabled.store(enabled, std::memory_order_relaxed); }
    bool isEnabled() const { return m_enabled.load(std::memory_order_relaxed); }

private:
    void writeOutLocked();

    bool m_json;
    std::atomic<bool> m_enabled{true};
    FILE *m_stream;
    QMutex m_mutex;
    QByteArray m_buffer;
    QTimer m_timer;
};

} // namespace tollgate::ops
