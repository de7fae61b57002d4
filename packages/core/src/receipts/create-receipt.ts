import { LicenseError } from '../errors/license-error.js'
import { encodeBase64Url } from './base64url.js'
import { parseReceiptClaims, type ReceiptClaims } from './claims.js'
import { ECDSA_KEY, ECDSA_SIGN } from './ecdsa.js'

const importedKeys = new WeakMap<JsonWebKey, Promise<CryptoKey>>()

function privateKeyFor(jwk: JsonWebKey): Promise<CryptoKey> {
  let key = importedKeys.get(jwk)
  if (!key) {
    key = globalThis.crypto.subtle
      .importKey('jwk', jwk, ECDSA_KEY, false, ['sign'])
      .catch((cause: unknown) => {
        importedKeys.delete(jwk)
        throw new LicenseError('invalid_config', 'The receipt key must be a P-256 private JWK', {
          cause,
        })
      })
    importedKeys.set(jwk, key)
  }
  return key
}

/** A fresh ES256 key pair for receipts: keep `privateJwk` on the server, ship `publicJwk`. */
export async function generateReceiptKeys(): Promise<{
  privateJwk: JsonWebKey
  publicJwk: JsonWebKey
}> {
  const pair = await globalThis.crypto.subtle.generateKey(ECDSA_KEY, true, ['sign', 'verify'])
  const [privateJwk, publicJwk] = await Promise.all([
    globalThis.crypto.subtle.exportKey('jwk', pair.privateKey),
    globalThis.crypto.subtle.exportKey('jwk', pair.publicKey),
  ])
  return { privateJwk, publicJwk }
}

/** Signs claims into `base64url(JSON) + "." + base64url(P1363 signature over the first part)`. */
export async function createReceipt(
  privateJwk: JsonWebKey,
  claims: ReceiptClaims,
): Promise<string> {
  if (!parseReceiptClaims(claims)) {
    throw new LicenseError(
      'invalid_payload',
      'Receipt claims must be exactly v, sub, aud, st, exp, iat',
    )
  }
  const key = await privateKeyFor(privateJwk)
  const body = encodeBase64Url(new TextEncoder().encode(JSON.stringify(claims)))
  const signature = await globalThis.crypto.subtle.sign(
    ECDSA_SIGN,
    key,
    new TextEncoder().encode(body),
  )
  return `${body}.${encodeBase64Url(new Uint8Array(signature))}`
}
