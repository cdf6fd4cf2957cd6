#pragma once

#include <QJsonObject>

namespace tollgate::api {

// The OpenAPI 3 document of every route the server answers: /v1 (from the route table), health and metrics,
// the management and admin API (from ManagementApi::routes()), and itself.
QJsonObject openApiDocument();

} // namespace tollgate::api
