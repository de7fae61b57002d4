import { LicenseError } from '../../errors/license-error.js'
import { isPrivateSigningJwk } from '../../tokens/keys.js'
import { DEFAULT_ISSUER } from '../../tokens/verify-license-token.js'
import { defaultEntitlements, type EntitlementsResolver } from './entitlements.js'
import type { TokenSettings } from './tokens.js'

export const DEFAULT_TOKEN_TTL_SECONDS = 86_400

/** The proxy options about license tokens and entitlements. */
export interface TokenOptions {
  /**
   * ECDSA P-256 private JWKs, `[newest, ...older]` (see `generateSigningKeys`): the first signs
   * the `token` of every success answer, all are published at `GET {basePath}/jwks`, so a key
   * can be rotated without refusing the tokens signed by the one before.
   */
  signingKeys?: readonly JsonWebKey[] | undefined
  /** The tokens' `iss` (default `"licensekit"`). */
  issuer?: string | undefined
  /** How long a server guard accepts a token, in seconds (default 86,400: one day). */
  tokenTtlSeconds?: number | undefined
  /**
   * A license's entitlements from the upstream answer; values are booleans or numbers. The
   * default maps `license.features: string[]` to `{<name>: true}` and `license.seats` to
   * `{seats: N}`.
   */
  entitlements?: EntitlementsResolver | undefined
}

export interface ResolvedTokenOptions {
  tokens: TokenSettings | null
  entitlements: EntitlementsResolver
}

function invalid(message: string): LicenseError {
  return new LicenseError('invalid_config', `createLicenseProxy: ${message}`)
}

function checkSigningKeys(keys: unknown): readonly JsonWebKey[] | null {
  if (keys === undefined) return null
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every(isPrivateSigningJwk)) {
    throw invalid(
      'signingKeys must be a non-empty list of P-256 private JWKs, newest first (see generateSigningKeys)',
    )
  }
  return keys
}

function checkIssuer(issuer: unknown): string {
  if (typeof issuer !== 'string' || !/^[\x21-\x7e]{1,253}$/.test(issuer)) {
    throw invalid('issuer must be 1–253 printable ASCII characters without spaces')
  }
  return issuer
}

function checkTtl(ttl: unknown): number {
  if (!Number.isSafeInteger(ttl) || (ttl as number) < 1 || (ttl as number) > 366 * 86_400) {
    throw invalid('tokenTtlSeconds must be a whole number of seconds, 1 to 31,622,400')
  }
  return ttl as number
}

export function resolveTokenOptions(options: TokenOptions): ResolvedTokenOptions {
  const signingKeys = checkSigningKeys(options.signingKeys)
  const issuer = checkIssuer(options.issuer ?? DEFAULT_ISSUER)
  const tokenTtlSeconds = checkTtl(options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS)
  const entitlements = options.entitlements ?? defaultEntitlements
  if (typeof entitlements !== 'function') throw invalid('entitlements must be a function')
  return {
    tokens: signingKeys && { signingKeys, issuer, tokenTtlSeconds },
    entitlements,
  }
}
