/**
 * One atomic token-bucket step. KEYS[1]: the bucket hash (`t` tokens, `u` updated at, ms).
 * ARGV: capacity, refill per second, now (ms). Returns {allowed (0|1), retry after (s)}.
 * The key expires when the bucket would be full again, so idle buckets cost nothing.
 */
export const TOKEN_BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
tokens = math.min(capacity, tokens + math.max(0, now - updated) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) / rate * 1000)))
local retry = 0
if allowed == 0 then
  retry = math.max(1, math.ceil((1 - tokens) / rate))
end
return {allowed, retry}
`
