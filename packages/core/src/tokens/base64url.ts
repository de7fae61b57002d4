const ALPHABET = /^[A-Za-z0-9_-]*$/

export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The 6-bit value of a base64url character already known to be in the alphabet. */
function sextet(code: number): number {
  if (code >= 97) return code - 71 // a-z: 26-51
  if (code >= 65) return code - 65 // A-Z: 0-25
  if (code >= 48) return code + 4 // 0-9: 52-61
  return code === 45 ? 62 : 63 // '-' and '_'
}

/**
 * Decodes unpadded base64url; `null` for anything that is not exactly that, including a
 * non-canonical last character (unused low bits set), so one byte string has one encoding.
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  const rest = text.length % 4
  if (rest === 1 || !ALPHABET.test(text)) return null
  if (rest !== 0) {
    const unused = sextet(text.charCodeAt(text.length - 1)) & (rest === 2 ? 0x0f : 0x03)
    if (unused !== 0) return null
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
