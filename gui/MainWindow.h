#pragma once

#include <QMainWindow>

class QLabel;

namespace tollgate {

class GatewayCore;

// The console's main window. For now it shows the state of the embedded gateway; key, tier, usage and
// health views arrive with the console issue.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(GatewayCore *core, QWidget *parent = nullptr);

private:
    void showState();

    GatewayCore *m_core;
    QLabel *m_state;
};

} // namespace tollgate
