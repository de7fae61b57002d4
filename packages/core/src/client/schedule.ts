/** `setTimeout` fires at once for delays of 2^31 ms or more; longer waits are chained below this. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1
/** Longest wait between retries while the proxy is unreachable. */
export const MAX_BACKOFF_MS = 60 * 60 * 1000
/** First retry delay while unreachable; doubles on each further failure. */
export const BASE_BACKOFF_MS = 30_000
/** ±10 % jitter on every wait, so tabs and devices do not call in step. */
export const JITTER = 0.1

function jitter(delay: number, random: () => number): number {
  return delay * (1 + (random() * 2 - 1) * JITTER)
}

/** Delay until the next regular check: `max(0, interval − age)` with ±10 % jitter. */
export function heartbeatDelay(intervalMs: number, ageMs: number, random: () => number): number {
  return jitter(Math.max(0, intervalMs - ageMs), random)
}

/**
 * Delay before retry number `attempt` (1, 2, …) while the proxy is unreachable: exponential from
 * 30 s with ±10 % jitter, at least `Retry-After` when the proxy sent one, and never over 1 hour.
 */
export function backoffDelay(
  attempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number,
): number {
  const exponential = BASE_BACKOFF_MS * 2 ** Math.min(Math.max(attempt - 1, 0), 20)
  const delay = Math.max(jitter(exponential, random), (retryAfterSeconds ?? 0) * 1000)
  return Math.min(delay, MAX_BACKOFF_MS)
}
