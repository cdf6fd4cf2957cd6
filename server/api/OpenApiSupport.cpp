// Small builders shared by the OpenAPI module's parts.
#include "server/api/OpenApiParts.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace tollgate::api::openapi {

QJsonObject literal(const char *json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("OpenAPI literal does not parse at offset %d (%s): %.60s", error.offset, qPrintable(error.errorString()),
               json + qMax(0, error.offset - 30));
    return document.object();
}

QJsonObject ref(const char *kind, const QString &name)
{
    return QJsonObject{{QStringLiteral("$ref"), QStringLiteral("#/components/%1/%2").arg(QLatin1String(kind), name)}};
}

QJsonObject jsonContent(const QJsonObject &schema, const QJsonValue &example)
{
    QJsonObject media{{QStringLiteral("schema"), schema}};
    if (!example.isUndefined() && !example.isNull())
        media.insert(QStringLiteral("example"), example);
    return QJsonObject{{QStringLiteral("application/json"), media}};
}

QJsonObject envelope(const QJsonObject &data)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("required"), QJsonArray{QStringLiteral("data"), QStringLiteral("meta")}},
                       {QStringLiteral("properties"), QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("meta"), schemaRef("Meta")}}}};
}

QJsonObject param(const char *name, const char *in, const QJsonObject &schema, const char *description, bool required)
{
    return QJsonObject{{QStringLiteral("name"), QLatin1String(name)}, {QStringLiteral("in"), QLatin1String(in)},
                       {QStringLiteral("required"), required || QLatin1String(in) == QLatin1String("path")},
                       {QStringLiteral("description"), QLatin1String(description)}, {QStringLiteral("schema"), schema}};
}

QJsonObject type(const char *name, const char *extra)
{
    QJsonObject out = extra ? literal(extra) : QJsonObject();
    out.insert(QStringLiteral("type"), QLatin1String(name));
    return out;
}

QJsonObject errorResponses(const QStringList &names)
{
    // components/responses are named after their status: "400" → BadRequest, …
    static const QHash<QString, QString> byStatus{
        {QStringLiteral("400"), QStringLiteral("BadRequest")}, {QStringLiteral("401"), QStringLiteral("Unauthorized")},
        {QStringLiteral("402"), QStringLiteral("PaymentRequired")}, {QStringLiteral("403"), QStringLiteral("Forbidden")},
        {QStringLiteral("404"), QStringLiteral("NotFound")}, {QStringLiteral("413"), QStringLiteral("PayloadTooLarge")},
        {QStringLiteral("431"), QStringLiteral("RequestHeaderFieldsTooLarge")},
        {QStringLiteral("429"), QStringLiteral("TooManyRequests")}, {QStringLiteral("500"), QStringLiteral("InternalError")},
        {QStringLiteral("502"), QStringLiteral("BadGateway")}, {QStringLiteral("503"), QStringLiteral("ServiceUnavailable")},
        {QStringLiteral("504"), QStringLiteral("GatewayTimeout")}};
    QJsonObject out;
    for (const QString &status : names) {
        // A /v1 429 also carries the rate-limit fields; a management 429 (failed authentications) does not.
        const QString name = status.startsWith(QLatin1String("v1:")) ? QStringLiteral("V1") + byStatus.value(status.mid(3))
                                                                     : byStatus.value(status);
        out.insert(status.startsWith(QLatin1String("v1:")) ? status.mid(3) : status, ref("responses", name));
    }
    return out;
}

QString operationIdOf(const QByteArray &method, const QByteArray &path)
{
    QString id = QString::fromLatin1(method).toLower();
    bool upper = true;
    for (const char c : path) {
        if (c == '/' || c == '-' || c == '_' || c == '.' || c == '{' || c == '}') {
            upper = true;
            continue;
        }
        id += upper ? QChar::fromLatin1(c).toUpper() : QChar::fromLatin1(c);
        upper = false;
    }
    return id;
}

} // namespace tollgate::api::openapi
