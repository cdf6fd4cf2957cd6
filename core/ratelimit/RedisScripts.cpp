#include "core/ratelimit/RedisScripts.h"

#include <QCryptographicHash>

namespace tollgate::RedisScripts {

namespace {

// The sliding log of one limit, shared by the decision and the replay: one sorted set. Its entries are named
// "<name>#<weight>" and scored by the Redis time (ms) they were admitted at; one more member, "#n", holds the sum of
// their weights (the calls in the window) as a score of minus that sum, so the entries' time ranges, (0 … +inf),
// never include it. A busy key's admitted calls of one script run share one time, so they are one entry of that
// weight: the set holds an entry per run, not per call (at 20,000 calls/s on one key and a 60 s window, ~20,000
// entries instead of 1.2 million), pruning reads only the few entries that left the window, and the count, the
// oldest entry and the write are one command each.
const QByteArray &slidingLog()
{
    static const QByteArray lua = QByteArrayLiteral(R"lua(
local function weight(entry)
  return tonumber(string.match(entry, '#(%d+)$')) or 1
end
local function oldestOf(key)
  local first = redis.call('ZRANGEBYSCORE', key, '(0', '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if first[2] then return tonumber(first[2]) end
  return nil
end
-- Drops what left the window. Returns the calls still in it, the oldest entry's time (nil: none) and whether the
-- total must be written back.
local function openLog(key, window, now)
  local cut = now - window
  local total = redis.call('ZSCORE', key, '#n')
  local oldest = oldestOf(key)
  if not total then
    -- No total kept (entries of an older gateway, or no log at all): counted once.
    if oldest == nil then return 0, nil, false end
    redis.call('ZREMRANGEBYSCORE', key, '(0', cut)
    local n = 0
    for _, e in ipairs(redis.call('ZRANGEBYSCORE', key, '(0', '+inf')) do n = n + weight(e) end
    return n, oldestOf(key), true
  end
  local n = -tonumber(total)
  if oldest == nil then return 0, nil, n ~= 0 end
  if oldest <= cut then
    for _, e in ipairs(redis.call('ZRANGEBYSCORE', key, '(0', cut)) do n = n - weight(e) end
    redis.call('ZREMRANGEBYSCORE', key, '(0', cut)
    if n < 0 then n = 0 end
    return n, oldestOf(key), true
  end
  return n, oldest, false
end
-- When the oldest `need` calls will have left the window: the time of the entry where their weights reach it
-- (`now` when the log holds fewer: the rest are this run's, not written yet).
local function reached(key, need, now)
  local from = 0
  local sum = 0
  while true do
    -- Every entry weighs at least 1: the next (need - sum) entries are enough to reach it, and often one is.
    local chunk = redis.call('ZRANGEBYSCORE', key, '(0', '+inf', 'WITHSCORES', 'LIMIT', from, math.min(need - sum, 64))
    if #chunk == 0 then return now end
    for j = 1, #chunk, 2 do
      sum = sum + weight(chunk[j])
      if sum >= need then return tonumber(chunk[j + 1]) end
    end
    from = from + #chunk / 2
  end
end
)lua");
    return lua;
}

} // namespace

const QByteArray &decision()
{
    // Redis' TIME, not the caller's clock: instances whose clocks disagree still share one timeline.
    // replicate_commands() is what Redis before 5 needs for a script that reads TIME and then writes; 7 ignores it.
    // Several decisions per run (all those one event-loop thread had waiting): a script run costs Redis more than
    // the few commands of one decision. They are taken in order, so each sees the calls the ones before it admitted.
    // Within one run `now` is fixed: a key is pruned and counted once, its admitted calls become one entry written
    // at the end, and its reset time is looked up once. A decision on a busy key costs no command of its own.
    static const QByteArray script = slidingLog() + QByteArrayLiteral(R"lua(
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
local seen = {}
local order = {}
local a = 3
local k = 0
for d = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[a])
  local limits = {}
  local windows = {}
  local states = {}
  local admitted = 1
  for i = 1, n do
    local key = KEYS[k + i]
    limits[i] = tonumber(ARGV[a + 2 * i - 1])
    windows[i] = tonumber(ARGV[a + 2 * i])
    local s = seen[key]
    if s == nil then
      local count, oldest, dirty = openLog(key, windows[i], now)
      s = {window = windows[i], count = count, oldest = oldest, dirty = dirty, added = 0}
      seen[key] = s
      order[#order + 1] = key
    elseif s.window < windows[i] then
      s.window = windows[i]
    end
    states[i] = s
    if s.count >= limits[i] then admitted = 0 end
  end
  if admitted == 1 then
    for i = 1, n do
      local s = states[i]
      if s.oldest == nil then s.oldest = now end
      s.count = s.count + 1
      s.added = s.added + 1
      s.refusedAt = nil
    end
  end
  local reply = {admitted, now}
  for i = 1, n do
    local key = KEYS[k + i]
    local s = states[i]
    local reset = s.oldest or now
    if admitted == 0 and s.count >= limits[i] and limits[i] > 0 then
      -- Refused: a call fits again once the oldest count - limit + 1 have left.
      local need = s.count - limits[i] + 1
      if s.refusedAt ~= need then
        s.refusedAt = need
        s.refusedReset = reached(key, need, now)
      end
      reset = s.refusedReset
    end
    reply[2 * i + 1] = s.count
    reply[2 * i + 2] = reset + windows[i]
  end
  out[d] = reply
  a = a + 1 + 2 * n
  k = k + n
end
for j, key in ipairs(order) do
  local s = seen[key]
  if s.added > 0 then
    redis.call('ZADD', key, now, ARGV[2] .. ':' .. j .. '#' .. s.added, -s.count, '#n')
    redis.call('PEXPIRE', key, s.window)
  elseif s.dirty then
    redis.call('ZADD', key, -s.count, '#n')
  end
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
    static const QByteArray script = slidingLog() + QByteArrayLiteral(R"lua(
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
  local count, oldest, dirty = openLog(KEYS[i], window, now)
  local added = 0
  for j = 1, n do
    local age = tonumber(ARGV[a])
    if age < window then
      added = added + redis.call('ZADD', KEYS[i], now - age, ARGV[a + 1] .. '#1')
    end
    a = a + 2
  end
  count = count + added
  if added > 0 or dirty then
    redis.call('ZADD', KEYS[i], -count, '#n')
    redis.call('PEXPIRE', KEYS[i], window)
  end
  if added > 0 and count > limit then over = over + math.min(added, count - limit) end
end
return over
)lua");
    return script;
}

} // namespace tollgate::RedisScripts
