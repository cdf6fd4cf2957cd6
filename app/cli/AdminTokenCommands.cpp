#include "app/cli/Commands.h"
#include "app/cli/TextTable.h"

#include <QJsonArray>

namespace tollgate::cli {

int runAdminToken(Context &c, const QString &action)
{
    if (action == QLatin1String("create")) {
        const CreatedAdminToken created = c.keys.createAdminToken(c.requiredOption("name"), QStringLiteral("cli")).result();
        if (c.json) {
            c.printJson(QJsonObject{{QStringLiteral("token"), created.rawToken}, {QStringLiteral("adminToken"), created.token.toJson()}});
            return 0;
        }
        c.out << "Created admin token " << created.token.id << " (" << created.token.name << ").\n\n  " << created.rawToken
              << "\n\nThis is the only time the token is shown. Store it now: only its hash is kept.\n";
        return 0;
    }
    if (action == QLatin1String("list")) {
        const QList<AdminToken> tokens = c.keys.listAdminTokens().result();
        if (c.json) {
            QJsonArray array;
            for (const AdminToken &token : tokens)
                array.append(token.toJson());
            c.printJson(array);
            return 0;
        }
        TextTable table({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("TOKEN"), QStringLiteral("STATUS"), QStringLiteral("CREATED")});
        for (const AdminToken &token : tokens) {
            table.addRow({token.id, token.name, token.prefix + QStringLiteral("…") + token.last4,
                          token.isActive() ? QStringLiteral("active") : QStringLiteral("revoked"), toIsoUtc(token.createdAt)});
        }
        table.print(c.out);
        return 0;
    }
    if (action == QLatin1String("revoke")) {
        const AdminToken token = c.keys.revokeAdminToken(c.arg(0, "ID"), QStringLiteral("cli")).result();
        if (c.json)
            c.printJson(token.toJson());
        else
            c.out << "Revoked admin token " << token.id << " (" << token.name << ").\n";
        return 0;
    }
    throw UsageError{QStringLiteral("unknown command \"admin-token %1\" (create, list, revoke)").arg(action)};
}

} // namespace tollgate::cli
