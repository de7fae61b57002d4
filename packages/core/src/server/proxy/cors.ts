/** CORS without wildcards: exact-match allowlist plus the request's own origin. */
import type { PlainRequest } from './plain-http.js'
import { isOwnOrigin, type SameOriginPolicy } from './same-origin.js'

export interface CorsDecision {
  /** False when an Origin is present and neither same-origin nor allowlisted (`null` included). */
  allowed: boolean
  /** Headers to add to the answer (`Access-Control-Allow-Origin` for an allowed Origin). */
  headers: Record<string, string>
}

export function corsFor(
  request: PlainRequest,
  allowedOrigins: ReadonlySet<string>,
  policy: SameOriginPolicy,
): CorsDecision {
  const origin = request.header('origin')
  if (origin === null) return { allowed: true, headers: {} }
  const allowed =
    origin !== 'null' && (allowedOrigins.has(origin) || isOwnOrigin(origin, request, policy))
  return { allowed, headers: allowed ? { 'access-control-allow-origin': origin } : {} }
}

/** Headers of a successful preflight: POST with a JSON body, nothing else. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'Content-Type',
  'access-control-max-age': '600',
}
