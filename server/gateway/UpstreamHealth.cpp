#include "server/gateway/UpstreamHealth.h"

#include <QDateTime>
#include <QNetworkReply>

namespace tollgate::gateway {

UpstreamHealth::UpstreamHealth(QHash<QString, QList<QUrl>> upstreams, int intervalMs, QObject *parent)
    : QObject(parent), m_upstreams(std::move(upstreams))
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network.setCookieJar(nullptr);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamHealth::probe);
}

void UpstreamHealth::start()
{
    probe();
    m_timer.start();
}

QHash<QString, UpstreamHealth::Status> UpstreamHealth::snapshot() const
{
    QMutexLocker locker(&m_mutex);
    return m_status;
}

QHash<QString, QHash<QUrl, UpstreamHealth::Status>> UpstreamHealth::instances() const
{
    QMutexLocker locker(&m_mutex);
    return m_instances;
}

void UpstreamHealth::probe()
{
    for (auto it = m_upstreams.constBegin(); it != m_upstreams.constEnd(); ++it) {
        const QString name = it.key();
        for (const QUrl &base : it.value()) {
            QUrl url = base;
            url.setPath(QStringLiteral("/health"));
            QNetworkRequest request(url);
            request.setTransferTimeout(2000);
            auto timer = std::make_shared<QElapsedTimer>();
            timer->start();
            QNetworkReply *reply = m_network.get(request);
            connect(reply, &QNetworkReply::finished, this, [this, reply, name, base, timer] {
                reply->deleteLater();
                const bool answered = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid();
                QMutexLocker locker(&m_mutex);
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                m_instances[name][base] = Status{answered, answered ? timer->elapsed() : -1, true, now};
                Status combined{false, -1, true, 0};
                qint64 newest = 0;
                for (const Status &instance : std::as_const(m_instances[name])) {
                    newest = qMax(newest, instance.checkedAtMs);
                    if (instance.up && (!combined.up || instance.latencyMs < combined.latencyMs))
                        combined = instance;
                }
                combined.checkedAtMs = newest;
                m_status[name] = combined;
            });
        }
    }
}

} // namespace tollgate::gateway
