#include "gui/health/StatusDot.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace tollgate::gui {

QColor lightColor(Light light)
{
    switch (light) {
    case Light::Up:
        return QColor(0x2e, 0x9d, 0x4f);
    case Light::Down:
        return QColor(0xd6, 0x37, 0x2b);
    case Light::Degraded:
        return QColor(0xe0, 0xa1, 0x1b);
    case Light::Disabled:
    case Light::NotChecked:
        return QColor(0x8a, 0x8f, 0x98);
    case Light::Unknown:
        break;
    }
    return QColor(0xe0, 0xa1, 0x1b);
}

QIcon lightIcon(Light light)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(light));
    if (it != cache.end())
        return *it;
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor color = lightColor(light);
        painter.setPen(QPen(color.darker(130), size / 12.0));
        // Not checked yet: a ring, no fill — nothing is known yet.
        if (light == Light::NotChecked)
            painter.setBrush(Qt::NoBrush);
        else
            painter.setBrush(light == Light::Unknown || light == Light::Disabled ? QBrush(color.lighter(120)) : QBrush(color));
        const qreal margin = size * 0.2;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return *cache.insert(int(light), icon);
}

} // namespace tollgate::gui
