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
    // Within one run `now` is fixed, so a key that several decisions share (a busy key, the common case
    // under load) is pruned, counted and looked up once; later decisions on it reuse what the first learned,
    // and its expiry is set once at the end. A decision costs one ZADD then, not five commands.
    static const QByteArray script = QByteArrayLiteral(R"lua(
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local seen = {}
local touched = {}
local a = 2
local k = 0
for d = 1, tonumber(ARGV[1]) do
  local member = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  local limits = {}
  local windows = {}
  local states = {}
  local admitted = 1
  for i = 1, n do
    local key = KEYS[k + i]
    limits[i] = tonumber(ARGV[a + 2 * i])
    windows[i] = tonumber(ARGV[a + 2 * i + 1])
    local s = seen[key]
    if s == nil or s.window ~= windows[i] then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windows[i])
      s = {window = windows[i], count = redis.call('ZCARD', key)}
      seen[key] = s
    end
    states[i] = s
    if s.count >= limits[i] then admitted = 0 end
  end
  if admitted == 1 then
    for i = 1, n do
      local key = KEYS[k + i]
      local s = states[i]
      redis.call('ZADD', key, now, member)
      if s.count == 0 then s.oldest = now end
      s.count = s.count + 1
      s.refusedAt = nil
      local w = touched[key]
      if w == nil or w < windows[i] then touched[key] = windows[i] end
    end
  end
  local reply = {admitted, now}
  for i = 1, n do
    local key = KEYS[k + i]
    local s = states[i]
    local reset = now
    if admitted == 0 and s.count >= limits[i] and limits[i] > 0 then
      -- Refused: the limit frees a slot when the entry `count - limit` places from the oldest leaves.
      local at = s.count - limits[i]
      if s.refusedAt ~= at then
        local entry = redis.call('ZRANGE', key, at, at, 'WITHSCORES')
        s.refusedAt = at
        s.refusedReset = now
        if entry[2] then s.refusedReset = tonumber(entry[2]) end
      end
      reset = s.refusedReset
    else
      if s.oldest == nil then
        local entry = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        s.oldest = now
        if entry[2] then s.oldest = tonumber(entry[2]) end
      end
      reset = s.oldest
    end
    reply[2 * i + 1] = s.count
    reply[2 * i + 2] = reset + windows[i]
  end
  out[d] = reply
  a = a + 2 + 2 * n
  k = k + n
end
for key, window in pairs(touched) do
  redis.call('PEXPIRE', key, window)
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
