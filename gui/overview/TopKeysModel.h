#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QList>

namespace tollgate::gui {

// Top keys today (GET /admin/usage/top-keys?days=1): name, user, tier, requests, credits. RawValueRole holds
// the plain value, so a sort proxy orders numbers as numbers and not as their German text.
class TopKeysModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, User, Tier, Requests, Credits, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole, KeyIdRole };

    struct Entry
    {
        QString keyId;
        QString name;
        QString userId;
        QString tier;
        qint64 requests = 0;
        qint64 credits = 0;
    };

    explicit TopKeysModel(QObject *parent = nullptr);

    void setKeys(const QJsonArray &keys);
    const QList<Entry> &keys() const { return m_keys; }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Entry> m_keys;
};

} // namespace tollgate::gui
