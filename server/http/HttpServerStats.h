#pragma once

#include <atomic>

namespace tollgate::http {

// Counters the worker threads update and /metrics reads from any thread.
struct HttpServerStats
{
    std::atomic<int> openConnections{0};
    std::atomic<int> inFlight{0};
    // Connections that sent their last response and only wait for the client's FIN.
    std::atomic<int> lingering{0};
};

} // namespace tollgate::http
