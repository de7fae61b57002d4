/** Token buckets behind an async store, so a shared store (Redis, KV, …) can replace memory. */
import { LicenseError } from '../../errors/license-error.js'

export interface RateLimitRule {
  /** Burst size: requests allowed at once from a full bucket. */
  capacity: number
  /** Tokens added back per second. */
  refillPerSecond: number
}

export interface RateLimitDecision {
  allowed: boolean
  /** Whole seconds until a token is available; 0 when allowed. */
  retryAfterSeconds: number
}

/**
 * Where buckets live. `take` removes one token from `bucket` (created full on first use)
 * and says whether there was one; `now` is in ms since the epoch.
 */
export interface RateLimitStore {
  take(bucket: string, rule: RateLimitRule, now: number): Promise<RateLimitDecision>
}

export interface RateLimitOptions {
  /** Per client address; every request counts (default 60 a minute: capacity 60, 1/s). */
  perClient?: RateLimitRule | false | undefined
  /** Per license key from the body (default 20 a minute: capacity 20, 1 every 3 s). */
  perKey?: RateLimitRule | false | undefined
  /** Default: {@link createMemoryRateLimitStore}, one per proxy. */
  store?: RateLimitStore | undefined
}

export const DEFAULT_PER_CLIENT: RateLimitRule = Object.freeze({ capacity: 60, refillPerSecond: 1 })
export const DEFAULT_PER_KEY: RateLimitRule = Object.freeze({
  capacity: 20,
  refillPerSecond: 1 / 3,
})

/** Bucket name used for every request whose client address is unknown: they share one bucket. */
export const UNKNOWN_CLIENT = 'unknown'

interface Bucket {
  tokens: number
  updatedAt: number
  /** When the bucket is full again, i.e. indistinguishable from a missing one. */
  fullAt: number
}

export interface MemoryRateLimitStore extends RateLimitStore {
  /** Buckets currently held. */
  readonly size: number
}

/**
 * The in-memory default. Buckets that have refilled completely are dropped (they are the same
 * as absent ones), swept at most once a minute; past `maxBuckets` the least recently used go.
 */
export function createMemoryRateLimitStore(
  options: { maxBuckets?: number | undefined } = {},
): MemoryRateLimitStore {
  const maxBuckets = options.maxBuckets ?? 10_000
  const buckets = new Map<string, Bucket>()
  let sweptAt = Number.NEGATIVE_INFINITY

  function sweep(now: number): void {
    if (now - sweptAt < 60_000) return
    sweptAt = now
    for (const [name, bucket] of buckets) if (bucket.fullAt <= now) buckets.delete(name)
  }

  return {
    get size() {
      return buckets.size
    },
    async take(name, rule, now) {
      sweep(now)
      const previous = buckets.get(name)
      const elapsed = previous ? Math.max(0, now - previous.updatedAt) / 1000 : 0
      let tokens = previous
        ? Math.min(rule.capacity, previous.tokens + elapsed * rule.refillPerSecond)
        : rule.capacity
      const allowed = tokens >= 1
      if (allowed) tokens -= 1
      buckets.delete(name)
      buckets.set(name, {
        tokens,
        updatedAt: now,
        fullAt: now + ((rule.capacity - tokens) / rule.refillPerSecond) * 1000,
      })
      while (buckets.size > maxBuckets) {
        const oldest = buckets.keys().next()
        if (oldest.done) break
        buckets.delete(oldest.value)
      }
      return {
        allowed,
        retryAfterSeconds: allowed
          ? 0
          : Math.max(1, Math.ceil((1 - tokens) / rule.refillPerSecond)),
      }
    },
  }
}

export interface RateLimiter {
  perClient: RateLimitRule | null
  perKey: RateLimitRule | null
  store: RateLimitStore
}

function checkRule(rule: RateLimitRule, name: string): RateLimitRule {
  const ok =
    typeof rule === 'object' &&
    rule !== null &&
    Number.isFinite(rule.capacity) &&
    rule.capacity >= 1 &&
    Number.isFinite(rule.refillPerSecond) &&
    rule.refillPerSecond > 0
  if (!ok) {
    throw new LicenseError(
      'invalid_config',
      `createLicenseProxy: ${name} needs capacity ≥ 1 and refillPerSecond > 0`,
    )
  }
  return rule
}

/** Resolves the `rateLimit` option; `null` when disabled. Throws `invalid_config` for a bad rule. */
export function resolveRateLimit(option: RateLimitOptions | false | undefined): RateLimiter | null {
  if (option === false) return null
  const perClient = option?.perClient ?? DEFAULT_PER_CLIENT
  const perKey = option?.perKey ?? DEFAULT_PER_KEY
  if (perClient === false && perKey === false) return null
  return {
    perClient: perClient === false ? null : checkRule(perClient, 'rateLimit.perClient'),
    perKey: perKey === false ? null : checkRule(perKey, 'rateLimit.perKey'),
    store: option?.store ?? createMemoryRateLimitStore(),
  }
}
