#pragma once

namespace tollgate::ops {

class MetricsRegistry;

// The standard process_* series every Prometheus client library exports (CPU seconds, resident and virtual
// memory, open and maximum file descriptors, start time), read from /proc when scraped, and
// tollgate_process_resident_memory_bytes (the same resident memory), and tollgate_build_info{version,qt} 1, so dashboards can tell versions apart during a rolling upgrade.
void registerProcessMetrics(MetricsRegistry &registry);

} // namespace tollgate::ops
