#include "server/http/SendBatch.h"

#include <QAbstractEventDispatcher>
#include <QMetaObject>

#include <algorithm>
#include <vector>

namespace tollgate::http {

namespace {

struct BatchState
{
    std::vector<SendBatch::Member *> pending;
    bool posted = false;
};

BatchState &state()
{
    thread_local BatchState batch;
    return batch;
}

} // namespace

void SendBatch::Member::joinBatch()
{
    if (m_inBatch)
        return;
    m_inBatch = true;
    BatchState &batch = state();
    batch.pending.push_back(this);
    if (!batch.posted) {
        batch.posted = true;
        // The dispatcher lives as long as the thread: the posted run is never dropped.
        QMetaObject::invokeMethod(QAbstractEventDispatcher::instance(), &SendBatch::run, Qt::QueuedConnection);
    }
}

void SendBatch::Member::leaveBatch()
{
    if (!m_inBatch)
        return;
    m_inBatch = false;
    auto &pending = state().pending;
    std::replace(pending.begin(), pending.end(), this, static_cast<Member *>(nullptr));
}

void SendBatch::run()
{
    BatchState &batch = state();
    // By index: a member may join again (or another may join) while the batch runs, and one that
    // is destroyed meanwhile has nulled its own entry.
    for (size_t i = 0; i < batch.pending.size(); ++i) {
        Member *member = batch.pending[i];
        if (!member)
            continue;
        batch.pending[i] = nullptr;
        member->m_inBatch = false;
        member->sendBatched();
    }
    batch.pending.clear();
    batch.posted = false;
}

} // namespace tollgate::http
