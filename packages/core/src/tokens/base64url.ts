export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Decodes unpadded base64url; `null` for anything that is not exactly that: a text is accepted
 * only when it is the encoding of what it decodes to, so padding, `+`, `/`, whitespace and a
 * non-canonical last character (unused low bits set) are all refused, and one byte string has
 * one encoding.
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  let binary: string
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    return null
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return encodeBase64Url(bytes) === text ? bytes : null
}
