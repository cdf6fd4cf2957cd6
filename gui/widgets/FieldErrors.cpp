#include "gui/widgets/FieldErrors.h"

#include "gui/widgets/ToneColors.h"
#include <QLabel>
#include <QRegularExpression>
#include <QWidget>

namespace tollgate::gui {

FieldErrors::FieldErrors(QObject *parent) : QObject(parent)
{
}

QLabel *FieldErrors::addField(const QString &field, QWidget *widget, QWidget *labelParent)
{
    auto *label = new QLabel(labelParent);
    label->setObjectName(field + QStringLiteral("Error"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, toneColor(Tone::Error, palette));
    label->setPalette(palette);
    label->setVisible(false);
    m_fields.insert(field, {widget, label});
    return label;
}

void FieldErrors::alias(const QString &apiName, const QString &field)
{
    m_aliases.insert(apiName, field);
}

void FieldErrors::setError(const QString &field, const QString &message)
{
    const auto it = m_fields.constFind(field);
    if (it == m_fields.constEnd() || !it->label)
        return;
    it->label->setText(message);
    it->label->setVisible(!message.isEmpty());
    if (it->widget)
        it->widget->setAccessibleDescription(message);
}

void FieldErrors::clearAll()
{
    for (auto it = m_fields.constBegin(); it != m_fields.constEnd(); ++it)
        setError(it.key(), {});
}

QString FieldErrors::error(const QString &field) const
{
    const Field f = m_fields.value(field);
    return f.label ? f.label->text() : QString();
}

bool FieldErrors::hasErrors() const
{
    for (const Field &f : m_fields) {
        if (f.label && !f.label->text().isEmpty())
            return true;
    }
    return false;
}

QPair<QString, QString> FieldErrors::split(const QString &message)
{
    static const QRegularExpression named(QStringLiteral(R"(^([A-Za-z_][A-Za-z0-9_]*)(?:\[\d+\])?(?:\.[A-Za-z0-9_]+)*:\s*(.+)$)"),
                                          QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = named.match(message);
    if (!match.hasMatch())
        return {};
    return {match.captured(1), match.captured(2)};
}

bool FieldErrors::showApiError(const ApiError &error)
{
    if (error.status != 400)
        return false;
    const auto [name, text] = split(error.message);
    const QString field = m_aliases.value(name, name);
    const auto it = m_fields.constFind(field);
    if (name.isEmpty() || it == m_fields.constEnd())
        return false;
    QString shown = text;
    if (!shown.isEmpty())
        shown[0] = shown[0].toUpper();
    setError(field, shown);
    if (it->widget)
        it->widget->setFocus(Qt::OtherFocusReason);
    return true;
}

} // namespace tollgate::gui
