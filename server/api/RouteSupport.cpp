#include "server/api/RouteSupport.h"

namespace tollgate::api {

namespace {

[[noreturn]] void wrongType(const char *field, const char *expected)
{
    throw BodyError{QStringLiteral("%1: must be %2").arg(QLatin1String(field), QLatin1String(expected))};
}

} // namespace

std::optional<QString> optionalString(const QJsonObject &body, const char *field)
{
    const QJsonValue value = body.value(QLatin1String(field));
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isString())
        wrongType(field, "a string");
    return value.toString();
}

std::optional<bool> optionalBool(const QJsonObject &body, const char *field)
{
    const QJsonValue value = body.value(QLatin1String(field));
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isBool())
        wrongType(field, "true or false");
    return value.toBool();
}

std::optional<QStringList> optionalStringList(const QJsonObject &body, const char *field)
{
    const QJsonValue value = body.value(QLatin1String(field));
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isArray())
        wrongType(field, "an array of strings");
    QStringList out;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString())
            wrongType(field, "an array of strings");
        out.append(item.toString());
    }
    return out;
}

std::optional<std::optional<qint64>> optionalNumber(const QJsonObject &body, const char *field, bool allowNull, qint64 minimum)
{
    const QJsonValue value = body.value(QLatin1String(field));
    if (value.isUndefined())
        return std::nullopt;
    if (value.isNull() && allowNull)
        return std::optional<qint64>();
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != double(qint64(number)) || qint64(number) < minimum)
        throw BodyError{QStringLiteral("%1: must be a whole number of at least %2%3")
                            .arg(QLatin1String(field)).arg(minimum).arg(allowNull ? QStringLiteral(", or null") : QString())};
    return std::optional<qint64>(qint64(number));
}

std::optional<QDateTime> optionalTime(const QJsonObject &body, const char *field, bool allowNull)
{
    const QJsonValue value = body.value(QLatin1String(field));
    if (value.isUndefined())
        return std::nullopt;
    if (value.isNull() && allowNull)
        return QDateTime();
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!value.isString() || !time.isValid())
        wrongType(field, allowNull ? "an ISO 8601 time (e.g. 2027-01-31T00:00:00Z) or null" : "an ISO 8601 time (e.g. 2027-01-31T00:00:00Z)");
    return time.toUTC();
}

int queryInt(const ManagementApi::Request &request, const char *name, int fallback, int minimum, int maximum)
{
    const QString text = request.query.value(QLatin1String(name));
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum || value > maximum)
        throw BodyError{QStringLiteral("%1: must be a whole number from %2 to %3").arg(QLatin1String(name)).arg(minimum).arg(maximum)};
    return value;
}

void readKeyFields(const QJsonObject &body, CreateKeyRequest &create)
{
    const auto name = optionalString(body, "name");
    if (!name || name->trimmed().isEmpty())
        throw BodyError{QStringLiteral("name: required")};
    create.name = *name;
    create.description = optionalString(body, "description").value_or(QString());
    create.tier = optionalString(body, "tier").value_or(QStringLiteral("free"));
    create.isTest = optionalBool(body, "isTest").value_or(false);
    create.expiresAt = optionalTime(body, "expiresAt", true).value_or(QDateTime());
    create.allowedEndpoints = optionalStringList(body, "allowedEndpoints").value_or(QStringList());
    create.allowedIps = optionalStringList(body, "allowedIps").value_or(QStringList());
}

} // namespace tollgate::api
