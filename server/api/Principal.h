#pragma once

#include <QString>

namespace tollgate::api {

// Who is calling the management API: a JWT subject, or an admin token.
struct Principal
{
    QString userId;  // JWT sub; empty for admin tokens
    QString plan;    // JWT plan claim; caps the tier of one's own keys
    QString actor;   // for the audit log: the user id or "admin-token:<name>"
    bool admin = false;
};

// The outcome of checking an Authorization header.
struct AuthOutcome
{
    bool ok = false;
    Principal principal;
    QString reason;  // for tollgate_auth_failures_total{reason}, when refused
    bool unavailable = false;  // the key store or JWKS could not be asked: 503, not 401
};

} // namespace tollgate::api
