#pragma once

#include "core/config/Settings.h"

namespace tollgate::cli {

// `tollgated serve` and `tollgate --headless`: runs the gateway until SIGTERM/SIGINT, then writes
// pending usage and exits 0. Needs a running QCoreApplication.
int serve(const Settings &settings);

} // namespace tollgate::cli
