#pragma once

#include <QLocale>
#include <QObject>
#include <QString>

class QTranslator;

namespace tollgate::gui {

// The console's language: English (the source) or German, with Qt's own translation of its standard buttons
// and dialogs (qtbase_de). Switching installs the new translators at once; every widget then gets a
// LanguageChange event and retranslates itself, so no restart is needed. The choice is remembered.
class Language : public QObject
{
    Q_OBJECT

public:
    explicit Language(QObject *parent = nullptr);
    ~Language() override;

    // "en" or "de". The first start follows the system locale.
    static QString saved();
    static QStringList available() { return {QStringLiteral("en"), QStringLiteral("de")}; }
    // The language's own name, for the Settings combo: "English", "Deutsch".
    static QString nativeName(const QString &code);

    // Installs code's translators (replacing the current ones) and makes QLocale follow it, so numbers
    // and dates read 1.234,5 and 01.12.2026 in German. remember: also save it as the choice.
    bool apply(const QString &code, bool remember = true);
    QString current() const { return m_current; }

Q_SIGNALS:
    void changed(const QString &code);

private:
    void removeTranslators();

    QString m_current;
    QTranslator *m_app = nullptr;
    QTranslator *m_qt = nullptr;
};

} // namespace tollgate::gui
