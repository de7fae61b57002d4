import { UNKNOWN_CLIENT } from './rate-limit.js'

/**
 * The address rate limits are keyed by. With `trustProxy` (a header name) it is that header's
 * value, the first entry for a list like `X-Forwarded-For`; otherwise, or when the header is
 * missing, the runtime's `clientAddress`. Requests with no address share one bucket.
 */
export function clientAddressOf(
  request: Request,
  clientAddress: string | undefined,
  trustProxy: string | null,
): string {
  if (trustProxy !== null) {
    const first = request.headers.get(trustProxy)?.split(',')[0]?.trim()
    if (first) return first
  }
  return clientAddress || UNKNOWN_CLIENT
}
