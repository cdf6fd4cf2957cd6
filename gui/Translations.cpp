#include "gui/Translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace tollgate {

bool installTranslations(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    if (!translator->load(QLocale(), QStringLiteral("tollgate"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}

} // namespace tollgate
