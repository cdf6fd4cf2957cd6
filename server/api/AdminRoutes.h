#pragma once

#include "server/api/ManagementApi.h"

namespace tollgate::api {

void adminCreateKey(ManagementApi &api, const ManagementApi::Request &request);
void adminRegenerateKey(ManagementApi &api, const ManagementApi::Request &request);
void adminUsageDaily(ManagementApi &api, const ManagementApi::Request &request);
void adminTopKeys(ManagementApi &api, const ManagementApi::Request &request);
void adminListKeys(ManagementApi &api, const ManagementApi::Request &request);
void adminShowKey(ManagementApi &api, const ManagementApi::Request &request);
void adminPatchKey(ManagementApi &api, const ManagementApi::Request &request);
void adminRevokeKey(ManagementApi &api, const ManagementApi::Request &request);
void adminUsageSummary(ManagementApi &api, const ManagementApi::Request &request);
void adminTopUsers(ManagementApi &api, const ManagementApi::Request &request);
void adminListTiers(ManagementApi &api, const ManagementApi::Request &request);
void adminReplaceTiers(ManagementApi &api, const ManagementApi::Request &request);
void adminAudit(ManagementApi &api, const ManagementApi::Request &request);
void adminStatus(ManagementApi &api, const ManagementApi::Request &request, const gateway::GatewayContext &context);

} // namespace tollgate::api
