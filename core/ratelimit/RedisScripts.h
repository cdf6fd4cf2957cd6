#pragma once

#include <QByteArray>

namespace tollgate::RedisScripts {

// The decision, atomic in Redis, for several calls at once. KEYS: one sliding log per limit (slidingLog in the
// .cpp: one sorted set of weighted entries scored by Redis' own clock in ms, and their total), in call order.
// ARGV[1]: the number of calls; ARGV[2]: a name unique to this run; then per call: n, then n × (limit, window ms).
// Per call, drops what left each window, counts every window, and only when every count is below its limit admits
// the call into all of them. Reply: per call {admitted 0|1, now ms, then per key: count after the decision, reset ms}.
const QByteArray &decision();
const QByteArray &decisionSha();  // SHA-1 hex of decision(), as SCRIPT LOAD and EVALSHA name it

// An instance's heartbeat. KEYS[1] = <prefix>instance:<id>, KEYS[2] = <prefix>instances; ARGV: id, ttl ms.
// Reply: the instances seen within the ttl, this one included.
const QByteArray &heartbeat();

// Calls a local fallback admitted while Redis was away, written into the logs once it is back, so that the windows
// count them. KEYS: sliding logs; ARGV per key: limit, window ms, n, then n pairs (age ms, unique name). Reply: how many
// of the written calls lie beyond their limit now (admitted calls too many, measured after the fact).
const QByteArray &replay();

} // namespace tollgate::RedisScripts
