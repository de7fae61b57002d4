/** What a receipt asserts (docs/architecture.md, "Receipts"). No algorithm field: always ES256. */
export interface ReceiptClaims {
  /** Format version, always 1. */
  v: 1
  /** Lowercase hex SHA-256 of the canonical license key (never the key itself). */
  sub: string
  /** The domain the proxy bound the license to. */
  aud: string
  /** License status at `iat`. */
  st: string
  /** License expiry, unix seconds, or null for a perpetual license. */
  exp: number | null
  /** Server time the receipt was issued, unix seconds. */
  iat: number
}

const CLAIM_NAMES = ['aud', 'exp', 'iat', 'st', 'sub', 'v'].join()
const SUBJECT = /^[0-9a-f]{64}$/

/** `ReceiptClaims` when `value` has exactly the claim fields with the right types, else null. */
export function parseReceiptClaims(value: unknown): ReceiptClaims | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  if (Object.keys(value).sort().join() !== CLAIM_NAMES) return null
  const claims = value as Record<keyof ReceiptClaims, unknown>
  const ok =
    claims.v === 1 &&
    typeof claims.sub === 'string' &&
    SUBJECT.test(claims.sub) &&
    typeof claims.aud === 'string' &&
    typeof claims.st === 'string' &&
    (claims.exp === null || Number.isSafeInteger(claims.exp)) &&
    Number.isSafeInteger(claims.iat)
  return ok ? (claims as ReceiptClaims) : null
}

/** The receipt subject for a key: lowercase hex SHA-256 of its UTF-8 bytes. */
export async function receiptSubject(key: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(key))
  let hex = ''
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0')
  return hex
}
