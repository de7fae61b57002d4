import { buildKeyMap, type KeyLookup, type KeyMap } from '../../tokens/key-set.js'
import type { FetchFunction } from '../proxy/options.js'

/** Refetch on an unknown `kid` at most this often. */
export const UNKNOWN_KID_REFETCH_MS = 60_000
/** Cached keys are refreshed after this long (the proxy's JWKS `max-age`). */
export const JWKS_MAX_AGE_MS = 300_000
/** With no keys cached, a failed fetch is retried at most this often. */
export const NO_KEYS_RETRY_MS = 5_000
/** A JWKS larger than this is refused unread. */
const MAX_JWKS_BYTES = 64 * 1024

export interface JwksSourceOptions {
  url: string
  fetch: FetchFunction
  now: () => number
  timeoutMs: number
  log: (line: string) => void
}

async function fetchKeys(options: JwksSourceOptions): Promise<KeyMap> {
  const response = await options.fetch(options.url, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeoutMs),
  })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  const text = await response.text()
  if (text.length > MAX_JWKS_BYTES) throw new Error('the JWKS is too large')
  const body = JSON.parse(text) as { keys?: unknown }
  if (!Array.isArray(body?.keys)) throw new Error('the answer has no "keys" list')
  return buildKeyMap(body.keys)
}

/**
 * Keys from a JWKS URL: fetched on first use, cached, refreshed after five minutes, and
 * refetched when a token names an unknown `kid` (at most once a minute). When a fetch fails
 * the keys already cached keep working; with none cached the lookup answers `'unavailable'`
 * and the fetch is retried at most every five seconds.
 */
export function jwksLookup(options: JwksSourceOptions): KeyLookup {
  let keys: KeyMap | null = null
  let fetchedAt = Number.NEGATIVE_INFINITY
  let attemptedAt = Number.NEGATIVE_INFINITY
  let inFlight: Promise<void> | null = null

  function refresh(): Promise<void> {
    inFlight ??= (async () => {
      attemptedAt = options.now()
      try {
        keys = await fetchKeys(options)
        fetchedAt = options.now()
      } catch (error) {
        const what = error instanceof Error ? error.message : typeof error
        options.log(`licensekit guard: could not fetch the JWKS at ${options.url} (${what})`)
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  }

  function due(): boolean {
    const now = options.now()
    if (keys === null) return now - attemptedAt >= NO_KEYS_RETRY_MS
    return now - fetchedAt >= JWKS_MAX_AGE_MS && now - attemptedAt >= UNKNOWN_KID_REFETCH_MS
  }

  return async (kid) => {
    if (inFlight) await inFlight
    if (due()) await refresh()
    if (keys !== null && !keys.has(kid) && options.now() - attemptedAt >= UNKNOWN_KID_REFETCH_MS) {
      await refresh()
    }
    if (keys === null) return 'unavailable'
    const key = keys.get(kid)
    return key ? key.catch(() => null) : null
  }
}
