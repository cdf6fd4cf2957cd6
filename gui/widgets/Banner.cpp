#include "gui/widgets/Banner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace tollgate::gui {

Banner::Banner(QWidget *parent) : QFrame(parent), m_text(new QLabel(this)), m_retry(new QPushButton(this)),
                                  m_close(new QPushButton(this))
{
    setObjectName(QStringLiteral("banner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry->setObjectName(QStringLiteral("bannerRetry"));
    m_close->setObjectName(QStringLiteral("bannerClose"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_close);
    connect(m_retry, &QPushButton::clicked, this, &Banner::retryRequested);
    connect(m_close, &QPushButton::clicked, this, &Banner::clear);
    retranslate();
    hide();
}

void Banner::showMessage(Kind kind, const QString &message, bool retry)
{
    // The palette's own colours, so a dark system palette stays readable.
    QPalette palette = this->palette();
    const QColor base = palette.color(QPalette::Window);
    const QColor tint = kind == Kind::Error ? QColor(220, 50, 47) : kind == Kind::Warning ? QColor(203, 145, 0) : QColor(38, 139, 210);
    palette.setColor(QPalette::Window, QColor::fromRgbF(base.redF() * 0.8 + tint.redF() * 0.2, base.greenF() * 0.8 + tint.greenF() * 0.2,
                                                        base.blueF() * 0.8 + tint.blueF() * 0.2));
    setPalette(palette);
    m_text->setText(message);
    m_retry->setVisible(retry);
    m_close->setVisible(!retry);
    setAccessibleDescription(message);
    show();
}

void Banner::clear()
{
    m_text->clear();
    hide();
}

QString Banner::message() const
{
    return isVisible() ? m_text->text() : QString();
}

void Banner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void Banner::retranslate()
{
    m_retry->setText(tr("Retry"));
    m_close->setText(tr("Dismiss"));
    setAccessibleName(tr("Message"));
}

} // namespace tollgate::gui
