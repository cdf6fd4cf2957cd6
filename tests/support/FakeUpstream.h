#pragma once

#include "server/http/HttpServer.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>

#include <memory>

namespace tollgate::test {

// The search, STT and TTS services in one test server, over real sockets (our own HTTP front).
// Every request is recorded. Test headers steer it:
//   X-Test-Status: N          answer with status N
//   X-Test-Delay-Ms: N        answer after N ms
//   X-Test-Duration: S        STT: report this duration (seconds); X-Test-No-Duration: 1 omits it
//   X-Test-Close-Mid-Body: 1  announce 1000000 bytes, send 1000, then end the connection
//   X-Test-Audio-Bytes: N     TTS: stream N bytes of audio (default 200000)
//   X-Test-Identify: 1        add what the client must not see: X-Powered-By, X-Accel-Redirect, X-Pad, an old
//                             Date, its own X-RateLimit-Limit, a field named in Connection
// Every answer carries `Server: fake-upstream/1.0`.
class FakeUpstream
{
public:
    struct Recorded
    {
        QByteArray method;
        QByteArray target;
        http::HttpHeaders headers;
        QByteArray bodySha256;
        qint64 bodySize = 0;
    };

    // port 0: any free one. A given port brings an instance back where it was (a restarted upstream).
    explicit FakeUpstream(quint16 port = 0);
    ~FakeUpstream();
    quint16 port() const;
    QByteArray url() const;

    // An instance that dies and comes back: stop() closes the listener and every connection (the
    // port then refuses), start() listens on the same port again.
    void stop();
    bool start();
    bool isRunning() const { return m_server != nullptr; }

    QList<Recorded> requests() const;
    Recorded last() const;
    void clear();

private:
    class Handler;
    friend class Handler;
    void record(Recorded recorded);

    mutable QMutex m_mutex;
    QList<Recorded> m_requests;
    std::unique_ptr<http::HttpServer> m_server;
    quint16 m_port = 0;
};

} // namespace tollgate::test
