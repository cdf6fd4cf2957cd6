#pragma once

#include "server/proxy/UpstreamInstanceStates.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

class QNetworkReply;

namespace tollgate::gateway {

// Active health checks (control plane, main thread: QNetworkAccessManager is fine here): every
// UPSTREAM_HEALTH_INTERVAL_MS each instance of each upstream gets GET UPSTREAM_HEALTH_PATH, and the
// verdict goes into the instance's shared state, where every thread's pool reads it when it picks
// an instance. Any answer below 500 is up (a service without the path answers 404, and is there);
// a 5xx, a refused connect or no answer within 2 s is down. An instance whose previous probe is
// still running is not probed again, so a short interval never piles probes on a slow instance.
class UpstreamHealth : public QObject
{
    Q_OBJECT

public:
    UpstreamHealth(QList<std::shared_ptr<proxy::UpstreamInstanceStates>> upstreams, QString path, int intervalMs,
                   QObject *parent = nullptr);
    ~UpstreamHealth() override;
    void start();

private:
    void probe();
    void probeOne(size_t upstream, int instance);

    QList<std::shared_ptr<proxy::UpstreamInstanceStates>> m_upstreams;
    QString m_path;
    QString m_query;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    std::vector<std::vector<QPointer<QNetworkReply>>> m_running; // per upstream and instance
};

} // namespace tollgate::gateway
