#include "server/ops/MemoryPolicy.h"

#include <QtGlobal>

#include <malloc.h>

namespace tollgate::ops {

namespace {

// Fewer closed connections than this free too little to be worth walking every arena for.
constexpr int TrimAfterClosed = 64;

} // namespace

void MemoryPolicy::keepLargeBuffersMapped()
{
#ifdef __GLIBC__
    // Setting either value switches off glibc's dynamic adjustment of both (mallopt(3)).
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024);
#endif
}

void MemoryPolicy::tick(int openConnections)
{
    m_peak = qMax(m_peak, openConnections);
    if (m_peak - openConnections < TrimAfterClosed)
        return;
    m_peak = openConnections;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

} // namespace tollgate::ops
