/** Which Origin counts as the request's own, decided from headers, never from `request.url`. */
import type { PlainRequest } from './plain-http.js'

export interface SameOriginPolicy {
  /** The site's public origin, when configured: then the only own origin. */
  publicOrigin: string | null
  /** Take `X-Forwarded-Host` / `X-Forwarded-Proto` (first entries) over Host and the URL scheme. */
  trustForwarded: boolean
}

function first(value: string | null): string | null {
  const entry = value?.split(',')[0]?.trim()
  return entry ? entry : null
}

/** A host name or bracketed IPv6 address, with an optional port: nothing else is an authority. */
const AUTHORITY = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

function originOf(scheme: string, authority: string): string | null {
  if (!AUTHORITY.test(authority) || (scheme !== 'http' && scheme !== 'https')) return null
  try {
    return new URL(`${scheme}://${authority}`).origin
  } catch {
    return null
  }
}

/**
 * True when `origin` is the request's own. The authority is the Host header (HTTP/1; node's
 * HTTP/2 `:authority` arrives as Host through `toNodeHandler`), or `X-Forwarded-Host` when
 * forwarded headers are trusted; `request.url` only stands in when a runtime sends no Host at
 * all. Servers such as Next.js build `request.url` from the address they listen on, so it
 * says nothing about the page's origin. The scheme: `X-Forwarded-Proto` when trusted;
 * otherwise an `https` Origin always matches (a TLS-terminating proxy in front is common) and
 * an `http` one only when the request itself arrived over `http`.
 */
export function isOwnOrigin(
  origin: string,
  request: PlainRequest,
  policy: SameOriginPolicy,
): boolean {
  if (policy.publicOrigin !== null) return origin === policy.publicOrigin
  const { url } = request
  const forwardedHost = policy.trustForwarded ? first(request.header('x-forwarded-host')) : null
  const authority = forwardedHost ?? request.header('host')?.trim() ?? url.host
  const forwardedProto = policy.trustForwarded
    ? first(request.header('x-forwarded-proto'))?.toLowerCase()
    : undefined
  const schemes = forwardedProto ? [forwardedProto] : ['https', url.protocol.slice(0, -1)]
  return schemes.some((scheme) => originOf(scheme, authority) === origin)
}
