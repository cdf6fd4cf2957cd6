#include "server/gateway/WavDuration.h"

#include <QtEndian>

namespace tollgate::gateway {

std::optional<double> wavDurationSeconds(const QByteArray &head)
{
    qsizetype riff = head.indexOf("RIFF");
    while (riff >= 0) {
        if (riff + 12 <= head.size() && head.mid(riff + 8, 4) == "WAVE") {
            quint32 byteRate = 0;
            qsizetype pos = riff + 12;
            while (pos + 8 <= head.size()) {
                const QByteArray id = head.mid(pos, 4);
                const quint32 size = qFromLittleEndian<quint32>(head.constData() + pos + 4);
                if (id == "fmt " && pos + 8 + 12 <= head.size())
                    byteRate = qFromLittleEndian<quint32>(head.constData() + pos + 8 + 8);
                if (id == "data")
                    return byteRate > 0 ? std::optional<double>(double(size) / byteRate) : std::nullopt;
                pos += 8 + qsizetype(size) + (size & 1);
            }
            return std::nullopt;
        }
        riff = head.indexOf("RIFF", riff + 4);
    }
    return std::nullopt;
}

} // namespace tollgate::gateway
