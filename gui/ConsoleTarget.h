#pragma once

#include <QString>
#include <QUrl>

namespace tollgate::gui {

// Which gateway the console manages, said plainly in the title and the status bar.
struct ConsoleTarget
{
    QUrl url;              // the API base: http://127.0.0.1:3030 embedded, the --connect URL remote
    bool embedded = false;
    QString database;      // embedded: the database it runs on (redacted); remote: empty until /admin/status says

    // "Embedded gateway on 127.0.0.1:3030" / "Remote gateway https://gw.example:8443"
    QString describe() const;
};

} // namespace tollgate::gui
