#pragma once

#include <QByteArray>

namespace tollgate::RedisScripts {

// The decision, atomic in Redis. KEYS: one sorted set per limit (a sliding log: one member per admitted call,
// scored by Redis' own clock in ms). ARGV[1]: the call's unique member; then limit and window (ms) per key.
// Drops what left each window, counts every window, and only when every count is below its limit adds the
// call to all of them. Reply: {admitted 0|1, now ms, then per key: count after the decision, reset ms}.
const QByteArray &decision();
const QByteArray &decisionSha();  // SHA-1 hex of decision(), as SCRIPT LOAD and EVALSHA name it

// An instance's heartbeat. KEYS[1] = <prefix>instance:<id>, KEYS[2] = <prefix>instances; ARGV: id, ttl ms.
// Reply: the instances seen within the ttl, this one included.
const QByteArray &heartbeat();

// Calls a local fallback admitted while Redis was away, written into the logs once it is back, so that the windows
// count them. KEYS: sorted sets; ARGV per key: limit, window ms, n, then n pairs (age ms, member). Reply: how many
// of the written calls lie beyond their limit now (admitted calls too many, measured after the fact).
const QByteArray &replay();

} // namespace tollgate::RedisScripts
