#include "gui/MainWindow.h"

#include "core/service/GatewayCore.h"

#include <QLabel>
#include <QStatusBar>
#include <QVBoxLayout>

namespace tollgate {

MainWindow::MainWindow(GatewayCore *core, QWidget *parent)
    : QMainWindow(parent), m_core(core), m_state(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Tollgate — API gateway"));
    m_state->setObjectName(QStringLiteral("gatewayState"));
    m_state->setAlignment(Qt::AlignCenter);
    m_state->setWordWrap(true);
    setCentralWidget(m_state);
    resize(900, 600);
    connect(core, &GatewayCore::ready, this, &MainWindow::showState);
    connect(core, &GatewayCore::startFailed, this, [this](const QString &reason) {
        m_state->setText(tr("The database is not reachable yet; retrying.\n%1").arg(reason));
    });
    showState();
}

void MainWindow::showState()
{
    const QString database = m_core->settings().database().redacted();
    if (m_core->isReady()) {
        m_state->setText(tr("Embedded gateway ready.\nDatabase: %1").arg(database));
        statusBar()->showMessage(tr("Ready"));
    } else {
        m_state->setText(tr("Starting the embedded gateway…\nDatabase: %1").arg(database));
        statusBar()->showMessage(tr("Starting"));
    }
}

} // namespace tollgate
