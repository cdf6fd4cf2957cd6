#pragma once

#include "core/service/KeyService.h"
#include "core/storage/StorageError.h"
#include "server/api/ManagementApi.h"

#include <QDateTime>
#include <QFuture>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace tollgate::api {

// Runs `onDone` on the API's own thread once `future` has a value; storage errors become their HTTP answer.
template<typename T>
void whenDone(ManagementApi &api, const ManagementApi::Request &request, QFuture<T> future,
              std::function<void(const T &)> onDone)
{
    QPointer<QObject> context = api.threadContext();
    ManagementApi *self = &api;
    future
        .then(QtFuture::Launch::Sync, [context, onDone](const T &value) {
            QMetaObject::invokeMethod(context, [onDone, value] { onDone(value); }, Qt::QueuedConnection);
        })
        .onFailed([context, self, request](const StorageError &error) {
            QMetaObject::invokeMethod(context, [self, request, error] { self->failStorage(request, error); }, Qt::QueuedConnection);
        });
}

// Body fields, typed; a wrong type throws a BodyError naming the field (→ 400 INVALID_REQUEST).
struct BodyError
{
    QString message;
};

std::optional<QString> optionalString(const QJsonObject &body, const char *field);
// The fields POST /api-keys and POST /admin/api-keys share: name (required), description, tier (default free),
// isTest, expiresAt, allowedEndpoints, allowedIps. Throws BodyError naming the field.
void readKeyFields(const QJsonObject &body, CreateKeyRequest &create);
std::optional<bool> optionalBool(const QJsonObject &body, const char *field);
std::optional<QStringList> optionalStringList(const QJsonObject &body, const char *field);
// Present → a number (or null when allowNull: the inner optional is empty).
std::optional<std::optional<qint64>> optionalNumber(const QJsonObject &body, const char *field, bool allowNull, qint64 minimum);
// Present → an ISO 8601 time, or null (an invalid QDateTime) when allowNull.
std::optional<QDateTime> optionalTime(const QJsonObject &body, const char *field, bool allowNull);
int queryInt(const ManagementApi::Request &request, const char *name, int fallback, int minimum, int maximum);

} // namespace tollgate::api
