#include "gui/ConsoleTarget.h"

#include <QCoreApplication>

namespace tollgate::gui {

QString ConsoleTarget::describe() const
{
    if (embedded) {
        return QCoreApplication::translate("tollgate::gui::ConsoleTarget", "Embedded gateway on %1:%2")
            .arg(url.host())
            .arg(url.port());
    }
    return QCoreApplication::translate("tollgate::gui::ConsoleTarget", "Remote gateway %1")
        .arg(url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash));
}

} // namespace tollgate::gui
