/**
 * Lua scripts of the waiting room (keys: queue.keys.ts). The scripts read the clock with Redis
 * `TIME`, so every API instance agrees on "now" and on the order of arrivals.
 */

import { EARLY_BAND } from './queue.keys.js';

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// Members of a caller: the account first (if signed in), then the session.
const MEMBERS_OF = `
local function membersOf(sessionId, userId)
  local ms = {}
  if userId ~= '' then ms[#ms + 1] = 'u:' .. userId end
  ms[#ms + 1] = 's:' .. sessionId
  return ms
end
`;
// The members of the caller named by ARGV[1] (session id) and ARGV[2] (account or '').
const MEMBERS = `${MEMBERS_OF}
local members = membersOf(ARGV[1], ARGV[2])
`;

/**
 * The common reply of join and status:
 * { state, rank (-1 if none), queueLength, admittedUntil ('' if none), measuredRate ('' if none),
 *   configuredRate ('' if none), now, passedOver (0/1) }
 */
const STATUS_BODY = `
local passed = 0
for _, m in ipairs(members) do
  local exp = redis.call('ZSCORE', KEYS[3], m)
  if exp and tonumber(exp) > now then
    return {'admitted', -1, redis.call('ZCARD', KEYS[1]), exp, '', '', now, 0}
  end
end
for _, m in ipairs(members) do
  local rank = redis.call('ZRANK', KEYS[1], m)
  if rank then
    local seen = tonumber(redis.call('ZSCORE', KEYS[2], m) or '0')
    if now - seen <= grace then
      redis.call('ZADD', KEYS[2], now, m)
      return {'queued', rank, redis.call('ZCARD', KEYS[1]), '', redis.call('HGET', KEYS[7], 'measuredRate') or '',
              redis.call('HGET', KEYS[8], 'rate') or '', now, 0}
    end
    -- Not seen within the grace period: passed over (the worker's sweep may not have reached it yet).
    redis.call('ZREM', KEYS[1], m)
    redis.call('ZREM', KEYS[2], m)
    redis.call('HDEL', KEYS[4], m)
    redis.call('ZADD', KEYS[6], now, m)
    redis.call('HINCRBY', KEYS[7], 'passedOver', 1)
    passed = 1
  end
end
`;

/**
 * Join. KEYS: queue, seen, admitted, joined, seq, gone, stats, settings.
 * ARGV: sessionId, userId or '', random early score, onSaleAt ms, grace ms.
 * An existing live entry (by account or session) or a valid admission is returned unchanged.
 */
export const JOIN_LUA = `${NOW}${MEMBERS}
local grace = tonumber(ARGV[5])
${STATUS_BODY}
local m = members[1]
local score
if now < tonumber(ARGV[4]) then
  score = ARGV[3]
else
  score = string.format('%d', ${EARLY_BAND} + redis.call('INCR', KEYS[5]))
end
for _, x in ipairs(members) do
  redis.call('ZREM', KEYS[3], x)
  redis.call('ZREM', KEYS[6], x)
end
redis.call('ZADD', KEYS[1], score, m)
redis.call('ZADD', KEYS[2], now, m)
redis.call('HSET', KEYS[4], m, now)
return {'queued', redis.call('ZRANK', KEYS[1], m), redis.call('ZCARD', KEYS[1]), '',
        redis.call('HGET', KEYS[7], 'measuredRate') or '', redis.call('HGET', KEYS[8], 'rate') or '', now, passed}
`;

/** Most callers answered by one run of STATUS_LUA (queue.store.ts splits larger batches). */
export const STATUS_BATCH_MAX = 128;

/**
 * Status (the cheap poll) of one or more callers of one event. Polls of the same event that
 * arrive in the same event-loop turn share one run (queue.store.ts), so under load a poll costs
 * Redis a fraction of a script call and the API a fraction of a command.
 * KEYS: queue, seen, admitted, joined, seq (unused), gone, stats, settings.
 * ARGV: grace ms, then sessionId and userId or '' of each caller.
 * Returns the callers' replies one after another, 8 fields each. Refreshes each queued
 * entry's last-seen time.
 */
export const STATUS_LUA = `${NOW}${MEMBERS_OF}
local grace = tonumber(ARGV[1])
local function status(members)
${STATUS_BODY}
  local qlen = redis.call('ZCARD', KEYS[1])
  for _, m in ipairs(members) do
    if redis.call('ZSCORE', KEYS[6], m) or redis.call('ZSCORE', KEYS[3], m) then
      return {'expired', -1, qlen, '', '', '', now, passed}
    end
  end
  return {'not_in_queue', -1, qlen, '', '', '', now, passed}
end
local out = {}
for i = 2, #ARGV - 1, 2 do
  local r = status(membersOf(ARGV[i], ARGV[i + 1]))
  for j = 1, 8 do out[#out + 1] = r[j] end
end
return out
`;

/**
 * Leave: drop the caller's place and admission (frees the slot at once).
 * KEYS: queue, seen, admitted, joined, gone. ARGV: sessionId, userId or ''. Returns how many were removed.
 */
export const LEAVE_LUA = `${MEMBERS}
local n = 0
for _, m in ipairs(members) do
  n = n + redis.call('ZREM', KEYS[1], m) + redis.call('ZREM', KEYS[3], m)
  redis.call('ZREM', KEYS[2], m)
  redis.call('HDEL', KEYS[4], m)
  redis.call('ZREM', KEYS[5], m)
end
return n
`;

/**
 * Is the caller admitted now? KEYS: admitted. ARGV: sessionId, userId or ''. Returns the expiry ms or 0.
 */
export const ADMITTED_LUA = `${NOW}${MEMBERS}
for _, m in ipairs(members) do
  local exp = redis.call('ZSCORE', KEYS[1], m)
  if exp and tonumber(exp) > now then return exp end
end
return 0
`;

/**
 * Finish shopping: free the caller's admission slot. KEYS: admitted. ARGV: sessionId, userId or ''.
 */
export const FINISH_LUA = `${MEMBERS}
local n = 0
for _, m in ipairs(members) do n = n + redis.call('ZREM', KEYS[1], m) end
return n
`;

/**
 * One admission tick for one event: the whole decision in one atomic step, so any number of
 * instances may run it concurrently and each entry is admitted exactly once, in queue order.
 * KEYS: queue, seen, admitted, joined, settings, bucket, stats, rateLog, gone.
 * ARGV: grace ms, shopping window ms, max admissions per tick, max stale entries swept per tick,
 * admissions per minute, most concurrent shoppers (the event's facts; stored in the settings hash).
 * Returns { admittedCount, passedOverCount, queueLength, activeShoppers, admissionsBefore, member1, waitMs1, member2, waitMs2, ... }
 * where admissionsBefore numbers this batch in the event's global admission sequence.
 */
export const ADMIT_LUA = `${NOW}
local rate = tonumber(ARGV[5])
local cap = tonumber(ARGV[6])
-- The live settings, read back by the status script for its wait estimate.
redis.call('HSET', KEYS[5], 'rate', ARGV[5], 'cap', ARGV[6])
redis.call('PEXPIRE', KEYS[5], 3600000)
local grace = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local maxBatch = tonumber(ARGV[3])
local sweep = tonumber(ARGV[4])

-- 1. Admissions whose shopping window ran out free their slot.
local ended = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
for _, m in ipairs(ended) do
  redis.call('ZREM', KEYS[3], m)
  redis.call('ZADD', KEYS[9], now, m)
end
redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', now - 3600000)

-- 2. Entries not seen within the grace period are passed over.
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - grace - 1, 'LIMIT', 0, sweep)
for _, m in ipairs(stale) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZREM', KEYS[2], m)
  redis.call('HDEL', KEYS[4], m)
  redis.call('ZADD', KEYS[9], now, m)
end
if #stale > 0 then redis.call('HINCRBY', KEYS[7], 'passedOver', #stale) end

-- 3. Token bucket: rate per minute, refilled from the Redis clock; it starts full and holds two seconds' worth (at least 1).
local b = redis.call('HMGET', KEYS[6], 'tokens', 'ts')
local burst = math.max(1, rate / 30)
local tokens = tonumber(b[1])
local last = tonumber(b[2])
if not tokens or not last then tokens = burst; last = now end
local elapsed = math.max(0, now - last)
tokens = math.min(burst, tokens + elapsed * rate / 60000)

-- 4. Admit the head of the queue: as many as the bucket and the free slots allow, in order,
--    passing over any head entry whose liveness ran out (the sweep above is bounded).
local active = redis.call('ZCARD', KEYS[3])
local n = math.min(math.floor(tokens), cap - active, maxBatch)
local out = {0, 0, 0, 0, tonumber(redis.call('HGET', KEYS[7], 'admittedTotal') or '0')}
local admittedCount = 0
local passedHead = 0
local waitSum = 0
local untilMs = now + window
local rounds = 0
while admittedCount < n and rounds < 10 do
  rounds = rounds + 1
  local heads = redis.call('ZRANGE', KEYS[1], 0, n - admittedCount - 1)
  if #heads == 0 then break end
  for _, m in ipairs(heads) do
    local seen = tonumber(redis.call('ZSCORE', KEYS[2], m) or '0')
    local joinedAt = tonumber(redis.call('HGET', KEYS[4], m) or now)
    redis.call('ZREM', KEYS[1], m)
    redis.call('ZREM', KEYS[2], m)
    redis.call('HDEL', KEYS[4], m)
    if now - seen > grace then
      redis.call('ZADD', KEYS[9], now, m)
      passedHead = passedHead + 1
    else
      redis.call('ZADD', KEYS[3], untilMs, m)
      admittedCount = admittedCount + 1
      waitSum = waitSum + (now - joinedAt)
      out[#out + 1] = m
      out[#out + 1] = now - joinedAt
    end
  end
end
tokens = tokens - admittedCount
if passedHead > 0 then redis.call('HINCRBY', KEYS[7], 'passedOver', passedHead) end
redis.call('HSET', KEYS[6], 'tokens', tostring(tokens), 'ts', now)
if admittedCount > 0 then
  redis.call('HINCRBY', KEYS[7], 'admittedTotal', admittedCount)
  redis.call('HINCRBY', KEYS[7], 'waitSumMs', waitSum)
end

-- 5. Measured rate: admissions per saturated millisecond (ticks that left people waiting) over 5 minutes.
local qlen = redis.call('ZCARD', KEYS[1])
local slot = math.floor(now / 10000)
if qlen > 0 and elapsed > 0 then
  redis.call('HINCRBY', KEYS[8], 'c:' .. slot, admittedCount)
  redis.call('HINCRBY', KEYS[8], 'm:' .. slot, math.min(elapsed, 5000))
  redis.call('PEXPIRE', KEYS[8], 900000)
end
local fields = {}
for i = 0, 29 do
  fields[#fields + 1] = 'c:' .. (slot - i)
  fields[#fields + 1] = 'm:' .. (slot - i)
end
local vals = redis.call('HMGET', KEYS[8], unpack(fields))
local sc, sm = 0, 0
for i = 1, #vals, 2 do
  sc = sc + (tonumber(vals[i]) or 0)
  sm = sm + (tonumber(vals[i + 1]) or 0)
end
redis.call('HDEL', KEYS[8], 'c:' .. (slot - 30), 'm:' .. (slot - 30), 'c:' .. (slot - 31), 'm:' .. (slot - 31))
if sm >= 10000 then
  redis.call('HSET', KEYS[7], 'measuredRate', tostring(sc * 60000 / sm))
else
  redis.call('HDEL', KEYS[7], 'measuredRate')
end

out[1] = admittedCount
out[2] = #stale + passedHead
out[3] = qlen
out[4] = redis.call('ZCARD', KEYS[3])
return out
`;

/**
 * Adopt: move an anonymous session's place and admission to the account it signed in to
 * (the session id changes at sign-in). The better of the two places is kept; an account that
 * is already admitted keeps its admission and drops the session's place.
 * KEYS: queue, seen, admitted, joined, gone. ARGV: old sessionId, userId. Returns 1 if anything moved.
 */
export const ADOPT_LUA = `${NOW}
local from = 's:' .. ARGV[1]
local to = 'u:' .. ARGV[2]
local moved = 0
local exp = redis.call('ZSCORE', KEYS[3], from)
if exp then
  redis.call('ZREM', KEYS[3], from)
  local cur = redis.call('ZSCORE', KEYS[3], to)
  if tonumber(exp) > now and (not cur or tonumber(cur) < tonumber(exp)) then
    redis.call('ZADD', KEYS[3], exp, to)
    moved = 1
  end
end
local score = redis.call('ZSCORE', KEYS[1], from)
if score then
  local seen = redis.call('ZSCORE', KEYS[2], from) or now
  local joinedAt = redis.call('HGET', KEYS[4], from) or now
  redis.call('ZREM', KEYS[1], from)
  redis.call('ZREM', KEYS[2], from)
  redis.call('HDEL', KEYS[4], from)
  local admittedUntil = tonumber(redis.call('ZSCORE', KEYS[3], to) or '0')
  local cur = redis.call('ZSCORE', KEYS[1], to)
  if admittedUntil <= now and (not cur or tonumber(score) < tonumber(cur)) then
    redis.call('ZADD', KEYS[1], score, to)
    redis.call('ZADD', KEYS[2], seen, to)
    redis.call('HSET', KEYS[4], to, joinedAt)
    moved = 1
  end
end
redis.call('ZREM', KEYS[5], from)
return moved
`;
