import { decodeBase64Url } from './base64url.js'
import { parseReceiptClaims, type ReceiptClaims } from './claims.js'
import { ECDSA_KEY, ECDSA_SIGN, SIGNATURE_BYTES } from './ecdsa.js'

const importedKeys = new WeakMap<JsonWebKey, Promise<CryptoKey>>()

function publicKeyFor(jwk: JsonWebKey): Promise<CryptoKey> {
  let key = importedKeys.get(jwk)
  if (!key) {
    key = globalThis.crypto.subtle.importKey('jwk', jwk, ECDSA_KEY, false, ['verify'])
    importedKeys.set(jwk, key)
  }
  return key
}

/** Starts importing `publicJwk` now, so the first `verifyReceipt` with it does not wait for that. */
export function prepareReceiptKey(publicJwk: JsonWebKey): void {
  try {
    publicKeyFor(publicJwk).catch(() => {})
  } catch {
    // No WebCrypto here (an insecure context): `verifyReceipt` will refuse every receipt.
  }
}

/**
 * Verifies a receipt from the proxy against its public key (a P-256 JWK). Returns the claims,
 * or `null` when the receipt is malformed, its signature does not verify, or its claims are
 * not exactly the receipt fields. Checking `sub`, `aud` and `iat` against the caller's own
 * key, domain and clock is the caller's part.
 */
export async function verifyReceipt(
  publicJwk: JsonWebKey,
  receipt: string,
): Promise<ReceiptClaims | null> {
  if (typeof receipt !== 'string') return null
  const parts = receipt.split('.')
  if (parts.length !== 2) return null
  const [body = '', signaturePart = ''] = parts
  const claimBytes = decodeBase64Url(body)
  const signature = decodeBase64Url(signaturePart)
  if (!claimBytes || !signature || signature.length !== SIGNATURE_BYTES) return null
  let key: CryptoKey
  try {
    key = await publicKeyFor(publicJwk)
  } catch {
    return null
  }
  const signed = new TextEncoder().encode(body)
  if (!(await globalThis.crypto.subtle.verify(ECDSA_SIGN, key, signature, signed))) return null
  try {
    return parseReceiptClaims(
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(claimBytes)),
    )
  } catch {
    return null
  }
}
