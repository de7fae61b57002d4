import { LicenseError } from '../errors/license-error.js'
import { encodeBase64Url } from './base64url.js'
import { type LicenseTokenClaims, parseTokenClaims } from './claims.js'
import { ECDSA_SIGN } from './ecdsa.js'
import { importEcKey, isPrivateSigningJwk, jwkThumbprint } from './keys.js'

interface PreparedKey {
  key: CryptoKey
  /** `base64url(header) + "."`: the header is fixed per key. */
  headerPart: string
}

const prepared = new WeakMap<JsonWebKey, Promise<PreparedKey>>()
const utf8 = new TextEncoder()

function encodeJson(value: unknown): string {
  return encodeBase64Url(utf8.encode(JSON.stringify(value)))
}

async function prepare(jwk: JsonWebKey): Promise<PreparedKey> {
  if (!isPrivateSigningJwk(jwk)) throw new Error('not a P-256 private JWK')
  const [key, kid] = await Promise.all([importEcKey(jwk, 'sign'), jwkThumbprint(jwk)])
  return { key, headerPart: `${encodeJson({ alg: 'ES256', typ: 'license+jwt', kid })}.` }
}

function preparedKey(jwk: JsonWebKey): Promise<PreparedKey> {
  let entry = prepared.get(jwk)
  if (!entry) {
    entry = prepare(jwk).catch((cause: unknown) => {
      prepared.delete(jwk)
      throw new LicenseError('invalid_config', 'A signing key must be a P-256 private JWK', {
        cause,
      })
    })
    prepared.set(jwk, entry)
  }
  return entry
}

/**
 * Signs `claims` into a compact JWS: header `{"alg":"ES256","typ":"license+jwt","kid":…}`
 * (`kid` is the key's RFC 7638 thumbprint), the claims, and the P1363 ES256 signature, each
 * base64url. Throws `LicenseError` (`invalid_payload`) for claims that are not exactly the
 * license token claims, (`invalid_config`) for a key that is not a P-256 private JWK.
 */
export async function signLicenseToken(
  privateJwk: JsonWebKey,
  claims: LicenseTokenClaims,
): Promise<string> {
  if (!parseTokenClaims(claims)) {
    throw new LicenseError(
      'invalid_payload',
      'Token claims must be exactly iss, sub, aud, st, lexp, ent, iat, exp',
    )
  }
  const { key, headerPart } = await preparedKey(privateJwk)
  const signingInput = headerPart + encodeJson(claims)
  const signature = await globalThis.crypto.subtle.sign(ECDSA_SIGN, key, utf8.encode(signingInput))
  return `${signingInput}.${encodeBase64Url(new Uint8Array(signature))}`
}
