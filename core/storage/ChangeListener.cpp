#include "core/storage/ChangeListener.h"

#include "core/storage/DatabaseConnection.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QTimer>
#include <QVariant>

Q_LOGGING_CATEGORY(lcListen, "tollgate.core.storage.listen")

namespace tollgate {

class ChangeListener::Session : public QObject
{
public:
    Session(const DatabaseUrl &url, ChangeListener *owner) : m_url(url), m_owner(owner)
    {
        m_connectionName = QStringLiteral("tollgate-listen-%1").arg(quintptr(this), 0, 16);
    }

    ~Session() override
    {
        m_db = QSqlDatabase();
        if (QSqlDatabase::contains(m_connectionName))
            QSqlDatabase::removeDatabase(m_connectionName);
    }

    void begin()
    {
        m_check = new QTimer(this);
        m_check->setInterval(1000);
        connect(m_check, &QTimer::timeout, this, [this] { check(); });
        m_check->start();
        check();
    }

private:
    void check()
    {
        if (m_db.isOpen() && DatabaseConnection::stillAlive(m_db))
            return;
        if (m_owner->m_listening.exchange(false))
            qCWarning(lcListen) << "change notifications lost their connection; polling until it is back";
        m_db.close();
        QString why;
        if (!DatabaseConnection::open(m_url, m_connectionName, &m_db, &why)) {
            qCDebug(lcListen) << "cannot connect for change notifications:" << why;
            return;
        }
        QSqlDriver *driver = m_db.driver();
        QObject::disconnect(driver, nullptr, this, nullptr);
        connect(driver, &QSqlDriver::notification, this,
                [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                    if (name != ChangeListener::Channel)
                        return;
                    const QString text = payload.toString();
                    const qsizetype slash = text.indexOf(QLatin1Char('/'));
                    Q_EMIT m_owner->changed(text.left(slash), slash < 0 ? QString() : text.mid(slash + 1));
                });
        if (!driver->subscribeToNotification(ChangeListener::Channel)) {
            qCWarning(lcListen) << "cannot LISTEN for change notifications; the change-feed poll carries on alone";
            m_db.close();
            return;
        }
        m_owner->m_listening.store(true);
        qCInfo(lcListen) << "listening for change notifications on" << m_url.redacted();
        Q_EMIT m_owner->resubscribed();
    }

    DatabaseUrl m_url;
    ChangeListener *m_owner;
    QString m_connectionName;
    QSqlDatabase m_db;
    QTimer *m_check = nullptr;
};

ChangeListener::ChangeListener(DatabaseUrl url, QObject *parent) : QObject(parent), m_url(std::move(url))
{
    m_thread.setObjectName(QStringLiteral("tollgate-listen"));
}

ChangeListener::~ChangeListener()
{
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

void ChangeListener::start()
{
    if (m_session)
        return;
    m_session = new Session(m_url, this);
    m_session->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_session, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_session, [session = m_session] { session->begin(); }, Qt::QueuedConnection);
}

} // namespace tollgate
