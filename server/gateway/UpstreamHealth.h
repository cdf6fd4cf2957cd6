#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace tollgate::gateway {

// Probes every upstream instance every few seconds (control plane: QNetworkAccessManager is fine here)
// for /health and the gauge tollgate_upstream_up. Any HTTP answer counts as up: the service is there.
class UpstreamHealth : public QObject
{
    Q_OBJECT

public:
    struct Status
    {
        bool up = false;
        qint64 latencyMs = -1;
        bool checked = false;
        qint64 checkedAtMs = 0;  // wall clock of the last probe answer (0: none yet)
    };

    UpstreamHealth(QHash<QString, QList<QUrl>> upstreams, int intervalMs, QObject *parent = nullptr);
    void start();
    // Per upstream name: up when at least one instance answered at the last probe. Any thread.
    QHash<QString, Status> snapshot() const;
    // Per upstream name and instance URL: the last probe of that instance (absent: not probed yet). Any thread.
    QHash<QString, QHash<QUrl, Status>> instances() const;

private:
    void probe();

    QHash<QString, QList<QUrl>> m_upstreams;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    mutable QMutex m_mutex;
    QHash<QString, Status> m_status;          // by upstream name
    QHash<QString, QHash<QUrl, Status>> m_instances;
};

} // namespace tollgate::gateway
