import { encodeBase64Url } from '../base64url.js'

const utf8 = new TextEncoder()

/** base64url of a value's JSON. */
export function part(value: unknown): string {
  return encodeBase64Url(utf8.encode(JSON.stringify(value)))
}

/** Signs any header and claims with ES256, as an attacker holding some key could. */
export async function rawSign(header: unknown, body: unknown, jwk: JsonWebKey): Promise<string> {
  const { kty, crv, x, y, d } = jwk
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty, crv, x, y, d },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  )
  const input = `${part(header)}.${part(body)}`
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    utf8.encode(input),
  )
  return `${input}.${encodeBase64Url(new Uint8Array(signature))}`
}
