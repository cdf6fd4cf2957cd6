#pragma once

#include <QByteArray>

#include <optional>

namespace tollgate::gateway {

// Seconds of audio in a WAV file whose header lies somewhere in `head` (the start of an upload, possibly
// inside a multipart body): the data chunk's size over the fmt chunk's byte rate. nullopt if none is found.
std::optional<double> wavDurationSeconds(const QByteArray &head);

} // namespace tollgate::gateway
