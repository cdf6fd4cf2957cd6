#pragma once

// The pieces server/api/OpenApi.cpp assembles into the document: shared components (schemas, headers, responses,
// security schemes), the /v1 operations and the management operations. Internal to the OpenAPI module.

#include "server/api/ManagementApi.h"
#include "server/gateway/Route.h"

#include <QJsonArray>
#include <QJsonObject>

namespace tollgate::api::openapi {

// A JSON literal of this module, parsed; a typo in one is a programming error and stops the process at once
// (every test that fetches /openapi.json would see it), rather than serving a silently truncated document.
QJsonObject literal(const char *json);
QJsonObject ref(const char *kind, const QString &name);
inline QJsonObject schemaRef(const char *name) { return ref("schemas", QLatin1String(name)); }
// {"application/json": {"schema": …, "example": …}}
QJsonObject jsonContent(const QJsonObject &schema, const QJsonValue &example = {});
// The {"data": …, "meta": …} envelope of management answers.
QJsonObject envelope(const QJsonObject &data);
QJsonObject param(const char *name, const char *in, const QJsonObject &schema, const char *description, bool required = false);
// A JSON Schema type with optional extra keywords: type("integer", R"({"minimum": 1})").
QJsonObject type(const char *name, const char *extra = nullptr);
// What every documented error status of a /v1 or management call answers: $refs to components/responses.
QJsonObject errorResponses(const QStringList &names);

QJsonObject components();
QJsonObject v1Operation(const gateway::Route &route);
QJsonObject managementOperation(const ManagementApi::Route &route);
QJsonObject billingWebhookOperation();
// "POST /v1/extract/bulk" → "postV1ExtractBulk": the fallback operationId of a route without a hand-picked one.
QString operationIdOf(const QByteArray &method, const QByteArray &path);

} // namespace tollgate::api::openapi
