#include "gui/settings/Language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLoggingCategory>
#include <QSettings>
#include <QTranslator>

Q_LOGGING_CATEGORY(lcLanguage, "tollgate.gui.language")

namespace tollgate::gui {

namespace {
const QString LanguageKey = QStringLiteral("ui/language");
}

Language::Language(QObject *parent) : QObject(parent)
{
}

Language::~Language()
{
    removeTranslators();
}

QString Language::saved()
{
    const QString stored = QSettings().value(LanguageKey).toString();
    if (available().contains(stored))
        return stored;
    return QLocale::system().language() == QLocale::German ? QStringLiteral("de") : QStringLiteral("en");
}

QString Language::nativeName(const QString &code)
{
    return code == QLatin1String("de") ? QStringLiteral("Deutsch") : QStringLiteral("English");
}

bool Language::apply(const QString &code, bool remember)
{
    if (!available().contains(code))
        return false;
    removeTranslators();
    const QLocale locale(code == QLatin1String("de") ? QLocale::German : QLocale::English,
                         code == QLatin1String("de") ? QLocale::Germany : QLocale::UnitedStates);
    QLocale::setDefault(locale);
    bool ok = true;
    // English is the source language; its file holds only the plural forms ("1 key", "%n keys").
    m_app = new QTranslator(this);
    if (m_app->load(locale, QStringLiteral("tollgate"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(m_app);
    } else {
        qCWarning(lcLanguage) << "no console translation for" << code;
        ok = false;
    }
    if (code != QLatin1String("en")) {
        m_qt = new QTranslator(this);
        if (m_qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(m_qt);
        else
            qCWarning(lcLanguage) << "Qt's own translation for" << code << "is not installed (qt6-translations-l10n)";
    }
    m_current = code;
    if (remember)
        QSettings().setValue(LanguageKey, code);
    Q_EMIT changed(code);
    return ok;
}

void Language::removeTranslators()
{
    for (QTranslator **translator : {&m_app, &m_qt}) {
        if (*translator) {
            QCoreApplication::removeTranslator(*translator);
            delete *translator;
            *translator = nullptr;
        }
    }
}

} // namespace tollgate::gui
