import type { RateLimitRule } from './rate-limit.js'

/**
 * The IETF rate-limit fields (draft-ietf-httpapi-ratelimit-headers) of a refused request, for
 * one token-bucket policy: `RateLimit-Policy` names the quota `q` (the bucket's capacity) over
 * the window `w` (seconds to refill it from empty), and `RateLimit` says that none remains
 * (`r=0`) for `t` seconds, the same as `Retry-After`.
 */
export function rateLimitHeaders(
  policy: string,
  rule: RateLimitRule,
  retryAfterSeconds: number,
): Record<'ratelimit-policy' | 'ratelimit', string> {
  const name = JSON.stringify(policy)
  const window = Math.max(1, Math.ceil(rule.capacity / rule.refillPerSecond))
  return {
    'ratelimit-policy': `${name};q=${Math.floor(rule.capacity)};w=${window}`,
    ratelimit: `${name};r=0;t=${retryAfterSeconds}`,
  }
}
