import type { EntitlementMap, EntitlementName } from '../../entitlements/entitlements.js'
import { LicenseError } from '../../errors/license-error.js'
import type { LicenseTokenClaims } from '../../tokens/claims.js'
import { type KeyLookup, lookupFor } from '../../tokens/key-set.js'
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_ISSUER,
  verifyWithLookup,
} from '../../tokens/verify-license-token.js'
import type { FetchFunction } from '../proxy/options.js'
import { MAX_AUTHORIZATION_BYTES, tokenFromAuthorization } from './authorization.js'
import {
  guardUnavailable,
  licenseInvalid,
  licenseRequired,
  refusalResponse,
} from './guard-responses.js'
import { jwksLookup } from './jwks-source.js'
import { VerifiedTokenCache } from './verified-cache.js'

export interface LicenseGuardOptions {
  /** The proxy's public key(s): a P-256 JWK, a list of them, or the URL of its JWKS. */
  keys: JsonWebKey | readonly JsonWebKey[] | string
  /**
   * The domain the proxy binds licenses to: tokens must carry it as `aud`, or
   * `<device>.<domain>` when the proxy runs `binding: 'device'`.
   */
  domain: string
  /** The proxy's `issuer` (default `"licensekit"`). */
  issuer?: string | undefined
  /** How far `iat` may be ahead and `exp` behind this server's clock (default 60). */
  clockToleranceSeconds?: number | undefined
  /** The `fetch` for the JWKS URL (default `globalThis.fetch`). */
  fetch?: FetchFunction | undefined
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: (() => number) | undefined
  /** Operational events (a JWKS fetch that failed). */
  log?: ((line: string) => void) | undefined
  /** How many verified tokens are kept in memory (default 10,000; the oldest goes first). */
  cacheSize?: number | undefined
}

/** What a verified token says about the caller's license. */
export interface GuardLicense {
  /** Lowercase hex SHA-256 of the license key. */
  subject: string
  status: string
  /** ISO-8601, or null for a perpetual license. */
  expiresAt: string | null
  entitlements: EntitlementMap
}

export type GuardResult = { ok: true; license: GuardLicense } | { ok: false; response: Response }

/** What the guard reads of a request: its headers (a `Request` has them; so can a Node adapter). */
export interface GuardRequest {
  readonly headers: { get(name: string): string | null }
}

export type LicenseGuard = (request: GuardRequest) => Promise<GuardResult>

function invalid(message: string): LicenseError {
  return new LicenseError('invalid_config', `createLicenseGuard: ${message}`)
}

function keyLookupOf(
  options: LicenseGuardOptions,
  now: () => number,
  log: (line: string) => void,
): KeyLookup {
  const { keys } = options
  if (typeof keys !== 'string') {
    if (typeof keys !== 'object' || keys === null)
      throw invalid('keys must be a JWK, a list or a URL')
    return lookupFor(keys)
  }
  let url: URL
  try {
    url = new URL(keys)
  } catch {
    throw invalid('keys must be a JWK, a list of JWKs or an absolute JWKS URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid('the JWKS URL must be http(s)')
  const fetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  return jwksLookup({ url: url.href, fetch: fetchFunction, now, timeoutMs: 5000, log })
}

function licenseOf(claims: LicenseTokenClaims): GuardLicense {
  return {
    subject: claims.sub,
    status: claims.st,
    expiresAt: claims.lexp === null ? null : new Date(claims.lexp * 1000).toISOString(),
    entitlements: claims.ent,
  }
}

/**
 * Checks `Authorization: License <token>` on a request to the app's own routes. Runs on any
 * runtime with WebCrypto and `fetch`. Resolves `{ok: true, license}` for a valid token of an
 * active license, or `{ok: false, response}`: 401 `license_required` (no or malformed
 * header), 403 `license_invalid` (a token that does not verify, is for another domain or
 * issuer, has expired or is not `active`), 503 when the JWKS cannot be fetched and no keys
 * are cached. Never throws for a request. Verified tokens are cached until their `exp`.
 */
export function createLicenseGuard(options: LicenseGuardOptions): LicenseGuard {
  if (typeof options !== 'object' || options === null) throw invalid('options are required')
  if (typeof options.domain !== 'string' || options.domain === '')
    throw invalid('domain is required')
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS
  if (!Number.isFinite(tolerance) || tolerance < 0)
    throw invalid('clockToleranceSeconds must be ≥ 0')
  const now = options.now ?? Date.now
  const log = options.log ?? (() => {})
  const lookup = keyLookupOf(options, now, log)
  const cacheSize = options.cacheSize ?? 10_000
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) throw invalid('cacheSize must be ≥ 1')
  const cache = new VerifiedTokenCache<GuardResult & { ok: true }>(cacheSize)
  const verifyOptions = {
    // Checked below: the domain itself, or `<device>.<domain>` from a proxy under
    // `binding: 'device'` (the same site's license).
    audience: null,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    clockToleranceSeconds: tolerance,
  }

  async function verify(token: string): Promise<GuardResult> {
    const at = now()
    const verified = await verifyWithLookup(token, lookup, { ...verifyOptions, now: at })
    if (!verified.ok) return { ok: false, response: refusalResponse(verified.reason) }
    const { claims } = verified
    if (!isOwnAudience(claims.aud, options.domain)) {
      return { ok: false, response: refusalResponse('wrong_audience') }
    }
    if (claims.st !== 'active') {
      return { ok: false, response: licenseInvalid(`The license is ${claims.st}`) }
    }
    if (claims.lexp !== null && claims.lexp * 1000 <= at) {
      return { ok: false, response: licenseInvalid('The license has expired') }
    }
    const result = { ok: true, license: licenseOf(claims) } as const
    cache.set(token, result, Math.min(claims.exp, claims.lexp ?? claims.exp) * 1000)
    return result
  }

  return async (request) => {
    const value = request.headers.get('authorization')
    // A token seen before came from a header that passed every check: skip the parsing.
    if (value?.startsWith('License ') && value.length <= MAX_AUTHORIZATION_BYTES) {
      const cached = cache.get(value.slice(8), now())
      if (cached) return cached
    }
    const header = tokenFromAuthorization(value)
    if (!header.ok) return { ok: false, response: licenseRequired(header.message) }
    const cached = cache.get(header.token, now())
    if (cached) return cached
    try {
      return await verify(header.token)
    } catch (error) {
      log(
        `licensekit guard: unexpected failure (${error instanceof Error ? error.name : typeof error})`,
      )
      return { ok: false, response: guardUnavailable('The license token could not be checked') }
    }
  }
}

const DEVICE_LABEL = /^[a-z2-7]{26}\.$/

/** `domain` itself, or a 26-character device id, a dot and `domain`; nothing else. */
function isOwnAudience(aud: string, domain: string): boolean {
  if (aud === domain) return true
  return aud.endsWith(domain) && DEVICE_LABEL.test(aud.slice(0, aud.length - domain.length))
}

/**
 * Narrows a guard result to licenses that hold `name` (a truthy entitlement): otherwise
 * 403 `license_invalid`. Refusals pass through unchanged.
 */
export function requireEntitlement(result: GuardResult, name: EntitlementName): GuardResult {
  if (!result.ok) return result
  const value = result.license.entitlements[name]
  if (value === undefined || value === false || value === 0) {
    return { ok: false, response: licenseInvalid(`The license does not include "${name}"`) }
  }
  return result
}
