#pragma once

#include <QObject>

class QSocketNotifier;

namespace tollgate::cli {

// Turns SIGTERM/SIGINT (and SIGHUP) into Qt signals on the main thread (self-pipe: a signal handler may only write()).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    void reloadRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace tollgate::cli
