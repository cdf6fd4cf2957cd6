#include "gui/keys/BulkAction.h"

#include "gui/client/ApiCall.h"

#include <QJsonObject>
#include <QProgressDialog>

namespace tollgate::gui {

BulkAction::BulkAction(const QList<KeyRecord> &keys, const QString &label, Step step, QWidget *dialogParent)
    : QObject(dialogParent), m_keys(keys), m_step(std::move(step)), m_progress(new QProgressDialog(dialogParent))
{
    setObjectName(QStringLiteral("bulkAction"));
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progress->setWindowTitle(label);
    m_progress->setLabelText(label);
    m_progress->setRange(0, int(keys.size()));
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumDuration(0);
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setCancelButtonText(tr("&Cancel"));
    connect(m_progress, &QProgressDialog::canceled, this, &BulkAction::cancel);
}

BulkAction::~BulkAction()
{
    if (m_call)
        m_call->abort();
    if (m_progress)
        m_progress->deleteLater();
}

void BulkAction::start()
{
    m_progress->setValue(0);
    m_progress->show();
    next();
}

void BulkAction::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_progress)
        m_progress->setLabelText(tr("Cancelling after the key in progress…"));
    if (!m_call)
        next();
}

void BulkAction::next()
{
    if (m_finished)
        return;
    if (m_cancelled || m_index >= m_keys.size()) {
        m_finished = true;
        if (m_progress)
            m_progress->hide();
        Q_EMIT finished();
        return;
    }
    const KeyRecord key = m_keys.at(m_index);
    if (m_progress)
        m_progress->setLabelText(tr("%1 of %2: %3").arg(m_index + 1).arg(m_keys.size()).arg(key.name));
    m_call = m_step(key);
    connect(m_call, &ApiCall::succeeded, this, [this](const QJsonValue &data) {
        ++m_succeeded;
        const QJsonObject object = data.toObject();
        if (object.contains(QStringLiteral("id")))
            Q_EMIT keyUpdated(KeyRecord::fromJson(object));
    });
    connect(m_call, &ApiCall::failed, this, [this, key](const ApiError &error) {
        ++m_failed;
        if (m_firstError.isEmpty())
            m_firstError = tr("%1: %2").arg(key.name, error.message);
    });
    connect(m_call, &ApiCall::finished, this, [this] {
        m_call = nullptr;
        ++m_index;
        if (m_progress)
            m_progress->setValue(m_index);
        Q_EMIT progressed(m_index, int(m_keys.size()));
        next();
    });
}

} // namespace tollgate::gui
