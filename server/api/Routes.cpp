// The management and admin routes: one table, read by the dispatcher and by the OpenAPI test.
#include "server/api/AdminRoutes.h"
#include "server/api/KeyRoutes.h"
#include "server/api/ManagementApi.h"

namespace tollgate::api {

const QList<ManagementApi::Route> &ManagementApi::routes()
{
    static const QList<Route> table{
        {"POST", "/api-keys", false, createKey},
        {"GET", "/api-keys", false, listOwnKeys},
        {"GET", "/api-keys/{id}", false, showOwnKey},
        {"PATCH", "/api-keys/{id}", false, patchOwnKey},
        {"DELETE", "/api-keys/{id}", false, revokeOwnKey},
        {"POST", "/api-keys/{id}/regenerate", false, regenerateOwnKey},
        {"GET", "/api-keys/{id}/usage", false, ownUsage},
        {"GET", "/api-keys/{id}/usage/summary", false, ownUsageSummary},
        {"POST", "/admin/api-keys", true, adminCreateKey},
        {"GET", "/admin/api-keys", true, adminListKeys},
        {"GET", "/admin/api-keys/{id}", true, adminShowKey},
        {"PATCH", "/admin/api-keys/{id}", true, adminPatchKey},
        {"DELETE", "/admin/api-keys/{id}", true, adminRevokeKey},
        {"POST", "/admin/api-keys/{id}/regenerate", true, adminRegenerateKey},
        {"GET", "/admin/usage/summary", true, adminUsageSummary},
        {"GET", "/admin/usage/daily", true, adminUsageDaily},
        {"GET", "/admin/usage/top-users", true, adminTopUsers},
        {"GET", "/admin/usage/top-keys", true, adminTopKeys},
        {"GET", "/admin/tiers", true, adminListTiers},
        {"PUT", "/admin/tiers", true, adminReplaceTiers},
        {"GET", "/admin/audit", true, adminAudit},
        {"GET", "/admin/status", true, [](ManagementApi &api, const Request &request) { adminStatus(api, request, api.context()); }},
    };
    return table;
}

} // namespace tollgate::api
