import type { RedisClient } from '../../platform/redis.js';

/**
 * Redis key layout (every key also carries the process prefix, e.g. `tk:`). The `{eventId}`
 * hash tag keeps one event's keys in one cluster slot so each script touches a single slot.
 *
 *   inv:{eventId}:seat:<seatId>   string  phase-1 seat lock; value = "<hold id (token)>:<user id>"; PX = hold TTL + margin
 *   inv:{eventId}:st              string  availability snapshot, one char per seat_index (a/h/s)
 *   inv:{eventId}:meta            hash    v (version), a, h, s (counts)
 *   inv:{eventId}:rebuild         string  lock so one process rebuilds a missing snapshot
 *   <prefix>inv:changes           channel "<eventId> <json AvailabilityChanges>" (channels are not prefixed by ioredis)
 */
export const keys = {
  seat: (eventId: string, seatId: string) => `inv:{${eventId}}:seat:${seatId}`,
  statuses: (eventId: string) => `inv:{${eventId}}:st`,
  meta: (eventId: string) => `inv:{${eventId}}:meta`,
  rebuild: (eventId: string) => `inv:{${eventId}}:rebuild`,
};

/** Snapshots unused for this long disappear and are rebuilt from PostgreSQL on the next read. */
export const SNAPSHOT_TTL_SECONDS = 86_400;

/**
 * All-or-nothing seat locks. KEYS = seat lock keys; ARGV[1] = token (the hold id), ARGV[2] = PX,
 * ARGV[3] = the user id, ARGV[4..] = tokens that may be overwritten (locks proven stale).
 * A lock's value is "<token>:<userId>", so the user's own locks (their previous hold being
 * replaced, or a leftover of theirs) are taken over here without asking PostgreSQL — phase 2
 * still checks every seat row. Returns {} when every key is now ours; otherwise releases what
 * it set and returns { i1, token1, pttl1, i2, ... } for each key locked by another user
 * (1-based key index).
 */
const LOCK_SEATS = `
local token, px, user = ARGV[1], ARGV[2], ARGV[3]
local value = token .. ':' .. user
local over = {}
for i = 4, #ARGV do over[ARGV[i]] = true end
local set, taken = {}, {}
for i, k in ipairs(KEYS) do
  if redis.call('SET', k, value, 'NX', 'PX', px) then
    set[#set + 1] = k
  else
    local cur = redis.call('GET', k)
    local ctok, cuser = cur, ''
    if cur then
      local p = string.find(cur, ':', 1, true)
      if p then ctok, cuser = string.sub(cur, 1, p - 1), string.sub(cur, p + 1) end
    end
    if not cur or ctok == token or cuser == user or over[ctok] then
      -- free again (expired between SET NX and GET), ours, this user's, or proven stale: take it
      redis.call('SET', k, value, 'PX', px)
      set[#set + 1] = k
    else
      taken[#taken + 1] = i
      taken[#taken + 1] = ctok
      taken[#taken + 1] = redis.call('PTTL', k)
    end
  end
end
if #taken > 0 then
  for _, k in ipairs(set) do redis.call('DEL', k) end
end
return taken
`;

/** Compare-and-delete: KEYS = seat lock keys, ARGV[1] = token (the hold id). Returns how many were deleted. */
const UNLOCK_SEATS = `
local n = 0
local prefix = ARGV[1] .. ':'
for _, k in ipairs(KEYS) do
  local cur = redis.call('GET', k)
  if cur and (cur == ARGV[1] or string.sub(cur, 1, #prefix) == prefix) then n = n + redis.call('DEL', k) end
end
return n
`;

/**
 * Read the snapshot. KEYS = st, meta; ARGV[1] = version the client has ('' for none).
 * nil when missing; { v } when the client's version is current; else { v, a, h, s, statuses }.
 */
const SNAPSHOT_READ = `
local m = redis.call('HMGET', KEYS[2], 'v', 'a', 'h', 's')
if not m[1] then return nil end
if ARGV[1] ~= '' and m[1] == ARGV[1] then return { m[1] } end
local st = redis.call('GET', KEYS[1])
if not st then return nil end
return { m[1], m[2], m[3], m[4], st }
`;

/**
 * Apply seat changes atomically with the version bump and the publish, so every subscriber
 * sees versions in order. KEYS = st, meta; ARGV[1] = channel, ARGV[2] = event id,
 * ARGV[3..] = index, char pairs. Returns -1 when the snapshot is missing (the next read
 * rebuilds it from PostgreSQL), else the version after the change.
 */
const SNAPSHOT_APPLY = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[2], 'v') == 0 then return -1 end
local len = redis.call('STRLEN', KEYS[1])
local out = {}
for i = 3, #ARGV, 2 do
  local idx = tonumber(ARGV[i])
  local c = ARGV[i + 1]
  if idx and idx >= 0 and idx < len then
    local old = redis.call('GETRANGE', KEYS[1], idx, idx)
    if old ~= c then
      redis.call('SETRANGE', KEYS[1], idx, c)
      redis.call('HINCRBY', KEYS[2], old, -1)
      redis.call('HINCRBY', KEYS[2], c, 1)
      out[#out + 1] = '[' .. idx .. ',"' .. c .. '"]'
    end
  end
end
if #out == 0 then return tonumber(redis.call('HGET', KEYS[2], 'v')) end
local v = redis.call('HINCRBY', KEYS[2], 'v', 1)
redis.call('EXPIRE', KEYS[1], ${SNAPSHOT_TTL_SECONDS})
redis.call('EXPIRE', KEYS[2], ${SNAPSHOT_TTL_SECONDS})
redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' {"version":' .. v .. ',"changes":[' .. table.concat(out, ',') .. ']}')
return v
`;

/**
 * Replace the snapshot with statuses read from PostgreSQL. KEYS = st, meta;
 * ARGV = expected version ('' = only if missing), statuses, version-if-new, a, h, s, channel, event id.
 * When the snapshot is missing it is created. When it exists and its version still equals the
 * expected one (no change landed since the caller read it, so the PostgreSQL read is newer),
 * differing characters are written, published as changes, and the version bumped.
 * Returns the version, or -1 when a concurrent change won (try again later).
 */
const SNAPSHOT_RECONCILE = `
local v = redis.call('HGET', KEYS[2], 'v')
local old = redis.call('GET', KEYS[1])
local new = ARGV[2]
if not v or not old then
  redis.call('SET', KEYS[1], new, 'EX', ${SNAPSHOT_TTL_SECONDS})
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'v', ARGV[3], 'a', ARGV[4], 'h', ARGV[5], 's', ARGV[6])
  redis.call('EXPIRE', KEYS[2], ${SNAPSHOT_TTL_SECONDS})
  return tonumber(ARGV[3])
end
if ARGV[1] == '' or v ~= ARGV[1] then return -1 end
local out = {}
if #old == #new then
  for i = 1, #new do
    if string.byte(old, i) ~= string.byte(new, i) then
      out[#out + 1] = '[' .. (i - 1) .. ',"' .. string.sub(new, i, i) .. '"]'
    end
  end
else
  for i = 1, #new do
    out[#out + 1] = '[' .. (i - 1) .. ',"' .. string.sub(new, i, i) .. '"]'
  end
end
redis.call('SET', KEYS[1], new, 'EX', ${SNAPSHOT_TTL_SECONDS})
redis.call('HSET', KEYS[2], 'a', ARGV[4], 'h', ARGV[5], 's', ARGV[6])
redis.call('EXPIRE', KEYS[2], ${SNAPSHOT_TTL_SECONDS})
if #out == 0 then return tonumber(v) end
local nv = redis.call('HINCRBY', KEYS[2], 'v', 1)
redis.call('PUBLISH', ARGV[7], ARGV[8] .. ' {"version":' .. nv .. ',"changes":[' .. table.concat(out, ',') .. ']}')
return nv
`;

/** The inventory's Lua commands on one ioredis connection. */
export type InventoryRedis = RedisClient & {
  invLockSeats(numKeys: number, ...args: (string | number)[]): Promise<(string | number)[]>;
  invUnlockSeats(numKeys: number, ...args: (string | number)[]): Promise<number>;
  invSnapshotRead(numKeys: number, ...args: (string | number)[]): Promise<string[] | null>;
  invSnapshotApply(numKeys: number, ...args: (string | number)[]): Promise<number>;
  invSnapshotReconcile(numKeys: number, ...args: (string | number)[]): Promise<number>;
};

const defined = new WeakSet<RedisClient>();

/** Register the scripts on a connection (EVALSHA with automatic EVAL fallback after a flush). */
export function withInventoryScripts(redis: RedisClient): InventoryRedis {
  if (!defined.has(redis)) {
    redis.defineCommand('invLockSeats', { lua: LOCK_SEATS });
    redis.defineCommand('invUnlockSeats', { lua: UNLOCK_SEATS });
    redis.defineCommand('invSnapshotRead', { lua: SNAPSHOT_READ });
    redis.defineCommand('invSnapshotApply', { lua: SNAPSHOT_APPLY });
    redis.defineCommand('invSnapshotReconcile', { lua: SNAPSHOT_RECONCILE });
    defined.add(redis);
  }
  return redis as InventoryRedis;
}
