import type { LicenseTokenClaims } from './claims.js'
import type { TokenRefusal } from './parse-token.js'

export const DEFAULT_ISSUER = 'licensekit'
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60

/** What the claims of a token must match; absent members take their defaults. */
export interface ClaimExpectations {
  /**
   * The domain the token must be bound to (`aud`); `null` leaves `aud` to the caller (the server
   * guard also accepts device-bound names).
   */
  audience: string | null
  /** The expected `iss` (default `"licensekit"`); `null` accepts any. */
  issuer?: string | null | undefined
  /** The clock, ms since the epoch (default `Date.now()`). */
  now?: number | undefined
  /** How far `iat` may be ahead of this clock and `exp` behind it (default 60). */
  clockToleranceSeconds?: number | undefined
  /** Skip the `exp` check (the browser's grace cache bounds a token by `iat` and `lexp`). */
  ignoreExpiry?: boolean | undefined
}

/** Checks audience, issuer and times of claims whose signature verified; `null` when they pass. */
export function checkClaims(
  claims: LicenseTokenClaims,
  expected: ClaimExpectations,
): TokenRefusal | null {
  const { audience, issuer = DEFAULT_ISSUER } = expected
  const now = Math.floor((expected.now ?? Date.now()) / 1000)
  const tolerance = expected.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS
  if (audience !== null && claims.aud !== audience) return 'wrong_audience'
  if (issuer !== null && claims.iss !== issuer) return 'wrong_issuer'
  if (claims.iat > now + tolerance) return 'issued_in_future'
  if (expected.ignoreExpiry !== true && claims.exp <= now - tolerance) return 'expired'
  return null
}
