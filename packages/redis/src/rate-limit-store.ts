import { createHash } from 'node:crypto'
import type { RateLimitDecision, RateLimitStore } from '@licensekit/core/server'
import { type RedisScriptClient, withTimeout } from './redis-client.js'
import { TOKEN_BUCKET_SCRIPT } from './token-bucket.lua.js'

export interface RedisRateLimitStoreOptions {
  /** Prefix of every bucket key (default `licensekit:rl:`). */
  prefix?: string
  /** Longest wait for Redis per request, in ms (default 250); then the request is let through. */
  timeoutMs?: number
  /** Called when Redis failed or was too slow and a request was let through. */
  onError?: (error: unknown) => void
}

const SCRIPT_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex')
const ALLOW: RateLimitDecision = Object.freeze({ allowed: true, retryAfterSeconds: 0 })

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT')
}

function decisionOf(reply: unknown): RateLimitDecision {
  if (!Array.isArray(reply) || reply.length !== 2) throw new Error('Unexpected script reply')
  const [allowed, retry] = reply.map(Number)
  if (allowed !== 0 && allowed !== 1) throw new Error('Unexpected script reply')
  return { allowed: allowed === 1, retryAfterSeconds: retry ?? 0 }
}

/**
 * A `RateLimitStore` on Redis: one atomic token-bucket step per request in one Lua script, so
 * any number of proxy instances share each bucket. Bucket names (client addresses, license
 * keys) are stored as SHA-256 hashes, and every key expires once its bucket is full again.
 *
 * Fails open: when Redis errors or does not answer within `timeoutMs`, the request is let
 * through (and `onError` hears why). A rate limit protects the license API from abuse; it must
 * not turn a Redis outage into an outage of every license check.
 */
export function createRedisRateLimitStore(
  client: RedisScriptClient,
  options: RedisRateLimitStoreOptions = {},
): RateLimitStore {
  const prefix = options.prefix ?? 'licensekit:rl:'
  const timeoutMs = options.timeoutMs ?? 250
  const onError = options.onError ?? (() => {})

  async function run(script: { keys: string[]; arguments: string[] }): Promise<unknown> {
    try {
      return await client.evalSha(SCRIPT_SHA, script)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return client.eval(TOKEN_BUCKET_SCRIPT, script)
    }
  }

  return {
    async take(bucket, rule, now) {
      const key = prefix + createHash('sha256').update(bucket).digest('hex')
      const script = {
        keys: [key],
        arguments: [String(rule.capacity), String(rule.refillPerSecond), String(Math.floor(now))],
      }
      try {
        return decisionOf(await withTimeout(run(script), timeoutMs, 'Redis rate limit'))
      } catch (error) {
        onError(error)
        return ALLOW
      }
    },
  }
}
