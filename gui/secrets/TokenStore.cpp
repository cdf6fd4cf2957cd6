#include "gui/secrets/TokenStore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QLoggingCategory>
#include <QSettings>
#include <QUrl>

Q_LOGGING_CATEGORY(lcTokenStore, "tollgate.gui.secrets")

namespace tollgate::gui {

namespace {

// The service name groups our entries in the keychain (seahorse shows it).
const QString Service = QStringLiteral("Tollgate admin console");
const QString KnownServersKey = QStringLiteral("connections/knownServers");

TokenStore::Result noKeychain()
{
    TokenStore::Result result;
    result.outcome = TokenStore::Outcome::NoKeychain;
    result.message = QCoreApplication::translate("tollgate::gui::TokenStore",
                                                 "No keychain (Secret Service) is available; the token is kept for this session only.");
    return result;
}

TokenStore::Result resultOf(const QKeychain::Job &job)
{
    TokenStore::Result result;
    switch (job.error()) {
    case QKeychain::NoError:
        result.outcome = TokenStore::Outcome::Ok;
        return result;
    case QKeychain::EntryNotFound:
        result.outcome = TokenStore::Outcome::NotFound;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return noKeychain();
    default:
        result.outcome = TokenStore::Outcome::Failed;
        break;
    }
    result.message = job.errorString();
    return result;
}

template<typename Job>
Job *makeJob(QObject *parent, const QString &key)
{
    auto *job = new Job(Service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

} // namespace

TokenStore::TokenStore(QObject *parent) : QObject(parent)
{
}

QString TokenStore::entryKey(const QString &serverUrl)
{
    const QUrl url(serverUrl.trimmed());
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toString(QUrl::FullyEncoded);
}

bool TokenStore::isAvailable()
{
    // QtKeychain reports a missing Secret Service as an unspecific error ("Cannot autolaunch D-Bus without X11
    // $DISPLAY"), so ask the session bus first whether any keychain service is there or can be started.
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    const QStringList wanted{QStringLiteral("org.freedesktop.secrets"), QStringLiteral("org.kde.kwalletd5"),
                             QStringLiteral("org.kde.kwalletd6")};
    const QStringList activatable = bus.interface()->activatableServiceNames().value();
    for (const QString &service : wanted) {
        if (bus.interface()->isServiceRegistered(service).value() || activatable.contains(service))
            return true;
    }
    return false;
}

void TokenStore::read(const QString &serverUrl, Callback done)
{
    if (!isAvailable())
        return done(noKeychain());
    auto *job = makeJob<QKeychain::ReadPasswordJob>(this, entryKey(serverUrl));
    connect(job, &QKeychain::Job::finished, this, [job, done = std::move(done)] {
        Result result = resultOf(*job);
        if (result.outcome == Outcome::Ok)
            result.token = job->binaryData();
        qCDebug(lcTokenStore) << "read" << job->key() << int(result.outcome);
        done(result);
    });
    job->start();
}

void TokenStore::write(const QString &serverUrl, const QByteArray &token, Callback done)
{
    if (!isAvailable())
        return done(noKeychain());
    const QString key = entryKey(serverUrl);
    auto *job = makeJob<QKeychain::WritePasswordJob>(this, key);
    job->setBinaryData(token);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, done = std::move(done)] {
        const Result result = resultOf(*job);
        qCDebug(lcTokenStore) << "write" << key << int(result.outcome);
        if (result.outcome == Outcome::Ok)
            remember(key, true);
        done(result);
    });
    job->start();
}

void TokenStore::forget(const QString &serverUrl, Callback done)
{
    if (!isAvailable())
        return done(noKeychain());
    const QString key = entryKey(serverUrl);
    auto *job = makeJob<QKeychain::DeletePasswordJob>(this, key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, done = std::move(done)] {
        Result result = resultOf(*job);
        // Gone already is what was asked for.
        if (result.outcome == Outcome::NotFound)
            result = {Outcome::Ok, {}, {}};
        if (result.outcome == Outcome::Ok)
            remember(key, false);
        done(result);
    });
    job->start();
}

QStringList TokenStore::knownServers() const
{
    return QSettings().value(KnownServersKey).toStringList();
}

void TokenStore::remember(const QString &serverUrl, bool known)
{
    QStringList servers = knownServers();
    servers.removeAll(serverUrl);
    if (known)
        servers.append(serverUrl);
    servers.sort();
    QSettings().setValue(KnownServersKey, servers);
}

} // namespace tollgate::gui
