#pragma once

namespace tollgate::ops {

// The gateway holds request bodies of up to 1 MiB per connection while a call is admitted, so a burst of
// connections can take hundreds of MB for a while. MemoryPolicy makes sure that memory goes back to the
// system once those connections are gone (measured in tst_bodyflood: 200 held bodies, 212 MB at the peak;
// left to glibc's defaults, the daemon stayed at 32 MB afterwards instead of its 18).
class MemoryPolicy
{
public:
    // glibc raises its mmap threshold each time a large block is freed, so later bodies come from the heap
    // arenas and stay there. A fixed threshold keeps every large buffer in its own mapping, returned on free.
    // Process-wide; called when a gateway starts listening.
    static void keepLargeBuffersMapped();

    // Called about once a second with the open connection count. Once many connections have closed since
    // the last peak, what the arenas hold free (the smaller per-connection buffers) is given back too.
    void tick(int openConnections);

private:
    int m_peak = 0;
};

} // namespace tollgate::ops
