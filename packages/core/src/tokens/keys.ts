import { LicenseError } from '../errors/license-error.js'
import { encodeBase64Url } from './base64url.js'
import { ECDSA_KEY } from './ecdsa.js'

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

/** A private signing key: the public parts plus `d`. Keep it on the server. */
export interface PrivateSigningJwk extends PublicSigningJwk {
  d: string
}

export interface SigningKeyPair {
  privateJwk: PrivateSigningJwk
  publicJwk: PublicSigningJwk
}

const COORDINATE = /^[A-Za-z0-9_-]{43}$/

function isP256(jwk: unknown, withPrivate: boolean): jwk is JsonWebKey & { x: string; y: string } {
  if (typeof jwk !== 'object' || jwk === null) return false
  const key = jwk as Record<string, unknown>
  return (
    key.kty === 'EC' &&
    key.crv === 'P-256' &&
    typeof key.x === 'string' &&
    COORDINATE.test(key.x) &&
    typeof key.y === 'string' &&
    COORDINATE.test(key.y) &&
    (!withPrivate || (typeof key.d === 'string' && COORDINATE.test(key.d)))
  )
}

/** RFC 7638 thumbprint of a P-256 key: base64url SHA-256 of `{"crv","kty","x","y"}` in that order. */
export async function jwkThumbprint(jwk: { x: string; y: string }): Promise<string> {
  const members = JSON.stringify({ crv: 'P-256', kty: 'EC', x: jwk.x, y: jwk.y })
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(members))
  return encodeBase64Url(new Uint8Array(digest))
}

/** The public half of a P-256 JWK, its `kid` set to the thumbprint; `null` when it is not one. */
export async function publicSigningJwk(jwk: unknown): Promise<PublicSigningJwk | null> {
  if (!isP256(jwk, false)) return null
  const { x, y } = jwk
  return { kty: 'EC', crv: 'P-256', x, y, kid: await jwkThumbprint(jwk), alg: 'ES256', use: 'sig' }
}

/** Whether `jwk` is a P-256 private JWK (has `d`). */
export function isPrivateSigningJwk(jwk: unknown): jwk is JsonWebKey & { x: string; y: string } {
  return isP256(jwk, true)
}

/** Imports only the key material, so `kid`, `alg`, `use` or `key_ops` never change its use. */
export function importEcKey(jwk: JsonWebKey, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  const { kty, crv, x, y, d } = jwk
  const material: JsonWebKey = usage === 'sign' ? { kty, crv, x, y, d } : { kty, crv, x, y }
  return globalThis.crypto.subtle.importKey('jwk', material, ECDSA_KEY, false, [usage])
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
