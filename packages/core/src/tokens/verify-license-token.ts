import type { LicenseTokenClaims } from './claims.js'
import { ECDSA_SIGN } from './ecdsa.js'
import { type KeyLookup, lookupFor } from './key-set.js'
import { checkClaims, parseToken, type TokenRefusal } from './parse-token.js'

export interface VerifyLicenseTokenOptions {
  /** The proxy's public key(s): a P-256 JWK or a list (its `GET {basePath}/jwks` `keys`). */
  keys: JsonWebKey | readonly JsonWebKey[]
  /** The domain the token must be bound to (`aud`). */
  audience: string
  /** The expected `iss` (default `"licensekit"`); `null` accepts any. */
  issuer?: string | null | undefined
  /** The clock, ms since the epoch (default `Date.now()`). */
  now?: number | undefined
  /** How far `iat` may be ahead of this clock and `exp` behind it (default 60). */
  clockToleranceSeconds?: number | undefined
  /** Skip the `exp` check (the browser's grace cache bounds a token by `iat` and `lexp`). */
  ignoreExpiry?: boolean | undefined
}

export type LicenseTokenVerification =
  | { ok: true; claims: LicenseTokenClaims }
  | { ok: false; reason: TokenRefusal }

export const DEFAULT_ISSUER = 'licensekit'
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60

/** The verification itself, over any key lookup (a fixed set, or the guard's JWKS cache). */
export async function verifyWithLookup(
  token: unknown,
  lookup: KeyLookup,
  options: Omit<VerifyLicenseTokenOptions, 'keys' | 'audience'> & { audience: string | null },
): Promise<LicenseTokenVerification> {
  const parsed = parseToken(token)
  if (!parsed.ok) return parsed
  const { kid, claims, signingInput, signature } = parsed.token
  const key = await lookup(kid)
  if (key === null) return { ok: false, reason: 'unknown_key' }
  if (key === 'unavailable') return { ok: false, reason: 'keys_unavailable' }
  if (!(await globalThis.crypto.subtle.verify(ECDSA_SIGN, key, signature, signingInput))) {
    return { ok: false, reason: 'bad_signature' }
  }
  const refusal = checkClaims(claims, {
    audience: options.audience,
    issuer: options.issuer === undefined ? DEFAULT_ISSUER : options.issuer,
    now: Math.floor((options.now ?? Date.now()) / 1000),
    clockToleranceSeconds: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    ignoreExpiry: options.ignoreExpiry === true,
  })
  return refusal === null ? { ok: true, claims } : { ok: false, reason: refusal }
}

/**
 * Verifies a license token from the proxy: a compact JWS whose header is exactly
 * `{"alg":"ES256","typ":"license+jwt","kid":…}` (any other `alg`, and `crit`, `jku`, `jwk`,
 * `x5u` or any other header member, are refused), signed by one of `keys` (matched by RFC 7638
 * thumbprint), bound to `audience`, from `issuer`, not issued in the future and not expired
 * (both within the clock tolerance). Never throws; a refusal says why.
 */
export async function verifyLicenseToken(
  token: string,
  options: VerifyLicenseTokenOptions,
): Promise<LicenseTokenVerification> {
  try {
    return await verifyWithLookup(token, lookupFor(options.keys), options)
  } catch {
    // No usable WebCrypto here (an insecure context): nothing can be verified.
    return { ok: false, reason: 'keys_unavailable' }
  }
}

/** Starts importing `keys` now, so the first verification with them does not wait for that. */
export function prepareVerificationKeys(keys: JsonWebKey | readonly JsonWebKey[]): void {
  try {
    lookupFor(keys)
  } catch {
    // No WebCrypto here: `verifyLicenseToken` refuses every token.
  }
}
