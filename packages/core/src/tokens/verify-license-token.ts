import { type ClaimExpectations, checkClaims } from './check-claims.js'
import type { LicenseTokenClaims } from './claims.js'
import { ECDSA_SIGN } from './ecdsa.js'
import { type KeyLookup, lookupFor } from './key-set.js'
import { parseToken, refuse, type TokenRefusal } from './parse-token.js'

export { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_ISSUER } from './check-claims.js'

export interface VerifyLicenseTokenOptions extends Omit<ClaimExpectations, 'audience'> {
  /** The proxy's public key(s): a P-256 JWK or a list (its `GET {basePath}/jwks` `keys`). */
  keys: JsonWebKey | readonly JsonWebKey[]
  /** The domain the token must be bound to (`aud`). */
  audience: string
}

export type LicenseTokenVerification =
  | { ok: true; claims: LicenseTokenClaims }
  | { ok: false; reason: TokenRefusal }

/** The verification itself, over any key lookup (a fixed set, or the guard's JWKS cache). */
export async function verifyWithLookup(
  token: unknown,
  lookup: KeyLookup,
  expected: ClaimExpectations,
): Promise<LicenseTokenVerification> {
  const parsed = parseToken(token)
  if (!parsed.ok) return parsed
  const { kid, claims, signingInput, signature } = parsed.token
  const key = await lookup(kid)
  if (key === null) return refuse('unknown_key')
  if (key === 'unavailable') return refuse('keys_unavailable')
  if (!(await globalThis.crypto.subtle.verify(ECDSA_SIGN, key, signature, signingInput))) {
    return refuse('bad_signature')
  }
  const refusal = checkClaims(claims, expected)
  return refusal === null ? { ok: true, claims } : refuse(refusal)
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
    return refuse('keys_unavailable')
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
