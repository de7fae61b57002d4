/** Longer `Authorization` headers are refused before any parsing or crypto. */
export const MAX_AUTHORIZATION_BYTES = 4096

const LICENSE_SCHEME = /^License +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i

export type AuthorizationCheck = { ok: true; token: string } | { ok: false; message: string }

/**
 * The token of `Authorization: License <token>`: exactly one compact JWS in base64url, in a
 * header of at most 4 KiB. Any other scheme, a second token (a comma, a space, a second
 * header, which `Headers` joins with a comma) or a character outside base64url is refused.
 */
export function tokenFromAuthorization(header: string | null): AuthorizationCheck {
  if (header === null || header.trim() === '') {
    return { ok: false, message: 'Send the license token as "Authorization: License <token>"' }
  }
  if (header.length > MAX_AUTHORIZATION_BYTES) {
    return { ok: false, message: 'The Authorization header is too large' }
  }
  const match = LICENSE_SCHEME.exec(header)
  if (!match?.[1]) {
    return { ok: false, message: 'The Authorization header must be "License" and one token' }
  }
  return { ok: true, token: match[1] }
}
