#pragma once

#include <QFrame>

class QLabel;

namespace tollgate::gui {

// One of the Overview's tiles: a caption, a big number and a line that says what it counts.
class StatTile : public QFrame
{
    Q_OBJECT

public:
    explicit StatTile(const QString &objectName, QWidget *parent = nullptr);

    void setCaption(const QString &caption);
    void setValue(const QString &value);
    void setDetail(const QString &detail);
    QString value() const;
    QLabel *valueLabel() const { return m_value; }

private:
    void updateAccessibleName();

    QLabel *m_caption;
    QLabel *m_value;
    QLabel *m_detail;
};

} // namespace tollgate::gui
