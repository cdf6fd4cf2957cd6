#pragma once

#include "core/service/KeyService.h"
#include "core/storage/UsageStore.h"
#include "server/api/ManagementApi.h"

#include <QJsonArray>

namespace tollgate::api {

// Handlers of the management API's routes (see ManagementApi::routes()).
void createKey(ManagementApi &api, const ManagementApi::Request &request);
void listOwnKeys(ManagementApi &api, const ManagementApi::Request &request);
void showOwnKey(ManagementApi &api, const ManagementApi::Request &request);
void patchOwnKey(ManagementApi &api, const ManagementApi::Request &request);
void revokeOwnKey(ManagementApi &api, const ManagementApi::Request &request);
void regenerateOwnKey(ManagementApi &api, const ManagementApi::Request &request);
void ownUsage(ManagementApi &api, const ManagementApi::Request &request);
void ownUsageSummary(ManagementApi &api, const ManagementApi::Request &request);

// Shared with the admin routes.
void listKeys(ManagementApi &api, const ManagementApi::Request &request, const KeyFilter &base);
void applyPatch(ManagementApi &api, const ManagementApi::Request &request, const KeyPatch &patch);
void revoke(ManagementApi &api, const ManagementApi::Request &request);
// POST …/{id}/regenerate without the ownership check (graceSeconds from the body).
void regenerate(ManagementApi &api, const ManagementApi::Request &request);
// The key document with the ledger's live creditsUsed/creditsRemaining (what the next /v1 call sees) when the
// ledger holds the key, else the stored ones.
QJsonObject keyJson(ManagementApi &api, const KeyView &view);
// Reloads the key into this instance's cache and ledger, then answers with keyJson (wrapped as
// {"key","apiKey"} when rawKey is not null).
void respondReloaded(ManagementApi &api, const ManagementApi::Request &request, int status, const KeyView &view,
                     const QString &rawKey = QString());
QJsonObject outcomesJson(const UsageCounters &counters);
QJsonObject usageRowJson(const UsageRow &row);
QString fromDay(int days);
QJsonObject totalsJson(const QList<UsageRow> &rows);
QJsonArray usageJson(const QList<UsageRow> &rows);

} // namespace tollgate::api
