#include "gui/usage/KeyPicker.h"

#include "gui/client/AdminClient.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>

namespace tollgate::gui {

KeyPicker::KeyPicker(AdminClient *client, QWidget *parent) : QComboBox(parent), m_client(client)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(28);
    // The API has filtered already (it also matches ids and the last 4 characters, which the text may not show).
    auto *completer = new QCompleter(this);
    completer->setModel(model());
    completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    setCompleter(completer);
    addItem(QString(), QString());

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &KeyPicker::search);
    connect(lineEdit(), &QLineEdit::textEdited, this, &KeyPicker::onTextEdited);
    connect(this, &QComboBox::activated, this, &KeyPicker::onActivated);
    retranslate();
}

void KeyPicker::retranslate()
{
    setItemText(0, tr("All keys"));
    if (m_keyId.isEmpty() && currentIndex() == 0)
        lineEdit()->setText(itemText(0));
    lineEdit()->setPlaceholderText(tr("Search keys by name, user or last 4…"));
    setAccessibleName(tr("Key"));
    setToolTip(tr("All keys, or type to find one key by its name, id, user or last 4 characters"));
}

QString KeyPicker::searchText() const
{
    const QString text = lineEdit()->text().trimmed();
    // The shown choice itself is not a search.
    if (text == itemText(0) || (!m_keyLabel.isEmpty() && text == m_keyLabel))
        return {};
    return text;
}

void KeyPicker::onTextEdited(const QString &)
{
    m_debounce.start();
}

void KeyPicker::search()
{
    m_debounce.stop();
    if (!m_client)
        return;
    if (m_call)
        m_call->abort();
    QUrlQuery query;
    const QString text = searchText();
    if (!text.isEmpty())
        query.addQueryItem(QStringLiteral("q"), text);
    query.addQueryItem(QStringLiteral("limit"), QString::number(SearchLimit));
    ApiCall *call = m_client->get(QStringLiteral("/admin/api-keys"), query);
    m_call = call;
    connect(call, &ApiCall::succeeded, this, [this](const QJsonValue &data) { fill(data.toArray()); });
    connect(call, &ApiCall::failed, this, [this](const ApiError &error) {
        if (!error.isAborted())
            Q_EMIT searchFailed(error.message);
    });
}

void KeyPicker::fill(const QJsonArray &keys)
{
    // Refill under the admin's typing: the text and cursor stay as they were.
    const QString text = lineEdit()->text();
    const int cursor = lineEdit()->cursorPosition();
    {
        const QSignalBlocker blocker(this);
        while (count() > 1)
            removeItem(count() - 1);
        bool chosenListed = m_keyId.isEmpty();
        for (const QJsonValue &value : keys) {
            const QJsonObject key = value.toObject();
            const QString id = key.value(QStringLiteral("id")).toString();
            const QString label = tr("%1 · %2 · %3")
                                      .arg(key.value(QStringLiteral("name")).toString(),
                                           key.value(QStringLiteral("maskedKey")).toString(),
                                           key.value(QStringLiteral("userId")).toString());
            addItem(label, id);
            setItemData(count() - 1, id, Qt::ToolTipRole);
            chosenListed = chosenListed || id == m_keyId;
        }
        if (!chosenListed)
            addItem(m_keyLabel, m_keyId);
        setCurrentIndex(qMax(0, findData(m_keyId)));
        lineEdit()->setText(text);
        lineEdit()->setCursorPosition(cursor);
    }
    if (lineEdit()->hasFocus() && !searchText().isEmpty())
        completer()->complete();
}

void KeyPicker::onActivated(int index)
{
    selectKey(itemData(index).toString(), itemText(index));
}

void KeyPicker::selectKey(const QString &id, const QString &label)
{
    int index = findData(id);
    if (index < 0) {
        addItem(label.isEmpty() ? id : label, id);
        index = count() - 1;
    }
    {
        const QSignalBlocker blocker(this);
        setCurrentIndex(index);
    }
    lineEdit()->setText(itemText(index));
    if (id == m_keyId)
        return;
    m_keyId = id;
    m_keyLabel = id.isEmpty() ? QString() : itemText(index);
    Q_EMIT keyChanged(id);
}

} // namespace tollgate::gui
