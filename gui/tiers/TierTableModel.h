#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace tollgate::gui {

// The tiers as GET /admin/tiers gave them, edited in place until Save. Each row keeps the whole JSON object it
// came from, so fields this console does not know (a newer gateway's) go back to PUT unchanged: PUT takes
// exactly what GET returns. A value is checked when it is set (setData refuses it and says why in refused());
// a cell whose value differs from the saved one is bold, and so is a tier not yet saved.
class TierTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Slug, Name, Rate, Window, Credits, Endpoints, EndpointLimits, Price, ColumnCount };
    static constexpr int RawRole = Qt::UserRole;       // int, qint64, QStringList: for sorting and tests
    static constexpr int ChangedRole = Qt::UserRole + 1;

    explicit TierTableModel(QObject *parent = nullptr);

    // The saved state (after GET, or the answer of a PUT): edits are dropped.
    void setTiers(const QJsonArray &tiers);
    // The edited list, as PUT /admin/tiers takes it.
    QJsonArray tiers() const;
    bool hasChanges() const { return tiers() != m_saved; }
    void revert();
    // A new tier with a free slug ("new-tier", "new-tier-2", …) and sensible values; returns its row.
    int addTier();
    void removeTier(int row);
    QStringList removedSlugs() const;
    void retranslate();

    static const QStringList &endpointGroups();
    // {"stt": {"rate": 5, "windowSeconds": 3600}} as the CLI writes it: "stt=5/3600", comma-separated.
    static QString limitsText(const QJsonObject &limits);
    static QString columnKey(int column);
    // Empty when the value is fine for the cell, else a readable sentence; *normalized receives the JSON value.
    QString check(int row, int column, const QVariant &value, QJsonValue *normalized = nullptr) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    // setData refused a value: the sentence says which rule it broke.
    void refused(const QModelIndex &index, const QString &message);
    // Edits began or ended (after setData, add, remove, revert, setTiers).
    void changesChanged(bool hasChanges);

private:
    struct Row
    {
        QJsonObject current;
        int saved = -1;  // index into m_saved; -1 for a tier added here
    };
    QString display(const Row &row, int column) const;
    QJsonValue savedValue(const Row &row, int column) const;
    bool isChanged(const Row &row, int column) const;
    void notifyChanges();

    QList<Row> m_rows;
    QJsonArray m_saved;
    bool m_hadChanges = false;
};

} // namespace tollgate::gui
