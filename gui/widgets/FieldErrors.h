#pragma once

#include "gui/client/ApiError.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QLabel;
class QWidget;

namespace tollgate::gui {

// Messages at the field they are about: the form's own checks as the user types, and the gateway's 400
// answers, which start with the field's name ("allowedIps: …", "tiers[0].slug: …").
class FieldErrors : public QObject
{
    Q_OBJECT

public:
    explicit FieldErrors(QObject *parent = nullptr);

    // A red, word-wrapped label for the field (objectName "<field>Error"), hidden while there is nothing to say.
    QLabel *addField(const QString &field, QWidget *widget, QWidget *labelParent);
    // Another API name for a field already added ("user" → "userId").
    void alias(const QString &apiName, const QString &field);

    void setError(const QString &field, const QString &message);
    void clear(const QString &field) { setError(field, {}); }
    void clearAll();
    QString error(const QString &field) const;
    bool hasErrors() const;

    // A 400 whose message names one of the fields: shown there (without the name), focus moved to it; true.
    bool showApiError(const ApiError &error);
    // "allowedIps: must be…" → {"allowedIps", "must be…"}; empty field when the message names none.
    static QPair<QString, QString> split(const QString &message);

private:
    struct Field
    {
        QPointer<QWidget> widget;
        QPointer<QLabel> label;
    };
    QHash<QString, Field> m_fields;
    QHash<QString, QString> m_aliases;
};

} // namespace tollgate::gui
