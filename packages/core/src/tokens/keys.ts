import { LicenseError } from '../errors/license-error.js'
import { ECDSA_KEY } from './ecdsa.js'
import { COORDINATE, isP256Jwk, jwkThumbprint, type PublicSigningJwk } from './public-jwk.js'

export type { PublicSigningJwk } from './public-jwk.js'

/** A private signing key: the public parts plus `d`. Keep it on the server. */
export interface PrivateSigningJwk extends PublicSigningJwk {
  d: string
}

export interface SigningKeyPair {
  privateJwk: PrivateSigningJwk
  publicJwk: PublicSigningJwk
}

/** The public half of a P-256 JWK, its `kid` set to the thumbprint; `null` when it is not one. */
export async function publicSigningJwk(jwk: unknown): Promise<PublicSigningJwk | null> {
  if (!isP256Jwk(jwk)) return null
  const { x, y } = jwk
  return { kty: 'EC', crv: 'P-256', x, y, kid: await jwkThumbprint(jwk), alg: 'ES256', use: 'sig' }
}

/** Whether `jwk` is a P-256 private JWK (has `d`). */
export function isPrivateSigningJwk(
  jwk: unknown,
): jwk is JsonWebKey & { x: string; y: string; d: string } {
  return isP256Jwk(jwk) && typeof jwk.d === 'string' && COORDINATE.test(jwk.d)
}

/** Imports only the key material, so `kid`, `alg`, `use` or `key_ops` never change its use. */
export function importSigningKey(jwk: { x: string; y: string; d: string }): Promise<CryptoKey> {
  const material: JsonWebKey = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d }
  return globalThis.crypto.subtle.importKey('jwk', material, ECDSA_KEY, false, ['sign'])
}

/**
 * A fresh ES256 key pair for license tokens: keep `privateJwk` on the server (the proxy's
 * `signingKeys`), publish `publicJwk` (the proxy does, at `GET {basePath}/jwks`). Both carry
 * `kid` (the RFC 7638 thumbprint), `alg: "ES256"` and `use: "sig"`.
 */
export async function generateSigningKeys(): Promise<SigningKeyPair> {
  const pair = await globalThis.crypto.subtle.generateKey(ECDSA_KEY, true, ['sign', 'verify'])
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)
  const publicJwk = await publicSigningJwk(jwk)
  if (!publicJwk || typeof jwk.d !== 'string') {
    throw new LicenseError('invalid_config', 'This runtime did not export a P-256 JWK')
  }
  return { privateJwk: { ...publicJwk, d: jwk.d }, publicJwk }
}

/** @deprecated Renamed to {@link generateSigningKeys}, which returns the same pair. */
export const generateReceiptKeys = generateSigningKeys
