#include "core/auth/AuthLogging.h"

namespace tollgate::auth {
Q_LOGGING_CATEGORY(lcAuth, "tollgate.core.auth")
} // namespace tollgate::auth
