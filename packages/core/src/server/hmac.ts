/** The HMAC-SHA256 primitive on WebCrypto, shared by request signing and its tests. */

const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text)
}

export function importHmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
}

export function toHex(bytes: ArrayBuffer): string {
  let out = ''
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, '0')
  return out
}

/** Lowercase hex HMAC-SHA256 of `message` under the raw key bytes. */
export async function hmacSha256Hex(
  key: Uint8Array<ArrayBuffer> | CryptoKey,
  message: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const cryptoKey = key instanceof Uint8Array ? await importHmacKey(key) : key
  return toHex(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, message))
}

const MAX_CACHED_KEYS = 16
const keyCache = new Map<string, Promise<CryptoKey>>()

/** The imported key of `secret`, cached (at most 16 secrets) so each is imported once. */
function hmacKeyFor(secret: string): Promise<CryptoKey> {
  const cached = keyCache.get(secret)
  if (cached) return cached
  const imported = importHmacKey(utf8(secret))
  imported.catch(() => keyCache.delete(secret))
  if (keyCache.size >= MAX_CACHED_KEYS) {
    const oldest = keyCache.keys().next()
    if (!oldest.done) keyCache.delete(oldest.value)
  }
  keyCache.set(secret, imported)
  return imported
}

/** Lowercase hex HMAC-SHA256 of the UTF-8 `message` under the UTF-8 `secret`, on WebCrypto. */
export async function webHmacHex(secret: string, message: string): Promise<string> {
  return hmacSha256Hex(await hmacKeyFor(secret), utf8(message))
}

/** Compares two byte strings in time that depends only on their length. */
export function constantTimeEqual(expected: Uint8Array, given: Uint8Array): boolean {
  let difference = expected.length ^ given.length
  for (let i = 0; i < expected.length; i++) difference |= (expected[i] ?? 0) ^ (given[i] ?? 0)
  return difference === 0
}
