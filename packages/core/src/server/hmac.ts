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

/** Compares two byte strings in time that depends only on their length. */
export function constantTimeEqual(expected: Uint8Array, given: Uint8Array): boolean {
  let difference = expected.length ^ given.length
  for (let i = 0; i < expected.length; i++) difference |= (expected[i] ?? 0) ^ (given[i] ?? 0)
  return difference === 0
}
