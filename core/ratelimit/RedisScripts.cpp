#include "core/ratelimit/RedisScripts.h"

#include <QCryptographicHash>

namespace tollgate::RedisScripts {

const QByteArray &decision()
{
    // Redis' TIME, not the caller's clock: instances whose clocks disagree still share one timeline.
    // replicate_commands() is what Redis before 5 needs for a script that reads TIME and then writes; 7 ignores it.
    // Several decisions per run (all those one event-loop thread had waiting): a script run costs Redis more than
    // the few commands of one decision. They are taken in order, so each sees the calls the ones before it admitted.
    // ARGV: count of decisions, then per decision: member, number of limits n, then n × (limit, window ms);
    // KEYS: the n keys of each decision, in the same order. Reply: per decision {admitted, now, count, reset, …}.
    static const QByteArray script = QByteArrayLiteral(R"lua(
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local a = 2
local k = 0
for d = 1, tonumber(ARGV[1]) do
  local member = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  local limits = {}
  local windows = {}
  local counts = {}
  local admitted = 1
  for i = 1, n do
    limits[i] = tonumber(ARGV[a + 2 * i])
    windows[i] = tonumber(ARGV[a + 2 * i + 1])
    redis.call('ZREMRANGEBYSCORE', KEYS[k + i], '-inf', now - windows[i])
    counts[i] = redis.call('ZCARD', KEYS[k + i])
    if counts[i] >= limits[i] then admitted = 0 end
  end
  if admitted == 1 then
    for i = 1, n do
      redis.call('ZADD', KEYS[k + i], now, member)
      redis.call('PEXPIRE', KEYS[k + i], windows[i])
      counts[i] = counts[i] + 1
    end
  end
  local reply = {admitted, now}
  for i = 1, n do
    local at = 0
    if admitted == 0 and counts[i] >= limits[i] and limits[i] > 0 then at = counts[i] - limits[i] end
    local oldest = redis.call('ZRANGE', KEYS[k + i], at, at, 'WITHSCORES')
    local reset = now
    if oldest[2] then reset = tonumber(oldest[2]) end
    reply[2 * i + 1] = counts[i]
    reply[2 * i + 2] = reset + windows[i]
  end
  out[d] = reply
  a = a + 2 + 2 * n
  k = k + n
end
return out
)lua");
    return script;
}

const QByteArray &decisionSha()
{
    static const QByteArray sha = QCryptographicHash::hash(decision(), QCryptographicHash::Sha1).toHex();
    return sha;
}

const QByteArray &heartbeat()
{
    static const QByteArray script = QByteArrayLiteral(R"lua(
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], now, 'PX', ttl)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[2], ttl * 10)
return redis.call('ZCARD', KEYS[2])
)lua");
    return script;
}

const QByteArray &replay()
{
    // Ages, not times: the caller's clock need not agree with Redis', only measure intervals.
    // Each replaying instance counts only the excess its own calls added, so several replays never count one twice.
    static const QByteArray script = QByteArrayLiteral(R"lua(
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local a = 1
local over = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[a])
  local window = tonumber(ARGV[a + 1])
  local n = tonumber(ARGV[a + 2])
  a = a + 3
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local added = 0
  for j = 1, n do
    local age = tonumber(ARGV[a])
    if age < window then
      added = added + redis.call('ZADD', KEYS[i], now - age, ARGV[a + 1])
    end
    a = a + 2
  end
  if added > 0 then
    redis.call('PEXPIRE', KEYS[i], window)
    local count = redis.call('ZCARD', KEYS[i])
    if count > limit then over = over + math.min(added, count - limit) end
  end
end
return over
)lua");
    return script;
}

} // namespace tollgate::RedisScripts
