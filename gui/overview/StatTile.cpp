#include "gui/overview/StatTile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace tollgate::gui {

StatTile::StatTile(const QString &objectName, QWidget *parent)
    : QFrame(parent), m_caption(new QLabel(this)), m_value(new QLabel(this)), m_detail(new QLabel(this))
{
    setObjectName(objectName);
    m_value->setObjectName(objectName + QStringLiteral("Value"));
    setFrameShape(QFrame::StyledPanel);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    big.setBold(true);
    m_value->setFont(big);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette muted = m_detail->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_detail->setPalette(muted);
    m_detail->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(2);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    setValue(QStringLiteral("—"));
}

void StatTile::setCaption(const QString &caption)
{
    m_caption->setText(caption);
    updateAccessibleName();
}

void StatTile::setValue(const QString &value)
{
    m_value->setText(value);
    updateAccessibleName();
}

void StatTile::setDetail(const QString &detail)
{
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
}

QString StatTile::value() const
{
    return m_value->text();
}

void StatTile::updateAccessibleName()
{
    setAccessibleName(QStringLiteral("%1: %2").arg(m_caption->text(), m_value->text()));  // untranslated: joins the translated caption and its value
}

} // namespace tollgate::gui
