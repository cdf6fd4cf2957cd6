#include "app/cli/Commands.h"
#include "app/cli/TextTable.h"

#include <QJsonArray>

namespace tollgate::cli {

namespace {

QString orDash(const QString &text) { return text.isEmpty() ? QStringLiteral("-") : text; }

QString joinedOrAll(const QJsonValue &value, const QString &none)
{
    QStringList items;
    for (const QJsonValue &item : value.toArray())
        items.append(item.toString());
    return items.isEmpty() ? none : items.join(QLatin1Char(','));
}

void printKey(QTextStream &out, const QJsonObject &key)
{
    printFields(out, {
        {QStringLiteral("id"), key[QLatin1String("id")].toString()},
        {QStringLiteral("name"), key[QLatin1String("name")].toString()},
        {QStringLiteral("user"), key[QLatin1String("userId")].toString()},
        {QStringLiteral("tier"), key[QLatin1String("tier")].toString()},
        {QStringLiteral("key"), key[QLatin1String("maskedKey")].toString()},
        {QStringLiteral("test"), key[QLatin1String("isTest")].toBool() ? QStringLiteral("yes") : QStringLiteral("no")},
        {QStringLiteral("status"), key[QLatin1String("status")].toString()},
        {QStringLiteral("rate limit"), QStringLiteral("%1 per %2 s").arg(key[QLatin1String("rateLimit")].toInt())
                                            .arg(key[QLatin1String("rateWindowSeconds")].toInt())},
        {QStringLiteral("credits"), QStringLiteral("%1 used, %2 remaining of %3 this month")
                                        .arg(key[QLatin1String("creditsUsed")].toInteger())
                                        .arg(key[QLatin1String("creditsRemaining")].toInteger())
                                        .arg(key[QLatin1String("monthlyCredits")].toInteger())},
        {QStringLiteral("endpoints"), joinedOrAll(key[QLatin1String("allowedEndpoints")], QStringLiteral("none"))},
        {QStringLiteral("allowed IPs"), joinedOrAll(key[QLatin1String("allowedIps")], QStringLiteral("any"))},
        {QStringLiteral("expires"), orDash(key[QLatin1String("expiresAt")].toString())},
        {QStringLiteral("last used"), orDash(key[QLatin1String("lastUsedAt")].toString())},
        {QStringLiteral("created"), key[QLatin1String("createdAt")].toString()},
    });
}

int create(Context &c)
{
    CreateKeyRequest request;
    request.userId = c.requiredOption("user");
    request.name = c.requiredOption("name");
    if (c.parser.isSet(QStringLiteral("tier")))
        request.tier = c.parser.value(QStringLiteral("tier"));
    request.isTest = c.parser.isSet(QStringLiteral("test"));
    if (c.parser.isSet(QStringLiteral("expires"))) {
        const QString text = c.parser.value(QStringLiteral("expires"));
        request.expiresAt = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!request.expiresAt.isValid())
            request.expiresAt = QDateTime::fromString(text, Qt::ISODate);
        if (!request.expiresAt.isValid())
            throw UsageError{QStringLiteral("--expires: \"%1\" is not an ISO 8601 time, e.g. 2027-01-31T00:00:00Z").arg(text)};
        request.expiresAt = request.expiresAt.toUTC();
    }
    request.allowedEndpoints = c.listOption("endpoints");
    request.allowedIps = c.listOption("ips");

    const CreatedKey created = c.keys.createKey(request, QStringLiteral("cli")).result();
    const QDateTime at = QDateTime::currentDateTimeUtc();
    if (c.json) {
        c.printJson(created.toJson(at));
        return 0;
    }
    c.out << "Created " << created.view.key.id << " for user " << created.view.key.userId << " (tier "
          << created.view.key.tier << ").\n\n"
          << "  " << created.rawKey << "\n\n"
          << "This is the only time the key is shown. Store it now: only its hash is kept.\n";
    return 0;
}

int list(Context &c)
{
    KeyFilter filter;
    filter.userId = c.parser.value(QStringLiteral("user"));
    const QList<KeyView> views = c.keys.listKeys(filter).result();
    const QDateTime at = QDateTime::currentDateTimeUtc();
    if (c.json) {
        QJsonArray array;
        for (const KeyView &view : views)
            array.append(view.toJson(at));
        c.printJson(array);
        return 0;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("USER"), QStringLiteral("TIER"),
                     QStringLiteral("KEY"), QStringLiteral("STATUS"), QStringLiteral("CREDITS LEFT"), QStringLiteral("CREATED")});
    for (const KeyView &view : views) {
        table.addRow({view.key.id, view.key.name, view.key.userId, view.key.tier, view.key.maskedKey(),
                      keyStatusName(view.key.statusAt(at)),
                      QStringLiteral("%1/%2").arg(view.creditsRemaining()).arg(view.key.effectiveMonthlyCredits(view.tier) + view.creditsGranted),
                      toIsoUtc(view.key.createdAt)});
    }
    table.print(c.out);
    return 0;
}

int showResult(Context &c, const KeyView &view, const QString &headline)
{
    const QJsonObject json = view.toJson(QDateTime::currentDateTimeUtc());
    if (c.json) {
        c.printJson(json);
        return 0;
    }
    if (!headline.isEmpty())
        c.out << headline << "\n";
    printKey(c.out, json);
    return 0;
}

} // namespace

int runKeys(Context &c, const QString &action)
{
    if (action == QLatin1String("create"))
        return create(c);
    if (action == QLatin1String("list"))
        return list(c);
    if (action == QLatin1String("show"))
        return showResult(c, c.keys.showKey(c.arg(0, "ID")).result(), {});
    if (action == QLatin1String("revoke")) {
        const QString id = c.arg(0, "ID");
        return showResult(c, c.keys.revokeKey(id, QStringLiteral("cli")).result(), QStringLiteral("Revoked %1.").arg(id));
    }
    if (action == QLatin1String("grant")) {
        const QString id = c.arg(0, "ID");
        const qint64 credits = c.number(c.arg(1, "CREDITS"), "CREDITS", 1);
        return showResult(c, c.keys.grantCredits(id, credits, QStringLiteral("cli")).result(),
                          QStringLiteral("Granted %1 credits to %2 for this month.").arg(credits).arg(id));
    }
    throw UsageError{QStringLiteral("unknown command \"keys %1\" (create, list, show, revoke, grant)").arg(action)};
}

} // namespace tollgate::cli
