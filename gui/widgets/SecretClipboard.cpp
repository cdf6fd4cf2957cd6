#include "gui/widgets/SecretClipboard.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QGuiApplication>
#include <QMimeData>

namespace tollgate::gui {

namespace {

QByteArray hashOf(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace

SecretClipboard *SecretClipboard::instance()
{
    static SecretClipboard *clipboard = new SecretClipboard(QCoreApplication::instance());
    return clipboard;
}

SecretClipboard::SecretClipboard(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SecretClipboard::clearIfUnchanged);
}

void SecretClipboard::copy(const QString &secret)
{
    auto *mime = new QMimeData;
    mime->setText(secret);
    // KDE Klipper and other clipboard managers skip entries with this hint (KeePassXC sets it too).
    mime->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(mime);
    m_hash = hashOf(secret);
    m_timer.start(m_clearAfterMs);
}

void SecretClipboard::clearIfUnchanged()
{
    QClipboard *clipboard = QGuiApplication::clipboard();
    const bool stillThere = !m_hash.isEmpty() && hashOf(clipboard->text()) == m_hash;
    if (stillThere)
        clipboard->clear();
    m_hash.clear();
    Q_EMIT expired(stillThere);
}

} // namespace tollgate::gui
