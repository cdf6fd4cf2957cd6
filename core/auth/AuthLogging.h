#pragma once

#include <QLoggingCategory>

namespace tollgate::auth {
// "tollgate.core.auth": JWKS fetches and refused tokens (reasons only, never the token).
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
} // namespace tollgate::auth
