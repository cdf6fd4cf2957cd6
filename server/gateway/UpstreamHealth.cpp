#include "server/gateway/UpstreamHealth.h"

#include "server/proxy/UpstreamClock.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkReply>

namespace tollgate::gateway {

namespace {

constexpr int ProbeTimeoutMs = 2000;

} // namespace

UpstreamHealth::UpstreamHealth(QList<std::shared_ptr<proxy::UpstreamInstanceStates>> upstreams, QString path,
                               int intervalMs, QObject *parent)
    : QObject(parent)
    , m_upstreams(std::move(upstreams))
{
    const QUrl relative(path);
    m_path = relative.path().isEmpty() ? QStringLiteral("/") : relative.path();
    m_query = relative.query();
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network.setCookieJar(nullptr);
    m_running.resize(size_t(m_upstreams.size()));
    for (qsizetype i = 0; i < m_upstreams.size(); ++i)
        m_running[size_t(i)].resize(size_t(m_upstreams.at(i)->count()));
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamHealth::probe);
}

UpstreamHealth::~UpstreamHealth()
{
    // Replies still running would report into a half-destroyed object.
    for (auto &instances : m_running) {
        for (const QPointer<QNetworkReply> &reply : instances) {
            if (reply) {
                reply->disconnect(this);
                reply->abort();
            }
        }
    }
}

void UpstreamHealth::start()
{
    probe();
    m_timer.start();
}

void UpstreamHealth::probe()
{
    for (size_t upstream = 0; upstream < m_running.size(); ++upstream) {
        for (int instance = 0; instance < int(m_running[upstream].size()); ++instance) {
            if (!m_running[upstream][size_t(instance)])
                probeOne(upstream, instance);
        }
    }
}

void UpstreamHealth::probeOne(size_t upstream, int instance)
{
    const std::shared_ptr<proxy::UpstreamInstanceStates> &states = m_upstreams.at(qsizetype(upstream));
    QUrl url = states->urls().at(instance);
    url.setPath(m_path);
    url.setQuery(m_query.isEmpty() ? QString() : m_query);
    QNetworkRequest request(url);
    request.setTransferTimeout(ProbeTimeoutMs);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QNetworkReply *reply = m_network.get(request);
    m_running[upstream][size_t(instance)] = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, upstream, instance, timer] {
        reply->deleteLater();
        m_running[upstream][size_t(instance)] = nullptr;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const bool up = status.isValid() && status.toInt() < 500;
        m_upstreams.at(qsizetype(upstream))
            ->recordProbe(instance, up, timer->elapsed(), QDateTime::currentMSecsSinceEpoch(), proxy::upstreamNowMs());
    });
}

} // namespace tollgate::gateway
