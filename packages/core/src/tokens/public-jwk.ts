import { encodeBase64Url } from './base64url.js'
import { ECDSA_KEY } from './ecdsa.js'
import { sha256 } from './sha256.js'

/** A public signing key as `GET {basePath}/jwks` publishes it. */
export interface PublicSigningJwk {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
  kid: string
  alg: 'ES256'
  use: 'sig'
}

/** A P-256 coordinate or private scalar: 32 bytes, base64url without padding. */
export const COORDINATE = /^[A-Za-z0-9_-]{43}$/

/** Whether `jwk` has the public parts of a P-256 key (`kty`, `crv`, `x`, `y`). */
export function isP256Jwk(jwk: unknown): jwk is JsonWebKey & { x: string; y: string } {
  if (typeof jwk !== 'object' || jwk === null) return false
  const key = jwk as Record<string, unknown>
  return (
    key.kty === 'EC' &&
    key.crv === 'P-256' &&
    typeof key.x === 'string' &&
    COORDINATE.test(key.x) &&
    typeof key.y === 'string' &&
    COORDINATE.test(key.y)
  )
}

/** RFC 7638 thumbprint of a P-256 key: base64url SHA-256 of `{"crv","kty","x","y"}` in that order. */
export async function jwkThumbprint(jwk: { x: string; y: string }): Promise<string> {
  return encodeBase64Url(
    await sha256(JSON.stringify({ crv: 'P-256', kty: 'EC', x: jwk.x, y: jwk.y })),
  )
}

/**
 * Imports a verification key from only the public key material, so `kid`, `alg`, `use`,
 * `key_ops` or a stray `d` never change its use.
 */
export function importVerifyKey(jwk: { x: string; y: string }): Promise<CryptoKey> {
  const material: JsonWebKey = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }
  return globalThis.crypto.subtle.importKey('jwk', material, ECDSA_KEY, false, ['verify'])
}
