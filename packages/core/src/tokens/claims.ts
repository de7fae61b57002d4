import { type EntitlementMap, parseEntitlements } from '../entitlements/entitlements.js'
import { isPlainObject } from '../plain-object.js'
import { sha256 } from './sha256.js'

/** The claims of a license token. Times are unix seconds. */
export interface LicenseTokenClaims {
  /** Who issued it: the proxy's `issuer` (default `"licensekit"`). */
  iss: string
  /** Lowercase hex SHA-256 of the canonical license key (never the key itself). */
  sub: string
  /** The domain the proxy bound the license to. */
  aud: string
  /** License status at `iat`. */
  st: string
  /** License expiry, or null for a perpetual license. */
  lexp: number | null
  /** The license's entitlements (`{}` when none). */
  ent: EntitlementMap
  /** When the proxy issued the token. */
  iat: number
  /** Until when a server guard accepts it (`iat + tokenTtlSeconds`). */
  exp: number
}

const CLAIM_NAMES = ['aud', 'ent', 'exp', 'iat', 'iss', 'lexp', 'st', 'sub'].join()
const SUBJECT = /^[0-9a-f]{64}$/

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 253
}

/** `LicenseTokenClaims` when `value` has exactly the claim fields with the right types, else null. */
export function parseTokenClaims(value: unknown): LicenseTokenClaims | null {
  if (!isPlainObject(value) || Object.keys(value).sort().join() !== CLAIM_NAMES) return null
  const claims = value as Record<keyof LicenseTokenClaims, unknown>
  const ent = parseEntitlements(claims.ent)
  const ok =
    isText(claims.iss) &&
    typeof claims.sub === 'string' &&
    SUBJECT.test(claims.sub) &&
    isText(claims.aud) &&
    isText(claims.st) &&
    (claims.lexp === null || Number.isSafeInteger(claims.lexp)) &&
    ent !== null &&
    Number.isSafeInteger(claims.iat) &&
    Number.isSafeInteger(claims.exp) &&
    (claims.exp as number) > (claims.iat as number)
  return ok ? { ...(claims as LicenseTokenClaims), ent } : null
}

/** The token subject for a key: lowercase hex SHA-256 of its UTF-8 bytes. */
export async function licenseSubject(key: string): Promise<string> {
  let hex = ''
  for (const byte of await sha256(key)) hex += byte.toString(16).padStart(2, '0')
  return hex
}
