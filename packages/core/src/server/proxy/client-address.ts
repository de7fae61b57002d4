import type { PlainRequest } from './plain-http.js'
import { UNKNOWN_CLIENT } from './rate-limit.js'

/** Where the client address comes from behind reverse proxies you run or trust. */
export interface TrustedProxyHeader {
  /** Lower-case header name, e.g. `x-forwarded-for` or `cf-connecting-ip`. */
  header: string
  /** How many trusted proxies appended to the header: the address is this many from the right. */
  hops: number
}

/**
 * The address rate limits are keyed by. With `trustProxy`, the entry `hops` from the right of
 * that header's comma-separated list: every trusted proxy appends the address it saw, so the
 * entries to the left of those are whatever the client sent and are never used. Without it,
 * or when the header has fewer entries than `hops` (the request did not pass every proxy),
 * the runtime's `clientAddress`. Requests with no address share one bucket.
 */
export function clientAddressOf(
  request: PlainRequest,
  clientAddress: string | undefined,
  trustProxy: TrustedProxyHeader | null,
): string {
  if (trustProxy !== null) {
    const entries = request.header(trustProxy.header)?.split(',')
    const entry = entries?.[entries.length - trustProxy.hops]?.trim()
    if (entry) return entry
  }
  return clientAddress || UNKNOWN_CLIENT
}
