#include "server/http/HttpHeaders.h"

namespace tollgate::http {

QByteArray HttpHeaders::value(QByteArrayView name) const
{
    for (const auto &field : fields) {
        if (nameEquals(field.first, name))
            return field.second;
    }
    return {};
}

bool HttpHeaders::contains(QByteArrayView name) const
{
    for (const auto &field : fields) {
        if (nameEquals(field.first, name))
            return true;
    }
    return false;
}

void HttpHeaders::add(QByteArray name, QByteArray value)
{
    fields.append({std::move(name), std::move(value)});
}

void HttpHeaders::set(QByteArray name, QByteArray value)
{
    qsizetype i = 0;
    for (; i < fields.size(); ++i) {
        if (nameEquals(fields.at(i).first, name))
            break;
    }
    if (i == fields.size()) {
        add(std::move(name), std::move(value));
        return;
    }
    fields[i] = {std::move(name), std::move(value)};
    for (qsizetype j = fields.size() - 1; j > i; --j) {
        if (nameEquals(fields.at(j).first, fields.at(i).first))
            fields.removeAt(j);
    }
}

void HttpHeaders::remove(QByteArrayView name)
{
    fields.removeIf([name](const QPair<QByteArray, QByteArray> &field) { return nameEquals(field.first, name); });
}

} // namespace tollgate::http
